"""Thin launcher: ``python main.py`` opens the kiosk (see kiosk.cli for commands)."""

import sys

from kiosk.cli import main

if __name__ == "__main__":
    sys.exit(main())
