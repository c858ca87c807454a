"""Where a receipt goes: an ESC/POS printer (network, USB, serial, device file) or a PDF.

Every call here blocks (sockets, USB, rendering): the receipt service runs
them on its print thread. A printer that cannot be reached raises
``PrinterUnavailable`` before a byte is sent (safe to try again); a failure
once bytes went out raises ``PrinterError`` (trying again could print twice,
so the job is marked failed and the cashier reprints).

A network printer is asked for its status (``DLE EOT 1``) after the job: an
answer, or an orderly close, means it took every byte; a reset means the
connection dropped mid-job. A printer that does not answer in
``CONFIRM_TIMEOUT_S`` is taken to have the job (it kept the connection).
"""

from __future__ import annotations

import contextlib
import importlib
import logging
import socket
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from kiosk.domain.errors import PrinterError, PrinterUnavailable, Text
from kiosk.infra.config import PrinterSettings
from kiosk.receipts.escpos_jobs import configure, escpos_printer_module, raster_job, text_job
from kiosk.receipts.layout import Block, Paper, paper_of
from kiosk.receipts.model import Receipt

if TYPE_CHECKING:  # Pillow loads on the first image, not at start-up (~10-20 ms)
    from PIL import Image

log = logging.getLogger("kiosk.receipts.printer")

NETWORK_TIMEOUT_S = 5.0
CONFIRM_TIMEOUT_S = 2.0
STATUS_REQUEST = b"\x10\x04\x01"  # DLE EOT 1: real-time printer status


@dataclass(frozen=True)
class Document:
    """One receipt (or test page), rendered; what every printer may need of it."""

    name: str  # file stem, e.g. receipt-000123 or receipt-000123-reprint-1
    blocks: list[Block]
    image: Image.Image  # the raster rendition, 1-bit, the paper's width
    text: str
    paper: Paper
    receipt: Receipt | None = None  # None for a test page


class Printer(Protocol):
    kind: str

    def describe(self) -> str:
        """Where jobs go, for logs and the settings dialog (never a secret)."""
        ...

    def prepare(self) -> None:
        """Anything that must happen on the main thread before a job (Qt's application)."""
        ...

    def print(self, document: Document) -> str:
        """Print, blocking; returns a short note of what was done. Raises PrinterError."""
        ...


class EscposPrinter:
    """An ESC/POS printer reached through one of python-escpos's device classes."""

    def __init__(
        self,
        *,
        kind: str,
        settings: PrinterSettings,
        open_device: Callable[[], Any],
        where: str,
    ) -> None:
        self.kind = kind
        self.settings = settings
        self._open_device = open_device
        self._where = where

    def describe(self) -> str:
        return f"{self.kind} {self._where}"

    def prepare(self) -> None:
        return None

    def payload(self, document: Document) -> bytes:
        if self.settings.mode == "text":
            return text_job(document.blocks, document.paper, self.settings.codepage)
        return raster_job(document.image)

    def print(self, document: Document) -> str:
        data = self.payload(document)
        self.send(data)
        return f"{len(data)} bytes to {self.describe()}"

    def send(self, data: bytes) -> None:
        device = self._open()
        try:
            device._raw(data)
            if self.kind == "network":
                self._confirm(device)
        except OSError as exc:
            raise PrinterError(
                f"{self.describe()}: {_one_line(exc)}",
                text=Text(
                    "The receipt printer stopped in the middle of the receipt. "
                    "The sale is complete; reprint the receipt.",
                    "เครื่องพิมพ์หยุดระหว่างพิมพ์ใบเสร็จ การขายเสร็จสมบูรณ์แล้ว กรุณาพิมพ์ซ้ำ",
                ),
            ) from exc
        finally:
            with contextlib.suppress(OSError):
                device.close()

    def _open(self) -> Any:
        not_found: type[Exception] = importlib.import_module("escpos.exceptions").Error
        try:
            device = self._open_device()
            device.open()
        # ValueError: pyusb has no libusb back end; RuntimeError: pyusb is missing.
        except (not_found, OSError, ValueError, RuntimeError) as exc:
            raise PrinterUnavailable(f"{self.describe()}: {_one_line(exc)}") from exc
        if not getattr(device, "_device", None):
            raise PrinterUnavailable(f"{self.describe()}: not found")
        return device

    def _confirm(self, device: Any) -> None:
        sock: socket.socket = device.device
        device._raw(STATUS_REQUEST)
        sock.settimeout(CONFIRM_TIMEOUT_S)
        try:
            answer = sock.recv(16)
        except TimeoutError:
            log.info("%s took the job but did not answer the status request", self.describe())
            return
        if not answer:
            log.info("%s closed the connection after the job", self.describe())


def _one_line(exc: BaseException) -> str:
    return f"{type(exc).__name__}: " + " ".join(str(exc).split())


def escpos_printer(settings: PrinterSettings) -> EscposPrinter:
    """The python-escpos device for ``printer.kind`` network, usb, serial or file."""
    module = escpos_printer_module()
    width = paper_of(settings).width_px
    kind = settings.kind
    device = settings.device.strip()
    opener: Callable[[], Any]
    if kind == "network":
        where = f"{settings.host.strip()}:{settings.port}"

        def opener() -> Any:
            return configure(
                module.Network(settings.host.strip(), settings.port, timeout=NETWORK_TIMEOUT_S),
                width,
            )

    elif kind == "usb":
        vendor, product = (int(part, 16) for part in device.split(":"))
        where = device

        def opener() -> Any:
            return configure(
                module.Usb(vendor, product, timeout=int(NETWORK_TIMEOUT_S * 1000)), width
            )

    elif kind == "serial":
        where = f"{device} at {settings.baudrate} baud"

        def opener() -> Any:
            return configure(
                module.Serial(device, baudrate=settings.baudrate, timeout=NETWORK_TIMEOUT_S), width
            )

    elif kind == "file":
        where = device

        def opener() -> Any:
            return configure(module.File(device), width)

    else:
        raise ValueError(f"not an ESC/POS printer kind: {kind}")
    return EscposPrinter(kind=kind, settings=settings, open_device=opener, where=where)


def make_printer(settings: PrinterSettings, data_dir: Path) -> Printer | None:
    """The printer the settings name; None for ``kind = "none"``."""
    if settings.kind == "none":
        return None
    if settings.kind == "pdf":
        # Qt is loaded only when PDFs are wanted (and only in a qt_* module).
        qt_pdf = importlib.import_module("kiosk.receipts.qt_pdf")
        folder = (
            Path(settings.device).expanduser()
            if settings.device.strip()
            else data_dir / "receipts" / "pdf"
        )
        printer: Printer = qt_pdf.PdfPrinter(folder)
        return printer
    return escpos_printer(settings)
