"""empathylint: lint drafted customer-support replies before they are sent."""

__version__ = "0.1.0"
