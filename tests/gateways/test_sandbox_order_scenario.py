"""set_order_scenario: faults switched on for an order that already exists."""

import httpx

from kiosk.gateways.sandbox import SandboxServer, Scenario


def test_faults_for_an_existing_order() -> None:
    with SandboxServer() as server:
        headers = {"Authorization": SandboxServer.TOKEN}
        body = {"orderid": "A-1", "source": "qr", "amount": "10.00"}
        with httpx.Client(base_url=server.base_url, headers=headers) as client:
            assert client.post("/kbank/order", json=body).status_code == 200
            server.set_order_scenario("A-1", Scenario(kind="never", fault="http500", fault_count=2))
            codes = [client.get("/checkstatus/A-1").status_code for _ in range(3)]
    assert codes == [500, 500, 200]
