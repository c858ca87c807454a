"""ESC/POS byte streams of a receipt, made with python-escpos's Dummy printer.

Raster mode: ``ESC @``, the image as ``GS v 0`` raster blocks (python-escpos
splits tall images into blocks of ``FRAGMENT_ROWS``), feed, ``GS V 0`` cut.
Text mode: ``ESC @``, ``ESC t <codepage>``, rows of CP874 bytes with
``ESC a`` alignment, ``ESC E`` bold and ``GS !`` size, the QR as a raster
image, feed, cut. The text bytes are sent raw: python-escpos's automatic
encoder would pick its own code page number, and Thai printers disagree on it.
"""

from __future__ import annotations

import importlib
import logging
import os
import sys
import tempfile
import threading
from types import ModuleType
from typing import TYPE_CHECKING, Any

from kiosk.receipts.layout import (
    Align,
    Banner,
    Block,
    Gap,
    Line,
    Pair,
    Paper,
    Qr,
    Rule,
    Size,
    text_rows,
)

if TYPE_CHECKING:  # Pillow loads on the first image, not at start-up (~10-20 ms)
    from PIL import Image

ESC, GS = b"\x1b", b"\x1d"
FRAGMENT_ROWS = 512
_IMPORT_LOCK = threading.Lock()


def escpos_printer_module() -> ModuleType:
    """``escpos.printer``, imported without its side effects.

    On import python-escpos calls ``logging.basicConfig()`` (a stderr handler
    on the root logger) and writes a capabilities cache to a fresh temporary
    folder; the handler is removed and the folder deleted again.
    """
    with _IMPORT_LOCK:
        loaded = sys.modules.get("escpos.printer")
        if loaded is not None:
            return loaded
        handlers = list(logging.root.handlers)
        saved_env = os.environ.get("ESCPOS_CAPABILITIES_PICKLE_DIR")
        saved_tempdir = tempfile.tempdir
        with tempfile.TemporaryDirectory(prefix="kiosk-escpos-") as scratch:
            os.environ["ESCPOS_CAPABILITIES_PICKLE_DIR"] = scratch
            tempfile.tempdir = scratch
            try:
                module = importlib.import_module("escpos.printer")
            finally:
                tempfile.tempdir = saved_tempdir
                if saved_env is None:
                    os.environ.pop("ESCPOS_CAPABILITIES_PICKLE_DIR", None)
                else:
                    os.environ["ESCPOS_CAPABILITIES_PICKLE_DIR"] = saved_env
                for handler in logging.root.handlers:
                    if handler not in handlers:
                        logging.root.removeHandler(handler)
        return module


def configure(printer: Any, width_px: int) -> Any:
    """Tell python-escpos the paper width (else it prints a warning on stdout)."""
    profile = printer.profile
    data = dict(profile.profile_data)
    data["media"] = {"dpi": 203, "width": {"pixels": width_px, "mm": "Unknown"}}
    profile.profile_data = data  # per instance: the class attribute is shared
    return printer


def dummy(width_px: int) -> Any:
    return configure(escpos_printer_module().Dummy(), width_px)


def raster_job(image: Image.Image, *, cut: bool = True) -> bytes:
    printer = dummy(image.width)
    printer.hw("INIT")
    printer.image(image, impl="bitImageRaster", fragment_height=FRAGMENT_ROWS, center=False)
    if cut:
        printer.cut()
    output: bytes = printer.output
    return output


def encode_cp874(text: str) -> bytes:
    """Thai text as CP874 (TIS-620 plus a few symbols); what it lacks becomes ``?``."""
    return text.encode("cp874", errors="replace")


_SIZE_BYTE = {Size.SMALL: 0x00, Size.BODY: 0x00, Size.LARGE: 0x01, Size.TOTAL: 0x11}
_ALIGN_BYTE = {Align.LEFT: 0, Align.CENTER: 1, Align.RIGHT: 2}


def text_job(blocks: list[Block], paper: Paper, codepage: int, *, cut: bool = True) -> bytes:
    """The receipt as characters, for a printer with a Thai character set."""
    printer = dummy(paper.width_px)
    printer.hw("INIT")
    printer._raw(ESC + b"t" + bytes([codepage]))
    for block in blocks:
        if isinstance(block, Qr):
            from kiosk.receipts.raster import render  # Pillow: only when printing

            qr = render([block], paper)
            printer.image(qr, impl="bitImageRaster", fragment_height=FRAGMENT_ROWS)
        elif isinstance(block, Gap):
            printer._raw(b"\n" * max(1, round(block.lines)))
        else:
            printer._raw(_text_block(block, paper))
    if cut:
        printer.cut()
    output: bytes = printer.output
    return output


def _text_block(block: Line | Pair | Rule | Banner, paper: Paper) -> bytes:
    size = block.size if isinstance(block, (Line, Pair)) else Size.BODY
    bold = block.bold if isinstance(block, (Line, Pair)) else isinstance(block, Banner)
    if isinstance(block, Line):
        align = block.align
    else:
        align = Align.CENTER if isinstance(block, Banner) else Align.LEFT
    # Double width halves the columns: lay those rows out for half the paper.
    columns = paper.columns // 2 if _SIZE_BYTE[size] & 0x10 else paper.columns
    setup = (
        ESC
        + b"a"
        + bytes([_ALIGN_BYTE[align]])
        + ESC
        + b"E"
        + bytes([1 if bold else 0])
        + GS
        + b"!"
        + bytes([_SIZE_BYTE[size]])
        + (GS + b"B\x01" if isinstance(block, Banner) else b"")
    )
    body = b"".join(
        encode_cp874(row.rstrip() if align is Align.LEFT else row.strip()) + b"\n"
        for row in text_rows(block, columns)
    )
    reset = GS + b"B\x00" + GS + b"!\x00" + ESC + b"E\x00" + ESC + b"a\x00"
    return setup + body + reset
