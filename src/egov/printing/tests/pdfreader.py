"""Just enough of a PDF reader to read our own ReportLab output back in tests.

No PDF parser is among the project's dependencies, so the tests read the file themselves: the
objects, the streams (ASCII85 and Flate), the fonts' ToUnicode maps, and the text operators of
each page. It is strict about what ReportLab writes and no more; if ReportLab changes its
output the tests fail loudly rather than pass by accident.
"""

from __future__ import annotations

import base64
import re
import zlib
from dataclasses import dataclass

OBJECT = re.compile(rb"(\d+) 0 obj\s*(.*?)\s*endobj", re.S)
REF = rb"(\d+) 0 R"
TOKEN = re.compile(
    rb"\((?:\\.|[^\\)])*\)"  # literal string (ReportLab escapes every parenthesis)
    rb"|<[0-9A-Fa-f\s]*>"  # hex string
    rb"|/[^\s/\[\]()<>]+"  # name
    rb"|\[|\]"
    rb"|[-+]?(?:\d+\.?\d*|\.\d+)"  # number
    rb"|[A-Za-z'\"*]+",  # operator
    re.S,
)


@dataclass(frozen=True)
class Page:
    text: str
    fonts: dict[str, str]  # resource name -> BaseFont
    annotations: list[bytes]


def objects(pdf: bytes) -> dict[int, bytes]:
    return {int(num): body for num, body in OBJECT.findall(pdf)}


def stream(body: bytes) -> bytes:
    head, _, rest = body.partition(b"stream")
    length = re.search(rb"/Length (\d+)", head)
    assert length, "stream without /Length"
    data = rest.lstrip(b"\r\n")[: int(length.group(1))]
    filters = re.search(rb"/Filter\s*\[?([^\]>]*)", head)
    names = filters.group(1) if filters else b""
    if b"ASCII85Decode" in names:
        data = base64.a85decode(data.strip().removesuffix(b"~>"))
    if b"FlateDecode" in names:
        data = zlib.decompress(data)
    return data


def _unescape(literal: bytes) -> bytes:
    out = bytearray()
    i = 0
    simple = {b"n": 10, b"r": 13, b"t": 9, b"b": 8, b"f": 12}
    while i < len(literal):
        ch = literal[i : i + 1]
        if ch != b"\\":
            out += ch
            i += 1
            continue
        nxt = literal[i + 1 : i + 2]
        if nxt in simple:
            out.append(simple[nxt])
            i += 2
        elif nxt.isdigit():
            digits = re.match(rb"[0-7]{1,3}", literal[i + 1 : i + 4])
            assert digits
            out.append(int(digits.group(0), 8) & 0xFF)
            i += 1 + len(digits.group(0))
        else:
            out += nxt
            i += 2
    return bytes(out)


def cmap(data: bytes) -> dict[int, str]:
    """A ToUnicode CMap: bfchar and bfrange entries."""
    mapping: dict[int, str] = {}
    for block in re.findall(rb"beginbfchar(.*?)endbfchar", data, re.S):
        for src, dst in re.findall(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block):
            mapping[int(src, 16)] = bytes.fromhex(dst.decode()).decode("utf-16-be")
    for block in re.findall(rb"beginbfrange(.*?)endbfrange", data, re.S):
        for lo, hi, dst in re.findall(
            rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>", block
        ):
            start = int(dst, 16)
            for offset, code in enumerate(range(int(lo, 16), int(hi, 16) + 1)):
                mapping[code] = chr(start + offset)
    return mapping


def _decode(raw: bytes, table: dict[int, str] | None) -> str:
    if table is None:
        return raw.decode("latin-1")
    return "".join(table.get(b, "\ufffd") for b in raw)


def _string(token: bytes) -> bytes:
    if token.startswith(b"("):
        return _unescape(token[1:-1])
    return bytes.fromhex(re.sub(rb"\s", b"", token[1:-1]).decode())


def page_text(content: bytes, tables: dict[str, dict[int, str] | None]) -> str:
    parts: list[str] = []
    operands: list[bytes] = []
    in_array: list[bytes] | None = None
    font: dict[int, str] | None = None
    for token in TOKEN.findall(content):
        if token == b"[":
            in_array = []
            continue
        if token == b"]":
            operands.append(b"[" + b"\x00".join(in_array or []) + b"]")
            in_array = None
            continue
        if in_array is not None:
            in_array.append(token)
            continue
        if token[:1] in b"(</" or re.fullmatch(rb"[-+.\d]+", token):
            operands.append(token)
            continue
        op = token
        if op == b"Tf" and len(operands) >= 2:
            font = tables.get(operands[-2].decode()[1:])
        elif op in (b"Tj", b"'", b'"') and operands:
            if op != b"Tj":
                parts.append("\n")
            parts.append(_decode(_string(operands[-1]), font))
        elif op == b"TJ" and operands:
            for item in operands[-1][1:-1].split(b"\x00"):
                if item[:1] in b"(<":
                    parts.append(_decode(_string(item), font))
                elif item and float(item) < -200:
                    parts.append(" ")
        elif op in (b"Td", b"TD") and len(operands) >= 2:
            parts.append("\n" if float(operands[-1]) != 0 else " ")
        elif op in (b"T*", b"BT", b"Tm"):
            parts.append("\n")
        operands = []
    lines = ("".join(parts)).split("\n")
    return "\n".join(" ".join(line.split()) for line in lines if line.strip())


def pages(pdf: bytes) -> list[Page]:
    objs = objects(pdf)
    result = []
    for num in _page_order(objs):
        body = objs[num]
        resources = body
        font_dict = re.search(rb"/Font\s*(?:" + REF + rb"|<<(.*?)>>)", resources, re.S)
        assert font_dict, "page without fonts"
        entries = objs[int(font_dict.group(1))] if font_dict.group(1) else font_dict.group(2)
        fonts: dict[str, str] = {}
        tables: dict[str, dict[int, str] | None] = {}
        for name, ref in re.findall(rb"/([^\s/]+)\s+" + REF, entries):
            font = objs[int(ref)]
            base = re.search(rb"/BaseFont\s*/([^\s/>]+)", font)
            fonts[name.decode()] = base.group(1).decode() if base else "?"
            to_unicode = re.search(rb"/ToUnicode\s+" + REF, font)
            tables[name.decode()] = (
                cmap(stream(objs[int(to_unicode.group(1))])) if to_unicode else None
            )
        contents = re.search(rb"/Contents\s+" + REF, body)
        assert contents
        text = page_text(stream(objs[int(contents.group(1))]), tables)
        annots = re.search(rb"/Annots\s*\[([^\]]*)\]", body)
        annotations = [objs[int(r)] for r in re.findall(REF, annots.group(1))] if annots else []
        result.append(Page(text=text, fonts=fonts, annotations=annotations))
    return result


def _page_order(objs: dict[int, bytes]) -> list[int]:
    catalog = next(b for b in objs.values() if re.search(rb"/Type\s*/Catalog", b))
    root = re.search(rb"/Pages\s+" + REF, catalog)
    assert root
    order: list[int] = []

    def walk(num: int) -> None:
        body = objs[num]
        if re.search(rb"/Type\s*/Pages\b", body):
            kids = re.search(rb"/Kids\s*\[([^\]]*)\]", body)
            assert kids
            for ref in re.findall(REF, kids.group(1)):
                walk(int(ref))
        else:
            order.append(num)

    walk(int(root.group(1)))
    return order


def text(pdf: bytes) -> str:
    return "\n".join(p.text for p in pages(pdf))
