"""``python -m empathylint`` is the ``empathylint`` command."""

from .cli import main

main()
