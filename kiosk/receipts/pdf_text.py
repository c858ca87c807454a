"""Make the text of a PDF from Qt's writer read back exactly as it was written.

Qt's PDF writer maps each glyph back to a character through the font's cmap
alone (its font subset's reverse map), and its code for ActualText is
compiled out. HarfBuzz draws Thai with glyphs that no character maps to: a
tone mark raised over an upper vowel (ที่, เครื่อง), an upper vowel moved left
of the tall stem of ป ฝ ฟ (ปิด), and SARA AM split into NIKHAHIT + SARA AA
(ำ). A text extractor found no character for the first two ("เลขที",
"รายงานปดวัน") and two characters for the third.

So the writer (``qt_pdf``) draws a 1x1 rectangle far off the page just before
and just after every string it draws (``mark``), and ``add_actual_text``
replaces each pair, in the page's content stream, with a marked-content span
``/Span << /ActualText <the string> >> BDC ... EMC`` (PDF 32000-1, 14.9.4):
search, copy and ``pdftotext`` take the string for the glyphs inside. The new
content stream is appended as an incremental update (a new version of that
one object and an xref section of its own), so nothing Qt wrote is rewritten.
No I/O and no Qt here: bytes in, bytes out.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Sequence

MARK_X = {True: -9000, False: -9100}  # before / after a string
MARK_Y0 = 10000  # the y of string i's marks is -(MARK_Y0 + i)
MAX_STRINGS = 89999  # keeps every mark's y a five-digit number


class PdfTextError(ValueError):
    """The PDF is not laid out as Qt's writer lays it out (checked, never guessed)."""


def mark_at(index: int, before: bool) -> tuple[int, int]:
    """Where the mark before/after string ``index`` is drawn (page units, off the page)."""
    if not 0 <= index <= MAX_STRINGS:
        raise PdfTextError(f"too many strings on one page: {index}")
    return MARK_X[before], -(MARK_Y0 + index)


# The mark as Qt writes it: the rectangle and its fill on lines of their own
# (the fill colour set before it is left: the text sets its own colour).
_MARK = re.compile(rb"(?m)^(-9000|-9100) -(\d{5}) 1 1 re\nf\n")


def _utf16_hex(text: str) -> bytes:
    return b"FEFF" + text.encode("utf-16-be").hex().upper().encode("ascii")


def span_content(content: bytes, texts: Sequence[str]) -> bytes:
    """The content stream with each string's pair of marks made an ActualText span.

    The span opens where the mark before the string was drawn and closes just
    after the string's last text object (``ET``), still inside the graphics
    state that drew it: a reader places the span's text with the font and
    matrix current at ``EMC`` (poppler does), and the mark after the string is
    drawn after Qt restored that state.
    """
    marks = [
        (int(m.group(2)) - MARK_Y0, m.group(1) == b"-9000", m.start(), m.end())
        for m in _MARK.finditer(content)
    ]
    expected = [(i, before) for i in range(len(texts)) for before in (True, False)]
    if [(index, before) for index, before, _, _ in marks] != expected:
        raise PdfTextError(f"{len(marks)} marks found in order, {len(expected)} drawn")
    out: list[bytes] = []
    done = 0
    for index, before, start, end in marks:
        if before:
            out += [content[done:start], b"/Span << /ActualText <", _utf16_hex(texts[index])]
            out.append(b"> >> BDC\n")
            done = end
            continue
        last_et = content.rfind(b"\nET\n", done, start)
        close = last_et + len(b"\nET\n") if last_et >= 0 else start
        out += [content[done:close], b"EMC\n", content[close:start]]
        done = end
    out.append(content[done:])
    return b"".join(out)


def _one(pattern: bytes, data: bytes, what: str) -> re.Match[bytes]:
    matches = list(re.finditer(pattern, data))
    if len(matches) != 1:
        raise PdfTextError(f"{what}: {len(matches)} found")
    return matches[0]


def add_actual_text(pdf: bytes, texts: Sequence[str]) -> bytes:
    """The one-page PDF with the strings drawn between marks as ActualText spans."""
    contents = int(_one(rb"/Contents (\d+) 0 R", pdf, "page contents").group(1))
    head = _one(
        rb"\n%d 0 obj\n<<\n/Length (\d+) 0 R\n/Filter /FlateDecode\n>>\nstream\n" % contents,
        pdf,
        "content stream",
    )
    length_ref = int(head.group(1))
    length = int(_one(rb"\n%d 0 obj\n(\d+)\nendobj" % length_ref, pdf, "stream length").group(1))
    raw = pdf[head.end() : head.end() + length]
    try:
        content = zlib.decompress(raw)
    except zlib.error as exc:
        raise PdfTextError(f"content stream: {exc}") from exc
    packed = zlib.compress(span_content(content, texts))
    trailer = pdf[pdf.rindex(b"trailer") :]
    size = _one(rb"/Size (\d+)", trailer, "trailer size").group(1)
    root = _one(rb"/Root (\d+ 0 R)", trailer, "trailer root").group(1)
    info = re.search(rb"/Info (\d+ 0 R)", trailer)
    ident = re.search(rb"/ID \[[^\]]*\]", trailer)
    prev = int(_one(rb"startxref\s+(\d+)", trailer, "startxref").group(1))
    body = pdf if pdf.endswith(b"\n") else pdf + b"\n"
    update = (
        b"%d 0 obj\n<<\n/Length %d\n/Filter /FlateDecode\n>>\nstream\n" % (contents, len(packed))
        + packed
        + b"\nendstream\nendobj\n"
    )
    xref_at = len(body) + len(update)
    xref = b"xref\n%d 1\n%010d 00000 n \n" % (contents, len(body))
    fields = b"/Size " + size + b" /Root " + root + (b" /Info " + info.group(1) if info else b"")
    fields += b" " + ident.group(0) if ident else b""
    tail = b"trailer\n<< %s /Prev %d >>\nstartxref\n%d\n%%%%EOF\n" % (fields, prev, xref_at)
    return body + update + xref + tail
