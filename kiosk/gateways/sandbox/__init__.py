"""The embedded sandbox gateway: a villa-contract HTTP server on 127.0.0.1, and its control.

- :mod:`.model`: :class:`Scenario` (what the simulated customer does), the
  orders and the order book, the QR / amount helpers;
- :mod:`.handlers`: what each endpoint answers, and the route tables;
- :mod:`.server`: :class:`SandboxServer` and its HTTP plumbing;
- :mod:`.control`: :class:`~.control.SandboxControl`, the kiosk's client of
  the control endpoints;
- :mod:`.cli`: ``kiosk sandbox`` and ``python -m kiosk.gateways.sandbox``.

:data:`CANCEL_PATH` is the cancel path the sandbox answers on (the Villa
Payment API's default paths need no setting; cancel does).
"""

from kiosk.gateways.sandbox.cli import main, run_forever
from kiosk.gateways.sandbox.handlers import CANCEL_PATH
from kiosk.gateways.sandbox.model import Scenario
from kiosk.gateways.sandbox.server import SandboxServer

__all__ = ["CANCEL_PATH", "SandboxServer", "Scenario", "main", "run_forever"]
