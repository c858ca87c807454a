"""A hostile Cognito for tests: a stdlib HTTP server on 127.0.0.1 that answers
InitiateAuth the way an attacker (or a broken proxy) would.

Modes:

- ``echo``: 400 with the password it was sent in ``__type`` and ``message``;
- ``rich``: 400 with rich text (``RICH_TYPE``) as ``__type``;
- ``trickle``: 200 whose body arrives one byte every ``TRICKLE_S`` seconds;
- ``deep``: 200 with JSON nested 10 000 deep;
- ``big``: 200 with a body of 1 MB;
- ``controls``: 400 with control and bidi characters in ``__type`` and ``message``.

Every request body is kept (``requests``), so a test can also show that
nothing was sent at all.
"""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

RICH_TYPE = "<h1 style='color:green'>PAID ✓</h1>"
CONTROL_TYPE = "Evil\x1b[31m\nType\u202e\x00"
TRICKLE_S = 2.0
DEEP = 10_000


class HostileCognito:
    def __init__(self, mode: str) -> None:
        self.mode = mode
        self.requests: list[dict[str, Any]] = []
        self._stop = threading.Event()
        hostile = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self) -> None:
                raw = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                try:
                    body = json.loads(raw)
                except ValueError:
                    body = {}
                hostile.requests.append(body)
                hostile.answer(self, body)

            def do_GET(self) -> None:  # the API side, if a test points base_url here
                hostile.requests.append({"GET": self.path})
                self._send(404, b'{"error": {"code": "not_found", "message": "no"}}')

            def _send(self, status: int, payload: bytes) -> None:
                self.send_response(status)
                self.send_header("Content-Type", "application/x-amz-json-1.1")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, format: str, *args: Any) -> None:
                return None

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    def answer(self, handler: BaseHTTPRequestHandler, body: dict[str, Any]) -> None:
        params = body.get("AuthParameters") or {}
        password = str(params.get("PASSWORD") or params.get("REFRESH_TOKEN") or "")
        status, payload = 200, b""
        if self.mode == "echo":
            status = 400
            payload = json.dumps(
                {
                    "__type": f"com.amazonaws.cognito#{password}",
                    "message": f"Incorrect password {password} for user",
                }
            ).encode()
        elif self.mode == "rich":
            status = 400
            payload = json.dumps({"__type": RICH_TYPE, "message": "<b>paid</b>"}).encode()
        elif self.mode == "controls":
            status = 400
            payload = json.dumps({"__type": CONTROL_TYPE, "message": "a\nb\x1b[2Jc\u202e"}).encode()
        elif self.mode == "deep":
            payload = b"[" * DEEP + b"]" * DEEP
        elif self.mode == "big":
            payload = b'{"x": "' + b"a" * 1_000_000 + b'"}'
        if self.mode == "trickle":
            self._trickle(handler)
            return
        handler.send_response(status)
        handler.send_header("Content-Type", "application/x-amz-json-1.1")
        handler.send_header("Content-Length", str(len(payload)))
        handler.end_headers()
        handler.wfile.write(payload)

    def _trickle(self, handler: BaseHTTPRequestHandler) -> None:
        payload = b'{"AuthenticationResult": {"IdToken": "a.b.c"}}' + b" " * 200
        handler.send_response(200)
        handler.send_header("Content-Type", "application/x-amz-json-1.1")
        handler.send_header("Content-Length", str(len(payload)))
        handler.end_headers()
        try:
            for byte in payload:
                handler.wfile.write(bytes([byte]))
                handler.wfile.flush()
                if self._stop.wait(TRICKLE_S):
                    return
        except OSError:  # the kiosk gave up and closed the connection
            return

    def __enter__(self) -> HostileCognito:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._server.shutdown()
        self._server.server_close()
