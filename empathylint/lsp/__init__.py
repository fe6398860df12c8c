"""The language server (``empathylint lsp``): diagnostics, hover and quick fixes in any LSP editor.

Rooms: `server` (the protocol's handlers, debounce, one worker thread), `linting` (a config and linter per
buffer, the pipeline built once), `documents` (a buffer read as ``check`` reads a file), `positions` (offsets
to the client's position encoding, in one place), `diagnostics`, `actions` (safe fixes) and `hover`.
"""

#: A pause this long after the last keystroke starts a lint: short enough to feel immediate, long enough that a
#: burst of typing is linted once. (Here, so that the command line reads it without importing pygls.)
DEFAULT_DEBOUNCE_MS = 50
