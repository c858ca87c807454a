"""The sandbox gateway's server: :class:`SandboxServer` and its HTTP plumbing.

A real HTTP server on 127.0.0.1 speaking the villa contract, so the default
run of the kiosk exercises the real villa adapter over a real socket (see
docs: gateways.md §1 and §4). :class:`SandboxServer` starts and stops a
``ThreadingHTTPServer`` in a daemon thread, checks the Authorization header
of the API routes, counts requests in flight, and offers the steering methods
tests use; what each endpoint answers is in
:mod:`kiosk.gateways.sandbox.handlers`, the orders in
:mod:`kiosk.gateways.sandbox.model`. Everything it emits says sandbox: ids
``order_test_…``, merchant "SANDBOX SHOP", ``livemode`` false.

Stdlib only; runs in a daemon thread of the kiosk process, or on its own
(:mod:`kiosk.gateways.sandbox.cli`).
"""

from __future__ import annotations

import hmac
import logging
import socket
import threading
import time
from collections.abc import Callable
from email.message import Message
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any, Literal, cast
from urllib.parse import urlsplit

from kiosk.gateways.sandbox import model
from kiosk.gateways.sandbox.handlers import (
    API_ROUTES,
    CONTROL_ROUTES,
    Context,
    Reply,
    dispatch,
    kbank_error,
    seed_error,
)
from kiosk.gateways.sandbox.model import DEFAULT_SCENARIO, OrderBook, Scenario

_log = logging.getLogger("kiosk.gateway.sandbox")


class SandboxServer:
    """A villa-contract gateway on a real socket; ``start()`` it, ``stop()`` it."""

    TOKEN = "sandbox-token"
    BILLER_ID = model.BILLER_ID  # the sandbox shop's payee (tag 30 biller id)

    def __init__(
        self,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        scenario: Scenario = DEFAULT_SCENARIO,
        token: str = TOKEN,
        token_check: Callable[[str], bool] | None = None,
        auth_style: Literal["any", "raw", "bearer"] = "any",
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        """``token_check`` replaces the fixed ``token`` (e.g. verify a Cognito ID token);
        ``auth_style`` demands one form of the Authorization header (default: both)."""
        self._host = host
        self._port = port
        self._token = token
        self._token_check = token_check
        self._auth_style = auth_style
        self._book = OrderBook(scenario=scenario, monotonic=monotonic)
        self._context = Context(book=self._book, biller_id=self.BILLER_ID, in_flight=self.in_flight)
        self._lock = threading.Lock()  # for _in_flight
        self._httpd: _HttpServer | None = None
        self._thread: threading.Thread | None = None
        self._base_url: str | None = None
        self._in_flight = 0  # requests accepted and not yet answered (see in_flight)

    # -- lifecycle ---------------------------------------------------------

    def start(self) -> SandboxServer:
        """Bind, start serving in a daemon thread, and return self."""
        if self._httpd is not None:
            return self
        httpd = _HttpServer((self._host, self._port), _Handler, self)
        host, port = httpd.server_address[:2]
        host_text = host.decode() if isinstance(host, bytes) else str(host)
        self._base_url = f"http://{host_text}:{port}"
        thread = threading.Thread(
            target=httpd.serve_forever,
            kwargs={"poll_interval": 0.1},
            name=f"sandbox-gateway-{port}",
            daemon=True,
        )
        self._httpd, self._thread = httpd, thread
        thread.start()
        _log.info("SANDBOX gateway listening on %s", self._base_url)
        return self

    def stop(self) -> None:
        """Stop serving and close the socket; safe to call more than once."""
        httpd, thread = self._httpd, self._thread
        self._httpd = self._thread = None
        if httpd is None:
            return
        httpd.shutdown()
        httpd.server_close()
        if thread is not None:
            thread.join(timeout=5)
        _log.info("SANDBOX gateway on %s stopped", self._base_url)

    def __enter__(self) -> SandboxServer:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    @property
    def base_url(self) -> str:
        if self._base_url is None:
            raise RuntimeError("the sandbox gateway is not started")
        return self._base_url

    # -- steering ----------------------------------------------------------

    def set_scenario(self, scenario: Scenario) -> None:
        """The default scenario for orders created from now on."""
        self._book.set_scenario(scenario)

    def queue_scenario(self, scenario: Scenario) -> None:
        """A scenario for the next created order only (FIFO), then the default again."""
        self._book.queue_scenario(scenario)

    def set_order_scenario(self, orderid: str, scenario: Scenario) -> None:
        """Change how an existing order's answers behave (faults, delays) from now on."""
        self._book.set_order_scenario(orderid, scenario)

    def pay(self, orderid: str) -> None:
        """The customer pays now; works even after cancel or expiry (a late payment)."""
        self._book.pay(orderid)

    def decline(self, orderid: str) -> None:
        """The customer's bank declines now (a pending order only; final states stay)."""
        self._book.decline(orderid)

    def expire(self, orderid: str) -> None:
        """The order expires now (a pending order only; final states stay)."""
        self._book.expire(orderid)

    def orders(self) -> list[dict[str, object]]:
        return self._book.orders()

    def paid_at_monotonic(self, orderid: str) -> float | None:
        return self._book.paid_at_monotonic(orderid)

    def in_flight(self) -> int:
        """Requests accepted and not answered yet, this one excluded when asked over HTTP.

        After a client dies mid-request, ``GET /_sandbox/busy`` until 0 tells
        when everything it sent has been handled: connections are accepted in
        order, so its request is counted before the one asking.
        """
        with self._lock:
            return self._in_flight

    def _request_started(self) -> None:
        with self._lock:
            self._in_flight += 1

    def _request_done(self) -> None:
        with self._lock:
            self._in_flight -= 1

    # -- HTTP --------------------------------------------------------------

    def _handle(self, method: str, raw_path: str, headers: Message, body: bytes) -> Reply:
        path = urlsplit(raw_path).path
        if path == "/_sandbox" or path.startswith("/_sandbox/"):
            return dispatch(self._context, CONTROL_ROUTES, method, path, body)
        if not self._authorized(headers.get("Authorization")):
            return seed_error(401, "unauthorized", "Missing or invalid token.")
        return dispatch(self._context, API_ROUTES, method, path, body)

    def _authorized(self, value: str | None) -> bool:
        if value is None:
            return False
        value = value.strip()
        bearer = value[:7].lower() == "bearer "
        if bearer:
            value = value[7:].strip()
        if (self._auth_style == "raw" and bearer) or (self._auth_style == "bearer" and not bearer):
            return False
        if self._token_check is not None:
            return self._token_check(value)
        return hmac.compare_digest(value.encode(), self._token.encode())


class _HttpServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(
        self,
        address: tuple[str, int],
        handler: type[BaseHTTPRequestHandler],
        sandbox: SandboxServer,
    ) -> None:
        self.sandbox = sandbox
        super().__init__(address, handler)

    # Counted from accept (on the serving thread, in order) to the end of the
    # handler thread, for SandboxServer.in_flight.
    def process_request(
        self, request: socket.socket | tuple[bytes, socket.socket], client_address: Any
    ) -> None:
        self.sandbox._request_started()
        try:
            super().process_request(request, client_address)
        except BaseException:
            self.sandbox._request_done()
            raise

    def process_request_thread(
        self, request: socket.socket | tuple[bytes, socket.socket], client_address: Any
    ) -> None:
        try:
            super().process_request_thread(request, client_address)
        finally:
            self.sandbox._request_done()


class _Handler(BaseHTTPRequestHandler):
    server_version = "SandboxGateway/1.0"
    sys_version = ""
    protocol_version = "HTTP/1.0"  # one request per connection: stop() really stops

    def do_GET(self) -> None:
        self._serve("GET")

    def do_POST(self) -> None:
        self._serve("POST")

    def do_PUT(self) -> None:
        self._serve("PUT")

    def do_PATCH(self) -> None:
        self._serve("PATCH")

    def do_DELETE(self) -> None:
        self._serve("DELETE")

    def version_string(self) -> str:
        return self.server_version

    def log_message(self, format: str, *args: Any) -> None:
        _log.debug("%s - " + format, self.address_string(), *args)

    def _serve(self, method: str) -> None:
        started = time.perf_counter()
        sandbox = cast(_HttpServer, self.server).sandbox
        try:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length > 0 else b""
        except (ValueError, OSError):
            reply = kbank_error("body could not be read")
        else:
            try:
                reply = sandbox._handle(method, self.path, self.headers, body)
            except Exception:
                _log.exception("SANDBOX failed on %s %s", method, self.path)
                reply = seed_error(500, "internal_error", "Sandbox internal error.")
        if reply.delay_s > 0:
            time.sleep(reply.delay_s)
        elapsed_ms = (time.perf_counter() - started - reply.delay_s) * 1000
        try:
            self.send_response(reply.status)
            self.send_header("Content-Type", reply.content_type)
            self.send_header("Content-Length", str(len(reply.body)))
            self.send_header("X-Sandbox-Time-Ms", f"{max(0.0, elapsed_ms):.3f}")
            for name, value in reply.headers:
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(reply.body)
        except (BrokenPipeError, ConnectionResetError) as exc:
            _log.debug("SANDBOX client went away during %s %s: %s", method, self.path, exc)
