"""Thin launcher: ``python main.py`` opens the kiosk (see kiosk.app.cli for commands)."""

import sys

from kiosk.app.cli import main

if __name__ == "__main__":
    sys.exit(main())
