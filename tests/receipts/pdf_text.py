"""Text out of a PDF that Qt wrote, without poppler: glyph codes through each font's ToUnicode map.

Qt's PDF writer emits ``/Fnn size Tf`` then ``<glyph ids> Tj`` per glyph run;
each Type0 font names a ToUnicode CMap of ``bfrange`` / ``bfchar`` entries.
This reads just that, enough to find an amount or an order number.
"""

from __future__ import annotations

import re
import zlib


def _objects(data: bytes) -> dict[int, tuple[bytes, bytes]]:
    """Object number -> (dictionary text, stream bytes or b"")."""
    out: dict[int, tuple[bytes, bytes]] = {}
    for match in re.finditer(rb"(\d+) 0 obj(.*?)endobj", data, re.S):
        body, _, rest = match.group(2).partition(b"stream")
        stream = b""
        if rest:
            stream = rest.lstrip(b"\r\n").rpartition(b"endstream")[0]
            if b"/FlateDecode" in body:
                stream = zlib.decompressobj().decompress(stream)
        out[int(match.group(1))] = (body, stream)
    return out


def _cmap(text: bytes) -> dict[int, str]:
    table: dict[int, str] = {}

    def uni(hexes: bytes) -> str:
        raw = bytes.fromhex(hexes.decode())
        return raw.decode("utf-16-be")

    for block in re.findall(rb"beginbfrange(.*?)endbfrange", text, re.S):
        for lo, hi, dest in re.findall(rb"<(\w+)>\s*<(\w+)>\s*(\[[^\]]*\]|<\w+>)", block):
            first, last = int(lo, 16), int(hi, 16)
            if dest.startswith(b"["):
                for offset, item in enumerate(re.findall(rb"<(\w+)>", dest)):
                    table[first + offset] = uni(item)
            else:
                start = uni(dest[1:-1])
                for offset in range(last - first + 1):
                    table[first + offset] = start[:-1] + chr(ord(start[-1]) + offset)
    for block in re.findall(rb"beginbfchar(.*?)endbfchar", text, re.S):
        for code, dest in re.findall(rb"<(\w+)>\s*<(\w+)>", block):
            table[int(code, 16)] = uni(dest)
    return table


def extract_text(data: bytes) -> str:
    objects = _objects(data)
    fonts: dict[bytes, dict[int, str]] = {}
    for body, _ in objects.values():
        for name, number in re.findall(rb"/(F\d+) (\d+) 0 R", body):
            font_body = objects[int(number)][0]
            ref = re.search(rb"/ToUnicode (\d+) 0 R", font_body)
            if ref:
                fonts[name] = _cmap(objects[int(ref.group(1))][1])
    text: list[str] = []
    for _, stream in objects.values():
        if b"Tj" not in stream:
            continue
        current: dict[int, str] = {}
        for font, glyphs in re.findall(rb"/(F\d+) [\d.]+ Tf|<([0-9A-Fa-f]+)> Tj", stream):
            if font:
                current = fonts.get(font, {})
                continue
            for i in range(0, len(glyphs), 4):
                text.append(current.get(int(glyphs[i : i + 4], 16), "\ufffd"))
    return "".join(text)
