"""Running the sandbox gateway on its own: :func:`run_forever` (``kiosk sandbox``) and
:func:`main` (``python -m kiosk.gateways.sandbox``)::

    python -m kiosk.gateways.sandbox --port 8765 --scenario '{"kind": "never"}'
"""

from __future__ import annotations

import argparse
import json
import logging
import time

from kiosk.gateways.sandbox.model import DEFAULT_SCENARIO, Scenario
from kiosk.gateways.sandbox.server import SandboxServer


def run_forever(
    *,
    port: int,
    scenario: Scenario = DEFAULT_SCENARIO,
    host: str = "127.0.0.1",
) -> None:
    """Serve until Ctrl-C; prints the base URL on its own line first."""
    server = SandboxServer(host=host, port=port, scenario=scenario).start()
    print(server.base_url, flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Run the SANDBOX villa gateway.")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--scenario", default="{}", help='JSON, e.g. \'{"kind": "never"}\'')
    args = parser.parse_args(argv)
    try:
        data = json.loads(args.scenario)
        scenario = Scenario.from_dict(data)
    except (ValueError, TypeError) as exc:
        parser.error(f"--scenario: {exc}")
    logging.basicConfig(level=logging.INFO)
    run_forever(port=args.port, scenario=scenario, host=args.host)
