"""Run the hostile gateway by hand: ``python -m tests.hostile --mode qr-two-tag54``.

Prints the settings that point a kiosk at it and the secrets to give the
kiosk (KIOSK_SECRET_*), then serves until Ctrl+C.
"""

from __future__ import annotations

import argparse
import contextlib
import threading

from tests.hostile.kiosk_run import config_toml
from tests.hostile.modes import MODES
from tests.hostile.server import HostileGateway


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m tests.hostile")
    parser.add_argument("--mode", choices=sorted(MODES), default="honest")
    parser.add_argument("--list", action="store_true", help="list the modes and exit")
    args = parser.parse_args()
    if args.list:
        for mode in MODES.values():
            print(f"{mode.name:24} attack {mode.attack}: {mode.what}")
        return
    with HostileGateway(args.mode) as gateway:
        print(f"# mode {args.mode}: {gateway.mode.what}")
        print(config_toml(gateway))
        print(f"KIOSK_SECRET_COGNITO_PASSWORD={gateway.credentials.password}")
        print(f"KIOSK_SECRET_COGNITO_CLIENT_SECRET={gateway.credentials.client_secret}")
        with contextlib.suppress(KeyboardInterrupt):
            threading.Event().wait()


if __name__ == "__main__":
    main()
