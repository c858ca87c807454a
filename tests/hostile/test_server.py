"""The hostile gateway itself: honest where it should be, wrong in exactly one thing per mode.

These pass on any kiosk: they check the tool, so that a kiosk test failing
against a mode fails for that mode's attack and not for a broken server.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from kiosk.domain import thaiqr
from kiosk.domain.money import Money
from tests.hostile import qr
from tests.hostile.conftest import MakeGateway
from tests.hostile.kiosk_run import fragments
from tests.hostile.modes import CONTROLS, DEPTH, MODES
from tests.hostile.server import TARGET, HostileGateway

SALE = Money(30000)


class Client:
    """What the kiosk does, by hand: sign in at Cognito, then call the API with the ID token."""

    def __init__(self, gateway: HostileGateway) -> None:
        self.gateway = gateway
        self.http = httpx.Client(timeout=5, trust_env=False)

    def sign_in(self, password: str | None = None) -> httpx.Response:
        c = self.gateway.credentials
        params = {
            "USERNAME": c.username,
            "PASSWORD": password or c.password,
            "SECRET_HASH": c.secret_hash,
        }
        body = {"AuthFlow": "USER_PASSWORD_AUTH", "ClientId": c.client_id, "AuthParameters": params}
        headers = {"Content-Type": "application/x-amz-json-1.1", "X-Amz-Target": TARGET}
        return self.http.post(
            self.gateway.cognito_url + "/", content=json.dumps(body), headers=headers
        )

    def api(self, method: str, path: str, body: dict[str, Any] | None = None) -> httpx.Response:
        headers = {"Authorization": self.gateway.id_token}
        return self.http.request(method, self.gateway.base_url + path, json=body, headers=headers)

    def create(self, orderid: str = "S001-T01-20260101-0001") -> httpx.Response:
        body = {"orderid": orderid, "source": "qr", "amount": SALE.plain(), "currency": "THB"}
        return self.api("POST", "/kbank/order", body)

    def qr_text(self, orderid: str = "S001-T01-20260101-0001") -> str:
        answer = self.api("POST", "/qrpayment", {"orderid": orderid, "source": "qr"}).json()
        text = answer["paint_text"]
        assert isinstance(text, str)
        return text


MakeClient = Callable[[HostileGateway], Client]


@pytest.fixture
def connect() -> Iterator[MakeClient]:
    made: list[Client] = []

    def make(gateway: HostileGateway) -> Client:
        made.append(Client(gateway))
        return made[-1]

    yield make
    for client in made:
        client.http.close()


def test_the_honest_gateway_signs_in_creates_once_per_id_and_pays(
    hostile: MakeGateway, connect: MakeClient
) -> None:
    gateway = hostile(pay_after_s=0)
    client = connect(gateway)
    assert client.sign_in("wrong").json()["__type"] == "NotAuthorizedException"
    result = client.sign_in().json()["AuthenticationResult"]
    assert result["IdToken"] == gateway.id_token and result["RefreshToken"]
    assert client.http.get(gateway.base_url + "/checkstatus/x").status_code == 401  # no token
    first, again = client.create().json(), client.create().json()
    assert first["id"] == again["id"] and first["amount"] == 300.0
    assert gateway.create_calls() == {"S001-T01-20260101-0001": 2}
    assert thaiqr.check(client.qr_text(), order_amount=SALE, expected_payee=qr.SHOP_BILLER_ID)
    status = client.api("GET", "/checkstatus/S001-T01-20260101-0001").json()
    assert (status["status"], status["transaction_state"]) == ("success", "Authorized")
    assert status["order_id"] == first["id"] and status["metadata"]["orderid"].endswith("0001")
    assert client.api("GET", "/checkstatus/unknown").status_code == 404
    assert gateway.paid_answers() == 1


def well_formed(text: str) -> list[tuple[str, str]]:
    """Top-level fields of a payload with sound TLV and CRC (the kiosk is stricter)."""
    fields = thaiqr.parse_tlv(text)
    assert fields[0] == ("00", "01") and fields[-1][0] == "63"
    assert text[-4:] == thaiqr.crc_hex(text[:-4])
    return fields


@pytest.mark.parametrize(
    ("mode", "tags"),
    [
        ("qr-two-tag54", {"54": ["300.00", "9999.00"]}),
        ("qr-payee-29-then-30", {"54": ["300.00"]}),
        ("qr-tag54-exponent", {"54": ["3E+2"]}),
        ("qr-tag54-plus", {"54": ["+300"]}),
    ],
)
def test_a_hostile_qr_is_well_formed_and_wrong_in_one_way(
    hostile: MakeGateway, connect: MakeClient, mode: str, tags: dict[str, list[str]]
) -> None:
    client = connect(hostile(mode))
    client.create()
    fields = well_formed(client.qr_text())  # a valid CRC and TLV: not damage
    for tag, values in tags.items():
        assert [value for key, value in fields if key == tag] == values
    payees = [key for key, _ in fields if key in ("29", "30")]
    assert payees == (["29", "30"] if mode == "qr-payee-29-then-30" else ["30"])


def test_the_long_qr_is_valid_and_3500_characters(
    hostile: MakeGateway, connect: MakeClient
) -> None:
    client = connect(hostile("long-qr"))
    client.create()
    text = client.qr_text()
    assert len(text) == 3500 and len(text) > qr.EMVCO_MAX
    fields = well_formed(text)
    tags = [key for key, _ in fields]
    assert len(tags) == len(set(tags))  # every tag once: only the length is wrong
    assert dict(fields)["54"] == SALE.plain()
    assert dict(thaiqr.parse_tlv(dict(fields)["30"]))["01"] == qr.SHOP_BILLER_ID


def test_deep_json_is_valid_json_no_parser_of_default_depth_reads(
    hostile: MakeGateway, connect: MakeClient
) -> None:
    body = connect(hostile("deep-json")).create().content
    assert body.count(b"[") == DEPTH
    with pytest.raises(RecursionError):
        json.loads(body)


@pytest.mark.parametrize(
    ("mode", "changed"),
    [
        ("amount-exponent", {"amount": "3E+2"}),
        ("huge-expiry", {"expire_time_seconds": 10**12}),
        ("negative-expiry", {"expire_time_seconds": -100}),
    ],
)
def test_a_create_answer_differs_from_the_honest_one_in_one_field(
    hostile: MakeGateway, connect: MakeClient, mode: str, changed: dict[str, object]
) -> None:
    gateway = hostile(mode)
    answer = connect(gateway).create().json()
    honest = gateway.order_answer(gateway.orders()[0])
    differing = {k: v for k, v in answer.items() if honest.get(k) != v and k != "created"}
    assert differing == changed


@pytest.mark.parametrize("mode", ["paid-wrong-amount", "paid-other-order", "control-charge-id"])
def test_every_paid_mode_says_paid(hostile: MakeGateway, connect: MakeClient, mode: str) -> None:
    gateway = hostile(mode, pay_after_s=0)
    client = connect(gateway)
    client.create()
    status = client.api("GET", "/checkstatus/S001-T01-20260101-0001").json()
    assert (status["status"], status["transaction_state"]) == ("success", "Authorized")
    if mode == "paid-wrong-amount":
        assert status["amount"] == 1.0
    elif mode == "paid-other-order":
        assert status["order_id"] != gateway.orders()[0].gateway_order_id
    else:
        assert CONTROLS in status["id"]


def test_paid_unknown_order_answers_paid_only_for_orders_it_never_made(
    hostile: MakeGateway,
    connect: MakeClient,
) -> None:
    gateway = hostile("paid-unknown-order", pay_after_s=60)
    client = connect(gateway)
    forged = client.api("GET", "/checkstatus/S001-T01-20260101-0042").json()
    assert forged["transaction_state"] == "Authorized" and "metadata" not in forged
    client.create()
    honest = client.api("GET", "/checkstatus/S001-T01-20260101-0001").json()
    assert honest["transaction_state"] == "Initialize"


@pytest.mark.parametrize(
    ("mode", "echoed"),
    [
        ("token-echo-error", "id_token"),
        ("token-echo-detail", "id_token"),
        ("cognito-echo-password", "password"),
    ],
)
def test_echo_modes_send_the_secret_back(
    hostile: MakeGateway, connect: MakeClient, mode: str, echoed: str
) -> None:
    gateway = hostile(mode)
    client = connect(gateway)
    answer = client.sign_in().text if echoed == "password" else client.create().text
    secret = gateway.credentials.password if echoed == "password" else gateway.id_token
    assert secret in answer


def test_every_mode_is_named_numbered_and_played_by_a_kiosk_test() -> None:
    assert len(MODES) >= 20
    assert all(mode.name == name and 0 <= mode.attack <= 7 for name, mode in MODES.items())
    here = Path(__file__).parent
    tests = "".join(
        path.read_text(encoding="utf-8")
        for path in here.glob("test_*.py")
        if path.name != "test_server.py"
    )
    unplayed = [name for name in MODES if name != "honest" and f'"{name}"' not in tests]
    assert unplayed == []


def test_token_fragments_leave_out_the_common_jwt_header(hostile: MakeGateway) -> None:
    gateway = hostile()
    header = gateway.id_token.split(".")[0]
    assert not any(piece in header for piece in fragments(gateway.id_token)[1:])
    assert len(set(gateway.secrets().values())) == len(gateway.secrets())
