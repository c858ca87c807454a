"""GET /_sandbox/busy: requests still being handled, for harnesses that kill clients."""

from __future__ import annotations

import threading

import httpx

from kiosk.gateways.sandbox import SandboxServer, Scenario


def settle(server: SandboxServer) -> None:
    """Until no request is being handled (bounded)."""
    for _ in range(500):
        if server.in_flight() == 0:
            return
        threading.Event().wait(0.005)


def test_busy_counts_requests_in_flight_but_not_itself() -> None:
    with SandboxServer(scenario=Scenario(delay_s=0.5)) as server:
        headers = {"Authorization": SandboxServer.TOKEN}
        body = {"orderid": "K-1", "amount": "1.00"}
        with httpx.Client(base_url=server.base_url, timeout=5) as client:
            assert client.get("/_sandbox/busy").json() == {"in_flight": 0}
            settle(server)  # that request's handler thread ends just after its answer
            slow = threading.Thread(
                target=lambda: client.post("/kbank/order", json=body, headers=headers)
            )
            slow.start()
            try:
                # The delayed create is counted from the moment it is accepted.
                for _ in range(500):
                    if server.in_flight() == 1:
                        break
                    threading.Event().wait(0.005)
                assert client.get("/_sandbox/busy").json() == {"in_flight": 1}
            finally:
                slow.join(timeout=5)
            settle(server)  # harnesses poll until 0, and so does this test
            assert server.in_flight() == 0
            assert client.get("/_sandbox/busy").json() == {"in_flight": 0}
