"""Hostile input files: small on disk, huge in what they claim (used by bench_budgets.py and tests/base/test_budgets.py).

Every builder returns bytes and costs little to build (the deflate streams of the bombs are made by repeating one
flushed block, never by compressing gigabytes).
"""

from __future__ import annotations

import io
import json
import re
import struct
import tempfile
import zipfile
import zlib
from pathlib import Path


def filled_workbook() -> bytes:
    """A valid filled-in questionnaire (the example school), as the Excel route produces it."""
    from imworkbook.io.excel import write_template
    from imworkbook.io.workspace import open_example

    with tempfile.TemporaryDirectory() as tmp:
        session = open_example("po", folder=tmp)
        path = write_template(Path(tmp) / "vragenlijst.xlsx", answers=session.answers)
        return path.read_bytes()


def _sheet_part(zf: zipfile.ZipFile, title: str) -> str:
    """The zip path of the sheet called ``title``."""
    book = zf.read("xl/workbook.xml").decode()
    rels = zf.read("xl/_rels/workbook.xml.rels").decode()
    rid = re.search(rf'<sheet[^>]*name="{re.escape(title)}"[^>]*r:id="([^"]+)"', book).group(1)
    target = re.search(rf'<Relationship[^>]*Id="{rid}"[^>]*Target="([^"]+)"', rels) or \
        re.search(rf'<Relationship[^>]*Target="([^"]+)"[^>]*Id="{rid}"', rels)
    target = target.group(1).lstrip("/")
    return target if target.startswith("xl/") else "xl/" + target


def rewrite_parts(data: bytes, change: dict) -> bytes:
    """A copy of the workbook with some parts replaced: ``{path: bytes or callable(old bytes) -> bytes}``."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            body = src.read(info)
            if info.filename in change:
                new = change[info.filename]
                body = new(body) if callable(new) else new
            dst.writestr(info.filename, body)
        for path, new in change.items():
            if path not in src.namelist() and not callable(new):
                dst.writestr(path, new)
    return out.getvalue()


def xlsx_million_rows(data: bytes | None = None, rows: int = 1_000_000, dimension: bool = True,
                      far_row: bool = True, col: str = "Z") -> bytes:
    """The questionnaire with a sheet that claims ``rows`` rows (``<dimension>`` and/or one far-away row)."""
    data = data or filled_workbook()
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        part = _sheet_part(zf, "Vragen")

    def change(xml: bytes) -> bytes:
        text = xml.decode()
        if dimension:
            text = re.sub(r'<dimension ref="[^"]*"\s*/>', f'<dimension ref="A1:{col}{rows}"/>', text)
        if far_row:
            text = text.replace("</sheetData>", f'<row r="{rows}"><c r="L{rows}" t="inlineStr"><is><t>x</t></is>'
                                               f'</c></row></sheetData>')
        return text.encode()

    return rewrite_parts(data, {part: change})


def xlsx_many_empty_rows(data: bytes | None = None, rows: int = 200_000) -> bytes:
    """The questionnaire with ``rows`` empty ``<row/>`` elements appended to the questions sheet."""
    data = data or filled_workbook()
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        part = _sheet_part(zf, "Vragen")

    def change(xml: bytes) -> bytes:
        text = xml.decode()
        last = max(int(r) for r in re.findall(r'<row r="(\d+)"', text))
        extra = "".join(f'<row r="{r}"/>' for r in range(last + 1, last + 1 + rows))
        return text.replace("</sheetData>", extra + "</sheetData>").encode()

    return rewrite_parts(data, {part: change})


def xlsx_shared_strings(data: bytes | None = None, entries: int = 3_000_000, declare: bool = True) -> bytes:
    """The questionnaire with a shared-strings table of ``entries`` (tiny, identical) strings."""
    data = data or filled_workbook()
    declared = f' count="{entries}" uniqueCount="{entries}"' if declare else ""
    body = (f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
            f'2006/main"{declared}>' + "<si><t>a</t></si>" * entries + "</sst>").encode()
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        has = "xl/sharedStrings.xml" in zf.namelist()
    change = {"xl/sharedStrings.xml": body}
    if not has:  # openpyxl writes inline strings in some versions: register the part
        ctype = ('<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-'
                 'officedocument.spreadsheetml.sharedStrings+xml"/>')
        change["[Content_Types].xml"] = lambda x: x.replace(b"</Types>", ctype.encode() + b"</Types>")
    return rewrite_parts(data, change)


def xlsx_styles(data: bytes | None = None, entries: int = 300_000) -> bytes:
    """The questionnaire with ``entries`` cell formats in its stylesheet (openpyxl builds an object for each)."""
    data = data or filled_workbook()
    xf = b'<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'

    def change(xml: bytes) -> bytes:
        return re.sub(rb'<cellXfs count="\d+">', b'<cellXfs count="%d">' % entries + xf * entries, xml, count=1)

    return rewrite_parts(data, {"xl/styles.xml": change})


def deflate_bomb(inflated: int, byte: bytes = b" ", prefix: bytes = b"", block: int = 1 << 20) -> tuple[bytes, int]:
    """A raw deflate stream of ``prefix`` + ``inflated`` bytes of ``byte``, built in milliseconds; and its CRC-32."""
    comp = zlib.compressobj(9, zlib.DEFLATED, -15)
    chunk = byte * block
    head = comp.compress(prefix) + comp.flush(zlib.Z_FULL_FLUSH)
    first = comp.compress(chunk) + comp.flush(zlib.Z_FULL_FLUSH)
    again = comp.compress(chunk) + comp.flush(zlib.Z_FULL_FLUSH)
    n = inflated // block
    body = head + first + again * (n - 1) + comp.flush()
    crc = zlib.crc32(prefix)
    for _ in range(n):  # one CRC per block: 2 GB in about a second
        crc = zlib.crc32(chunk, crc)
    return body, crc & 0xFFFFFFFF


def raw_zip(entries: list[tuple[str, bytes, int, int, int]]) -> bytes:
    """A zip written by hand: ``(name, deflated data, crc, declared size, method)`` per member, so the declared
    size can lie (zipfile would always write the truth)."""
    out = io.BytesIO()
    central = []
    for name, comp, crc, size, method in entries:
        offset = out.tell()
        raw = name.encode()
        out.write(struct.pack("<4s5H3L2H", b"PK\x03\x04", 20, 0, method, 0, 0, crc, len(comp), size, len(raw), 0))
        out.write(raw)
        out.write(comp)
        central.append(struct.pack("<4s6H3L5H2L", b"PK\x01\x02", 20, 20, 0, method, 0, 0, crc, len(comp), size,
                                   len(raw), 0, 0, 0, 0, 0, offset) + raw)
    start = out.tell()
    for c in central:
        out.write(c)
    out.write(struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, len(central), len(central), out.tell() - start, start, 0))
    return out.getvalue()


def xlsx_bomb(data: bytes | None = None, inflated: int = 2 << 30, lie: bool = False) -> bytes:
    """The questionnaire whose questions sheet inflates to ``inflated`` bytes (XML padded with spaces); with
    ``lie`` its headers declare the sheet's real (small) size instead."""
    data = data or filled_workbook()
    entries = []
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        part = _sheet_part(zf, "Vragen")
        for info in zf.infolist():
            body = zf.read(info)
            if info.filename == part:
                comp, crc = deflate_bomb(inflated, prefix=body)
                size = len(body) if lie else (len(body) + inflated) & 0xFFFFFFFF
                entries.append((info.filename, comp, crc, size, zipfile.ZIP_DEFLATED))
            else:
                c = zlib.compressobj(6, zlib.DEFLATED, -15)
                comp = c.compress(body) + c.flush()
                entries.append((info.filename, comp, zlib.crc32(body), len(body), zipfile.ZIP_DEFLATED))
    return raw_zip(entries)


def answers_json(name: str = "School", code: str | None = None, padding: int = 0, round: str = "2026-2027",
                 saved_at: str | None = "2026-11-25T10:15:00+00:00", level: object = 3) -> bytes:
    """A valid answers file; ``padding`` bytes of set-aside text make it as large as wanted."""
    from imworkbook.model.answers import KIND, SCHEMA_VERSION
    from imworkbook.model.content import load_model

    model = load_model()
    doc = {"schema_version": SCHEMA_VERSION, "kind": KIND, "model": {"id": model.id, "version": model.version},
           "school": {"name": name, "code": code, "sector": "po", "pupils": 200}, "round": round,
           "answers": {i: {"current": level, "target": 4, "note": ""} for i in model.item_ids[:20]},
           "set_aside": {"fields": {"oud": ["x" * 1000] * (padding // 1006)}} if padding else {},
           "saved_at": saved_at}
    return json.dumps(doc).encode()


def zip_lying_member(inflated: int = 2 << 30) -> bytes:
    """A network zip: one good answers file and one member that declares 1 KB but inflates to ``inflated``."""
    good = answers_json("Goede School")
    c = zlib.compressobj(6, zlib.DEFLATED, -15)
    comp = c.compress(good) + c.flush()
    bomb, crc = deflate_bomb(inflated, prefix=b'{"kind": "imworkbook.answers", "x": "')
    return raw_zip([("goed.json", comp, zlib.crc32(good), len(good), zipfile.ZIP_DEFLATED),
                    ("bom.json", bomb, crc, 1024, zipfile.ZIP_DEFLATED)])


def zip_many_large(members: int = 300, size: int = 4_900_000) -> bytes:
    """A network zip of ``members`` valid answers files of about ``size`` bytes each (different schools)."""
    out = io.BytesIO()
    base = answers_json("School", padding=size)
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
        for n in range(members):
            zf.writestr(f"school-{n:04d}.json", base.replace(b'"name": "School"', f'"name": "School {n}"'.encode()))
    return out.getvalue()
