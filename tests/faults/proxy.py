"""A loopback fault proxy: sits between the kiosk and the sandbox and misbehaves on demand.

The sandbox speaks the villa contract correctly; this proxy breaks the road
to it, one way per rule, so every network fault of the fault matrix can be
injected over real sockets on 127.0.0.1:

- per request (``Rule``; the first rule whose ``path`` regex matches and has
  ``count`` left applies): ``hang`` (never answer, the sandbox never hears of
  it), ``drop`` (forward, then never answer: the sandbox did the work),
  ``reset`` (forward, send the head and half the body, then a TCP RST),
  ``trickle`` (forward, dribble the answer out), ``relabel`` (forward with
  another Content-Type), ``canned`` (any status, headers and body: 429 with
  Retry-After, 5xx, garbage JSON, an HTML page, a 10 MB body, a 401);
- per listener: ``refuse()`` (nothing listens: connection refused),
  ``blackhole()`` (a socket that never accepts and whose backlog is full:
  the connect times out), ``restore()``;
- ``tls=`` an ``ssl.SSLContext``: the proxy speaks TLS with that certificate.

It runs its own asyncio loop in a daemon thread, so the loop under test is
only ever busy with the kiosk's own work.
"""

from __future__ import annotations

import asyncio
import json
import re
import socket
import ssl
import struct
import threading
from collections.abc import Coroutine
from dataclasses import dataclass, field, replace
from types import TracebackType
from typing import Any, Literal, TypeVar
from urllib.parse import urlsplit

T = TypeVar("T")
Kind = Literal["pass", "hang", "drop", "reset", "trickle", "relabel", "canned"]


@dataclass(frozen=True)
class Rule:
    kind: Kind
    path: str = ""  # a regex searched in the request path; "" = every request
    count: int | None = None  # requests it applies to; None = all of them
    status: int = 200
    headers: tuple[tuple[str, str], ...] = ()
    body: bytes = b""
    content_type: str = "application/json; charset=utf-8"
    interval_s: float = 0.1  # trickle: pause between pieces
    chunk: int = 4  # trickle: bytes per piece

    # -- the faults of the matrix, by name

    @classmethod
    def http(cls, status: int, payload: object = None, **kw: Any) -> Rule:
        body = json.dumps(
            payload
            if payload is not None
            else {"error": {"code": f"http_{status}", "message": "injected"}}
        )
        return cls("canned", status=status, body=body.encode(), **kw)

    @classmethod
    def too_many(cls, retry_after: int, **kw: Any) -> Rule:
        rule = cls.http(
            429, {"object": "error", "code": "rate_limited", "message": "slow down"}, **kw
        )
        return replace(rule, headers=(("Retry-After", str(retry_after)),))

    @classmethod
    def garbage_json(cls, **kw: Any) -> Rule:
        return cls("canned", body=b'{"id": "order_test_abc", "amount": 30', **kw)

    @classmethod
    def html_page(cls, **kw: Any) -> Rule:
        page = b"<html><body><h1>Wi-Fi login</h1>Please sign in to continue.</body></html>"
        return cls("canned", body=page, content_type="text/html; charset=utf-8", **kw)

    @classmethod
    def huge(cls, size: int, **kw: Any) -> Rule:
        head = b'{"id": "order_test_huge", "padding": "'
        return cls("canned", body=head + b"x" * (size - len(head) - 2) + b'"}', **kw)

    @classmethod
    def unauthorized(cls, **kw: Any) -> Rule:
        return cls.http(401, {"error": {"code": "unauthorized", "message": "Token expired."}}, **kw)


@dataclass
class Seen:
    method: str
    path: str
    kind: str


@dataclass
class _Armed:
    rule: Rule
    left: int | None  # None: no limit


@dataclass
class _State:
    rules: list[_Armed] = field(default_factory=list)
    seen: list[Seen] = field(default_factory=list)


class FaultProxy:
    def __init__(self, upstream: str, *, tls: ssl.SSLContext | None = None) -> None:
        parts = urlsplit(upstream)
        assert parts.hostname in ("127.0.0.1", "localhost"), "loopback only"
        self._upstream = (parts.hostname, parts.port or 80)
        self._tls = tls
        self._lock = threading.Lock()
        self._state = _State()
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(
            target=self._loop.run_forever, daemon=True, name="fault-proxy"
        )
        self._server: asyncio.Server | None = None
        self._blackhole: list[socket.socket] = []
        self._handlers: set[asyncio.Task[None]] = set()
        self.port = 0

    # -- lifecycle

    def start(self) -> FaultProxy:
        self._thread.start()
        self._call(self._listen())
        return self

    def stop(self) -> None:
        if not self._thread.is_alive():
            return
        self._call(self._shutdown())
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=5)
        self._loop.close()

    def __enter__(self) -> FaultProxy:
        return self.start()

    def __exit__(
        self, t: type[BaseException] | None, e: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    @property
    def base_url(self) -> str:
        scheme = "https" if self._tls else "http"
        return f"{scheme}://127.0.0.1:{self.port}"

    # -- steering (from the test's thread)

    def add(self, rule: Rule) -> None:
        with self._lock:
            self._state.rules.append(_Armed(rule, rule.count))

    def clear(self) -> None:
        with self._lock:
            self._state.rules.clear()

    @property
    def seen(self) -> list[Seen]:
        with self._lock:
            return list(self._state.seen)

    def refuse(self) -> None:
        """Stop listening: every connect is refused at once."""
        self._call(self._close_listener())

    def blackhole(self) -> None:
        """Listen without ever accepting, backlog full: every connect hangs until it times out."""
        self._call(self._close_listener())
        hole = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        hole.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        hole.bind(("127.0.0.1", self.port))
        hole.listen(0)
        self._blackhole.append(hole)
        # With a backlog of 0 one connection fills the queue; later SYNs are dropped.
        filler = socket.create_connection(("127.0.0.1", self.port), timeout=5)
        self._blackhole.append(filler)

    def restore(self) -> None:
        """Listen again on the same port, rules as they are."""
        for sock in self._blackhole:
            sock.close()
        self._blackhole.clear()
        self._call(self._listen())

    # -- internals (the proxy's own loop)

    def _call(self, coro: Coroutine[Any, Any, T]) -> T:
        return asyncio.run_coroutine_threadsafe(coro, self._loop).result(timeout=10)

    async def _listen(self) -> None:
        if self._server is not None:
            return
        self._server = await asyncio.start_server(
            self._serve, "127.0.0.1", self.port, ssl=self._tls, reuse_address=True
        )
        self.port = self._server.sockets[0].getsockname()[1]

    async def _close_listener(self) -> None:
        server, self._server = self._server, None
        if server is not None:
            server.close()

    async def _shutdown(self) -> None:
        await self._close_listener()
        for sock in self._blackhole:
            sock.close()
        for task in list(self._handlers):
            task.cancel()
        await asyncio.gather(*self._handlers, return_exceptions=True)

    def _take(self, method: str, path: str) -> Rule:
        with self._lock:
            chosen = Rule("pass")
            for armed in self._state.rules:
                if (armed.left is None or armed.left > 0) and re.search(armed.rule.path, path):
                    if armed.left is not None:
                        armed.left -= 1
                    chosen = armed.rule
                    break
            self._state.seen.append(Seen(method, path, chosen.kind))
            return chosen

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._handlers.add(task)
        try:
            await self._one(reader, writer)
        except (
            ConnectionError,
            asyncio.IncompleteReadError,
            asyncio.LimitOverrunError,
            ssl.SSLError,
        ):
            pass
        finally:
            self._handlers.discard(task)
            if not writer.is_closing():
                writer.close()

    async def _one(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        head = await reader.readuntil(b"\r\n\r\n")
        request_line, _, rest = head.decode("latin-1").partition("\r\n")
        method, target, _ = request_line.split(" ", 2)
        length = 0
        for line in rest.split("\r\n"):
            name, _, value = line.partition(":")
            if name.strip().lower() == "content-length":
                length = int(value.strip())
        body = await reader.readexactly(length) if length else b""
        rule = self._take(method, urlsplit(target).path)
        if rule.kind == "canned":
            writer.write(_head(rule.status, rule.content_type, rule.headers, len(rule.body)))
            # In pieces, like a server: one 10 MB copy under the GIL would stall
            # the loop under test and blame the kiosk for the proxy's work.
            canned = memoryview(rule.body)
            for i in range(0, len(canned), 65536):
                writer.write(canned[i : i + 65536])
                await writer.drain()
            return
        if rule.kind == "hang":
            await reader.read()  # until the client gives up
            return
        answer = await self._forward(head + body)
        if rule.kind == "drop":
            await reader.read()
            return
        if rule.kind == "relabel":
            answer = _relabel(answer, rule.content_type)
        if rule.kind == "reset":
            cut = answer.index(b"\r\n\r\n") + 4
            cut += max(1, (len(answer) - cut) // 2)
            writer.write(answer[:cut])
            await writer.drain()
            await asyncio.sleep(0.05)  # let the client start on the body first
            sock = writer.get_extra_info("socket")
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            writer.transport.abort()  # close with linger 0: an RST, not a FIN
            return
        if rule.kind == "trickle":
            for i in range(0, len(answer), rule.chunk):
                if writer.is_closing():
                    return
                writer.write(answer[i : i + rule.chunk])
                await writer.drain()
                await asyncio.sleep(rule.interval_s)
            return
        writer.write(answer)
        await writer.drain()

    async def _forward(self, request: bytes) -> bytes:
        up_reader, up_writer = await asyncio.open_connection(*self._upstream)
        try:
            up_writer.write(request)
            await up_writer.drain()
            return await up_reader.read()  # the sandbox answers HTTP/1.0 and closes
        finally:
            up_writer.close()


def _head(
    status: int, content_type: str, headers: tuple[tuple[str, str], ...], length: int
) -> bytes:
    lines = [
        f"HTTP/1.1 {status} Injected",
        f"Content-Type: {content_type}",
        f"Content-Length: {length}",
        "Connection: close",
    ]
    lines += [f"{name}: {value}" for name, value in headers]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


def _relabel(answer: bytes, content_type: str) -> bytes:
    head, _, body = answer.partition(b"\r\n\r\n")
    lines = [line for line in head.split(b"\r\n") if not line.lower().startswith(b"content-type:")]
    lines.insert(1, f"Content-Type: {content_type}".encode("latin-1"))
    return b"\r\n".join(lines) + b"\r\n\r\n" + body


__all__ = ["FaultProxy", "Rule", "Seen"]
