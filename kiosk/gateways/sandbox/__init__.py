"""The embedded sandbox gateway: a villa-contract HTTP server on 127.0.0.1, and its control."""

from kiosk.gateways.sandbox.server import SandboxServer, Scenario, main, run_forever

__all__ = ["SandboxServer", "Scenario", "main", "run_forever"]
