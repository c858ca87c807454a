"""Read an ESC/POS byte stream back: commands, raster images, text, as a printer would."""

from __future__ import annotations

import contextlib
import socket
import struct
import threading
from dataclasses import dataclass, field

from PIL import Image

ESC, GS, DLE = 0x1B, 0x1D, 0x10


@dataclass
class Stream:
    commands: list[tuple[str, int]] = field(default_factory=list)  # (name, argument)
    rasters: list[tuple[int, int, bytes]] = field(default_factory=list)  # (width bytes, rows, data)
    text: list[bytes] = field(default_factory=list)  # printable bytes, line by line

    def names(self) -> list[str]:
        return [name for name, _ in self.commands]

    def image(self) -> Image.Image:
        """Every GS v 0 block stacked top to bottom; bit 1 = a black dot."""
        (width,) = {w for w, _, _ in self.rasters}
        rows = sum(r for _, r, _ in self.rasters)
        data = b"".join(d for _, _, d in self.rasters)
        # Pillow's mode "1" reads bit 1 as white: flip the bits.
        return Image.frombytes("1", (width * 8, rows), bytes(b ^ 0xFF for b in data))


def parse(data: bytes) -> Stream:
    """Parse the commands our jobs use; anything unknown fails the test."""
    out = Stream()
    line = bytearray()
    i = 0
    two = {
        (ESC, ord("@")): ("init", 0),
    }
    three = {
        (ESC, ord("d")): "feed",
        (ESC, ord("t")): "codepage",
        (ESC, ord("a")): "align",
        (ESC, ord("E")): "bold",
        (GS, ord("!")): "size",
        (GS, ord("B")): "invert",
        (DLE, 0x04): "status",
    }
    while i < len(data):
        b = data[i]
        pair = (b, data[i + 1]) if i + 1 < len(data) else (b, -1)
        if pair in two:
            out.commands.append(two[pair])
            i += 2
        elif pair in three:
            out.commands.append((three[pair], data[i + 2]))
            i += 3
        elif pair == (GS, ord("v")):
            assert data[i + 2] == ord("0"), "GS v must be GS v 0"
            width = data[i + 4] | data[i + 5] << 8
            rows = data[i + 6] | data[i + 7] << 8
            start = i + 8
            out.rasters.append((width, rows, data[start : start + width * rows]))
            out.commands.append(("raster", rows))
            i = start + width * rows
        elif pair == (GS, ord("V")):
            mode = data[i + 2]
            out.commands.append(("cut", mode))
            i += 4 if mode in (65, 66) else 3
        elif b == 0x0A:
            out.text.append(bytes(line))
            line.clear()
            i += 1
        elif b >= 0x20:
            line.append(b)
            i += 1
        else:
            raise AssertionError(f"unknown command {data[i : i + 4].hex(' ')} at {i}")
    if line:
        out.text.append(bytes(line))
    return out


class LoopbackPrinter:
    """A network "printer" on 127.0.0.1: keeps every job's bytes, answers DLE EOT 1.

    ``drop_after``: read that many bytes of a job, then reset the connection.
    """

    def __init__(self, *, drop_after: int | None = None, port: int = 0) -> None:
        self.drop_after = drop_after
        self.answers_status = True
        self.jobs: list[bytes] = []
        self.job_done = threading.Event()
        self._server = socket.create_server(("127.0.0.1", port))
        self.port: int = self._server.getsockname()[1]
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self._server.accept()
            except OSError:
                return
            with conn:
                self.jobs.append(self._job(conn))
            self.job_done.set()

    def _job(self, conn: socket.socket) -> bytes:
        received = bytearray()
        while True:
            chunk = conn.recv(65536)
            if not chunk:
                return bytes(received)
            received += chunk
            if self.drop_after is not None and len(received) >= self.drop_after:
                # Unread data plus SO_LINGER 0: the kernel sends a reset.
                conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                return bytes(received)
            if self.answers_status and received.endswith(b"\x10\x04\x01"):
                conn.sendall(b"\x12")  # online, no error

    def wait_job(self, timeout: float = 10) -> bytes:
        assert self.job_done.wait(timeout), "the printer got no job"
        self.job_done.clear()
        return self.jobs[-1]

    def __enter__(self) -> LoopbackPrinter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        with contextlib.suppress(OSError):
            self._server.shutdown(socket.SHUT_RDWR)  # wakes the blocked accept()
        self._server.close()
        self._thread.join(timeout=5)


def refusing_port() -> socket.socket:
    """A bound port nobody listens on: connecting to it is refused at once."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    return sock
