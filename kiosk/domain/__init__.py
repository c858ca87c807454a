"""Pure domain: money, the order and its state machine, Thai QR, errors.

Nothing here imports Qt, httpx, sqlite3 or any layer above it.
"""
