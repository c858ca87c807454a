"""The hostile gateway's server: HTTP plumbing, an honest villa API and Cognito, and a record.

:class:`HostileGateway` listens on 127.0.0.1 (a free port) and answers

    POST /cognito/                 Cognito InitiateAuth (JSON 1.1, X-Amz-Target)
    POST /api/kbank/order          create an order (again: the first one is answered)
    POST /api/qrpayment            the order's Thai QR (paint_text)
    GET  /api/checkstatus/{id}     the order's state (paid ``pay_after_s`` after create)
    POST /api/cancel/{id}          cancel a pending order

exactly as an honest Villa server would (docs: gateways.md §1, the shapes of
kiosk/gateways/sandbox/handlers.py), then lets its :class:`Mode` replace one
answer. It records what the kiosk did: create calls per order id, every API
request, every "paid" it answered, every Cognito call, so a test can assert
"one gateway order per sale" and "nothing secret was sent".

Stdlib only (``http.server``); each request is handled on its own thread.
"""

from __future__ import annotations

import base64
import json
import secrets
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any
from urllib.parse import unquote, urlsplit

from kiosk.domain.money import Money
from kiosk.gateways.cognito import secret_hash
from tests.hostile import qr

API = "/api"
COGNITO = "/cognito"
TARGET = "AWSCognitoIdentityProviderService.InitiateAuth"
USERNAME = "kiosk01"
CLIENT_ID = "hostileclient01"
POOL_ID = "ap-southeast-1_HOSTILE1"


@dataclass(frozen=True)
class Reply:
    """One HTTP answer; ``trickle_s`` > 0 sends the body one byte every ``trickle_s`` seconds."""

    status: int
    body: bytes
    content_type: str = "application/json; charset=utf-8"
    trickle_s: float = 0.0


def json_reply(payload: object, status: int = 200) -> Reply:
    return Reply(status, json.dumps(payload, ensure_ascii=False).encode("utf-8"))


def seed_error(status: int, code: str, message: str) -> Reply:
    return json_reply({"error": {"code": code, "message": message}}, status)


@dataclass
class Order:
    """An order the gateway created for the kiosk's ``orderid``."""

    orderid: str
    amount: Money
    method: str
    description: str
    created: float  # time.monotonic()
    gateway_order_id: str = field(default_factory=lambda: "order_test_" + uuid.uuid4().hex)
    charge_id: str = field(default_factory=lambda: "chrg_test_" + uuid.uuid4().hex[:24])
    reference_order: str = field(default_factory=lambda: f"{time.time_ns() // 1000:020d}")
    create_calls: int = 1
    cancelled: bool = False


@dataclass(frozen=True)
class Call:
    """One request as a mode sees it: what came in, the order it names, the honest answer."""

    gateway: HostileGateway
    method: str
    path: str
    headers: Mapping[str, str]  # lower-case names
    data: dict[str, Any] | None  # the JSON object sent, if any
    orderid: str | None
    order: Order | None
    honest: Reply
    answer: dict[str, Any] | None  # the honest answer's JSON object, when it has one

    @property
    def authorization(self) -> str:
        return self.headers.get("authorization", "")

    def auth_parameters(self) -> dict[str, str]:
        params = (self.data or {}).get("AuthParameters")
        return {k: str(v) for k, v in params.items()} if isinstance(params, dict) else {}


Hook = Callable[[Call], Reply | None]  # None: send the honest answer


@dataclass(frozen=True)
class Mode:
    """One attack: which answer it replaces, and how. Everything else stays honest."""

    name: str
    attack: int  # the numbered attack of issue 12
    what: str
    create: Hook | None = None
    qr: Hook | None = None
    status: Hook | None = None
    cognito: Hook | None = None


HONEST = Mode("honest", 0, "a well-behaved Villa gateway and Cognito")


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def fake_jwt(claims: Mapping[str, object]) -> str:
    """A JWT-shaped token (RS256 header, the claims, random signature): Cognito's shape."""
    header = _b64url(json.dumps({"kid": "hostile-key", "alg": "RS256"}).encode())
    payload = _b64url(json.dumps(dict(claims)).encode())
    return f"{header}.{payload}.{_b64url(secrets.token_bytes(256))}"


@dataclass(frozen=True)
class Credentials:
    """What the kiosk signs in with, and the tokens the hostile Cognito hands out."""

    password: str = field(default_factory=lambda: "Hostile-Pw-" + secrets.token_hex(8))
    client_secret: str = field(default_factory=lambda: "hostile-cs-" + secrets.token_hex(12))
    username: str = USERNAME
    client_id: str = CLIENT_ID
    nonce: str = field(default_factory=lambda: secrets.token_hex(16))

    @property
    def secret_hash(self) -> str:
        return secret_hash(self.username, self.client_id, self.client_secret)

    def id_token(self) -> str:
        now = int(time.time())
        return fake_jwt(
            {
                "sub": str(uuid.uuid4()),
                "cognito:username": self.username,
                "aud": self.client_id,
                "token_use": "id",
                "iss": f"https://cognito-idp.ap-southeast-1.amazonaws.com/{POOL_ID}",
                "iat": now,
                "exp": now + 3600,
                "nonce": self.nonce,
            }
        )


class HostileGateway:
    """A villa gateway and Cognito on 127.0.0.1, honest except for its mode."""

    def __init__(
        self,
        mode: Mode | str = "honest",
        *,
        pay_after_s: float = 0.3,
        credentials: Credentials | None = None,
    ) -> None:
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self.mode = mode  # the setter takes a name too
        self.pay_after_s = pay_after_s
        self.credentials = credentials or Credentials()
        self.id_token = self.credentials.id_token()
        self.access_token = fake_jwt({"token_use": "access", "nonce": secrets.token_hex(16)})
        self.refresh_token = ".".join(
            _b64url(secrets.token_bytes(n)) for n in (40, 256, 12, 400, 16)
        )
        self._orders: dict[str, Order] = {}
        self._create_calls: Counter[str] = Counter()
        self._paid_answers: Counter[str] = Counter()
        self.api_requests: list[tuple[str, str, bytes]] = []
        self.cognito_calls = 0
        self.cancels: list[str] = []
        self.cognito_called = threading.Event()
        self.create_called = threading.Event()
        self._httpd: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # --- mode ------------------------------------------------------------

    @property
    def mode(self) -> Mode:
        return self._mode

    @mode.setter
    def mode(self, mode: Mode | str) -> None:
        if isinstance(mode, str):
            from tests.hostile.modes import MODES  # the modes import this module

            mode = MODES[mode]
        with self._lock:
            self._mode = mode

    # --- lifecycle -------------------------------------------------------

    def start(self) -> HostileGateway:
        if self._httpd is not None:
            return self
        httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        httpd.daemon_threads = True
        httpd.hostile = self  # type: ignore[attr-defined]
        self._httpd = httpd
        self._thread = threading.Thread(
            target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()  # a trickling answer stops at its next byte
        httpd, self._httpd = self._httpd, None
        if httpd is not None:
            httpd.shutdown()
            httpd.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def __enter__(self) -> HostileGateway:
        return self.start()

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    @property
    def origin(self) -> str:
        assert self._httpd is not None, "not started"
        return f"http://127.0.0.1:{self._httpd.server_address[1]}"

    @property
    def base_url(self) -> str:
        return self.origin + API

    @property
    def cognito_url(self) -> str:
        return self.origin + COGNITO

    # --- what it saw -----------------------------------------------------

    def create_calls(self) -> dict[str, int]:
        """Create requests per kiosk order id (a retry of the same id counts again)."""
        with self._lock:
            return dict(self._create_calls)

    def orders(self) -> list[Order]:
        with self._lock:
            return list(self._orders.values())

    def paid_answers(self, orderid: str | None = None) -> int:
        """How many status answers said "paid" (for ``orderid``, or in all)."""
        with self._lock:
            if orderid is None:
                return sum(self._paid_answers.values())
            return self._paid_answers[orderid]

    def secrets(self) -> dict[str, str]:
        """Every value that must never reach the kiosk's output, files or journal."""
        c = self.credentials
        return {
            "password": c.password,
            "client secret": c.client_secret,
            "SECRET_HASH": c.secret_hash,
            "ID token": self.id_token,
            "access token": self.access_token,
            "refresh token": self.refresh_token,
        }

    # --- honest answers ----------------------------------------------------

    def _state(self, order: Order) -> str:
        if order.cancelled:
            return "cancelled"
        return "paid" if time.monotonic() - order.created >= self.pay_after_s else "pending"

    def order_answer(self, order: Order, status: str = "success") -> dict[str, Any]:
        return {
            "id": order.gateway_order_id,
            "object": "order",
            "created": time.strftime("%Y%m%d%H%M%S") + "000",
            "livemode": False,
            "amount": float(order.amount.to_decimal()),
            "currency": "THB",
            "customer": None,
            "description": order.description,
            "metadata": {"orderid": order.orderid},
            "status": status,
            "reference_order": order.reference_order,
            "source_type": order.method,
            "additional_data": {"term": None, "mid": None, "tid": None},
            "failure_code": None,
            "failure_message": None,
            "expire_time_seconds": 600,
        }

    def qr_answer(self, order: Order) -> dict[str, Any]:
        text = (
            qr.honest(order.amount, ref1=order.reference_order[-20:])
            if order.method == "qr"
            else "weixin://wxpay/bizpayurl?pr=HOSTILE" + order.reference_order
        )
        return {
            "id": "qr_test_" + order.gateway_order_id[-24:],
            "object": "qr",
            "order_id": order.gateway_order_id,
            "account_name": qr.MERCHANT_NAME,
            "paint_text": text,
            "image_with_base64": None,
            "status": "success",
            "expire_time_seconds": 600,
            "failure_code": None,
            "failure_message": None,
        }

    def status_answer(self, order: Order) -> dict[str, Any]:
        state = self._state(order)
        status, tstate, code, message = {
            "pending": ("success", "Initialize", None, None),
            "paid": ("success", "Authorized", None, None),
            "cancelled": ("fail", "Voided", "order_cancelled", "Order was cancelled."),
        }[state]
        return {
            "id": order.charge_id,
            "object": "qr",
            "order_id": order.gateway_order_id,
            "amount": float(order.amount.to_decimal()),
            "currency": "THB",
            "description": order.description,
            "status": status,
            "transaction_state": tstate,
            "reference_order": order.reference_order,
            "created": time.strftime("%Y%m%d%H%M%S") + "000",
            "livemode": False,
            "metadata": {"orderid": order.orderid},
            "failure_code": code,
            "failure_message": message,
            "source": {
                "id": "src_test_" + order.charge_id[-16:],
                "object": "source",
                "brand": "ThaiQR",
            },
        }

    def _cognito_honest(self, data: dict[str, Any] | None, target: str) -> Reply:
        c = self.credentials
        if target != TARGET:
            return json_reply({"__type": "UnknownOperationException"}, 400)
        data = data or {}
        params = data.get("AuthParameters") if isinstance(data.get("AuthParameters"), dict) else {}
        assert isinstance(params, dict)
        if data.get("ClientId") != c.client_id:
            return json_reply({"__type": "ResourceNotFoundException", "message": "No client"}, 400)
        if params.get("SECRET_HASH") != c.secret_hash:
            refused = "Unable to verify secret hash for client " + c.client_id
            return json_reply({"__type": "NotAuthorizedException", "message": refused}, 400)
        flow = data.get("AuthFlow")
        result: dict[str, Any] = {
            "IdToken": self.id_token,
            "AccessToken": self.access_token,
            "ExpiresIn": 3600,
            "TokenType": "Bearer",
        }
        if flow == "USER_PASSWORD_AUTH":
            if params.get("USERNAME") != c.username or params.get("PASSWORD") != c.password:
                wrong = "Incorrect username or password."
                return json_reply({"__type": "NotAuthorizedException", "message": wrong}, 400)
            result["RefreshToken"] = self.refresh_token
        elif flow == "REFRESH_TOKEN_AUTH":
            if params.get("REFRESH_TOKEN") != self.refresh_token:
                bad = "Invalid Refresh Token"
                return json_reply({"__type": "NotAuthorizedException", "message": bad}, 400)
        else:
            return json_reply({"__type": "InvalidParameterException", "message": "AuthFlow"}, 400)
        return json_reply({"AuthenticationResult": result, "ChallengeParameters": {}})

    # --- dispatch ----------------------------------------------------------

    def handle(self, method: str, raw_path: str, headers: Mapping[str, str], body: bytes) -> Reply:
        path = unquote(urlsplit(raw_path).path)
        data = _json_object(body)
        with self._lock:
            mode = self._mode
            if path.rstrip("/") == COGNITO and method == "POST":
                self.cognito_calls += 1
                self.cognito_called.set()
                honest = self._cognito_honest(data, headers.get("x-amz-target", ""))
                return self._apply(mode.cognito, method, path, headers, data, None, None, honest)
            if not path.startswith(API + "/"):
                return seed_error(404, "not_found", "Not found.")
            self.api_requests.append((method, path, body))
            if headers.get("authorization", "") not in (self.id_token, "Bearer " + self.id_token):
                return seed_error(401, "unauthorized", "Missing or invalid token.")
            route = path[len(API) :]
            if method == "POST" and route == "/kbank/order":
                return self._create(mode, path, headers, data)
            if method == "POST" and route == "/qrpayment":
                orderid = _opt_str((data or {}).get("orderid"))
                order = self._orders.get(orderid or "")
                honest = (
                    json_reply(self.qr_answer(order))
                    if order is not None
                    else seed_error(404, "invalid_order", "Invalid order ID.")
                )
                return self._apply(mode.qr, method, path, headers, data, orderid, order, honest)
            if method == "GET" and route.startswith("/checkstatus/"):
                orderid = route[len("/checkstatus/") :]
                reply = self._status(mode, path, headers, orderid)
                if _says_paid(reply):
                    self._paid_answers[orderid] += 1
                return reply
            if method == "POST" and route.startswith("/cancel/"):
                orderid = route[len("/cancel/") :]
                order = self._orders.get(orderid)
                if order is None:
                    return seed_error(404, "invalid_order", "Invalid order ID.")
                if self._state(order) == "paid":
                    return seed_error(400, "already_paid", "Order is already paid.")
                order.cancelled = True
                self.cancels.append(orderid)
                return json_reply(self.order_answer(order, status="cancelled"))
            return seed_error(404, "not_found", "Not found.")

    def _create(
        self, mode: Mode, path: str, headers: Mapping[str, str], data: dict[str, Any] | None
    ) -> Reply:
        self.create_called.set()
        orderid = _opt_str((data or {}).get("orderid"))
        amount = Money.from_gateway((data or {}).get("amount"))
        if orderid is None or amount is None:
            return json_reply(
                {"object": "error", "code": "invalid_request", "message": "orderid"}, 400
            )
        self._create_calls[orderid] += 1
        order = self._orders.get(orderid)
        if order is None:
            order = Order(
                orderid=orderid,
                amount=amount,
                method=str((data or {}).get("source") or "qr"),
                description=str((data or {}).get("description") or ""),
                created=time.monotonic(),
            )
            self._orders[orderid] = order
        else:
            order.create_calls += 1
        honest = json_reply(self.order_answer(order))
        return self._apply(mode.create, "POST", path, headers, data, orderid, order, honest)

    def _status(self, mode: Mode, path: str, headers: Mapping[str, str], orderid: str) -> Reply:
        order = self._orders.get(orderid)
        if order is None:
            envelope = {"error": "Order not found", "code": "ORDER_NOT_FOUND", "details": {}}
            honest = json_reply({"statusCode": 404, "body": envelope}, 404)
        else:
            honest = json_reply(self.status_answer(order))
        return self._apply(mode.status, "GET", path, headers, None, orderid, order, honest)

    def _apply(
        self,
        hook: Hook | None,
        method: str,
        path: str,
        headers: Mapping[str, str],
        data: dict[str, Any] | None,
        orderid: str | None,
        order: Order | None,
        honest: Reply,
    ) -> Reply:
        if hook is None:
            return honest
        answer = _json_object(honest.body) if honest.status == 200 else None
        call = Call(self, method, path, headers, data, orderid, order, honest, answer)
        return hook(call) or honest

    @property
    def stopping(self) -> threading.Event:
        return self._stopping


def _opt_str(value: object) -> str | None:
    return value if isinstance(value, str) and value else None


def _json_object(body: bytes) -> dict[str, Any] | None:
    try:
        data = json.loads(body) if body.strip() else None
    except (ValueError, RecursionError):
        return None
    return data if isinstance(data, dict) else None


def _says_paid(reply: Reply) -> bool:
    data = _json_object(reply.body)
    return bool(
        data and data.get("status") == "success" and data.get("transaction_state") == "Authorized"
    )


class _Handler(BaseHTTPRequestHandler):
    server_version = "HostileGateway/1.0"
    sys_version = ""
    protocol_version = "HTTP/1.0"  # one request per connection: stop() really stops

    def do_GET(self) -> None:
        self._serve("GET")

    def do_POST(self) -> None:
        self._serve("POST")

    def log_message(self, format: str, *args: Any) -> None:
        return None  # quiet: pytest shows what the tests assert

    def _serve(self, method: str) -> None:
        hostile: HostileGateway = self.server.hostile  # type: ignore[attr-defined]
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length > 0 else b""
        headers = {k.lower(): v for k, v in self.headers.items()}
        reply = hostile.handle(method, self.path, headers, body)
        try:
            self.send_response(reply.status)
            self.send_header("Content-Type", reply.content_type)
            self.send_header("Content-Length", str(len(reply.body)))
            self.end_headers()
            if reply.trickle_s <= 0:
                self.wfile.write(reply.body)
                return
            for i in range(len(reply.body)):
                self.wfile.write(reply.body[i : i + 1])
                self.wfile.flush()
                if hostile.stopping.wait(reply.trickle_s):
                    return
        except (BrokenPipeError, ConnectionResetError):
            return  # the kiosk gave up (or was killed): fine
