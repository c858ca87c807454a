"""``python -m kiosk.gateways.sandbox``: run the sandbox gateway on its own."""

from kiosk.gateways.sandbox.cli import main

if __name__ == "__main__":
    main()
