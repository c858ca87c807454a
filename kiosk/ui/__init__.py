"""The PySide6 user interface: the only place Qt widgets live."""
