"""Reading zips without trusting them: members streamed with a cap, and a budget check of a workbook's parts.

:func:`read_member` reads one member in chunks and stops one byte past the cap, whatever its header declares.
:func:`scan_workbook` streams every part of an ``.xlsx`` once, before openpyxl sees it, and checks the budgets
of :mod:`imworkbook.base.budgets` (parts, unpacked sizes, rows and cells per sheet, shared strings) on what the parts
declare and on what they really hold; it also collects what openpyxl's read-only mode does not give (merged
cells). Everything it raises is an :class:`~imworkbook.base.errors.AnswersFileError` with a Dutch message.
"""

from __future__ import annotations

import html
import io
import os
import re
import struct
import zipfile
from dataclasses import dataclass, field
from typing import IO, Callable, Iterator

from imworkbook.base import budgets as B
from imworkbook.base.errors import AnswersFileError, Msg, Problem, reason_of

CHUNK = 1 << 20


class _Dtd(Exception):
    """A part declares a DTD (entities can expand without bound): never passed to a parser."""


class TooLarge(Exception):
    """A member is larger than its cap (declared or while inflating)."""

    def __init__(self, size: int, declared: bool):
        super().__init__(size)
        self.size, self.declared = size, declared


def stream_member(zf: zipfile.ZipFile, info: zipfile.ZipInfo, cap: int) -> Iterator[bytes]:
    """The member's bytes in chunks; raises :class:`TooLarge` before reading if it declares more than ``cap``, and
    as soon as more than ``cap`` bytes have come out (a header that understates the size costs at most ``cap``)."""
    if info.file_size > cap:
        raise TooLarge(info.file_size, True)
    total = 0
    with zf.open(info) as fh:
        while True:
            chunk = fh.read(min(CHUNK, cap + 1 - total))
            if not chunk:
                return
            total += len(chunk)
            if total > cap:
                raise TooLarge(total, False)
            yield chunk


def read_member(zf: zipfile.ZipFile, info: zipfile.ZipInfo, cap: int) -> bytes:
    """The whole member, at most ``cap`` bytes (see :func:`stream_member`)."""
    return b"".join(stream_member(zf, info, cap))


def read_capped(fh: IO[bytes], cap: int) -> bytes:
    """At most ``cap`` bytes of an open file; raises :class:`TooLarge` if there is more.

    A file on disk is read with its own size as the first request: ``read(cap + 1)`` allocates the whole cap
    (megabytes) for every small file, which cost more than reading it."""
    try:
        hint = min(os.fstat(fh.fileno()).st_size, cap)
    except (AttributeError, OSError, ValueError, io.UnsupportedOperation):
        hint = cap
    data = fh.read(hint + 1)
    if len(data) > hint:  # larger than it said (it grows, or no size was known): the rest up to the cap
        data += fh.read(cap + 1 - len(data))
    if len(data) > cap:
        raise TooLarge(len(data), False)
    return data


def zip_directory(fh: IO[bytes]) -> tuple[int, int] | None:
    """The number of members and the size of the member list (central directory) that a zip declares in its end
    record, read without loading that list (a zip of a million empty members costs gigabytes as ``ZipInfo``
    objects); ``None`` if there is no end record."""
    try:
        end = zipfile._EndRecData(fh)  # noqa: SLF001 - the stdlib's own reader of the end record (zip64 too)
    except (OSError, ValueError, struct.error):
        return None
    if not end:
        return None
    return int(end[zipfile._ECD_ENTRIES_TOTAL]), int(end[zipfile._ECD_SIZE])  # noqa: SLF001


# --- workbooks ----------------------------------------------------------------------------------------------------

_NS = rb"<(?:[A-Za-z_][\w.-]*:)?"
_END = rb"(?![\w:.-])"
_SHEET_TAGS = re.compile(_NS + rb"(row|c|dimension|mergeCell)" + _END + rb"([^>]*)>")
_SST_TAGS = re.compile(_NS + rb"(sst|si)" + _END + rb"([^>]*)>")
_ATTR = re.compile(rb'([\w:.-]+)\s*=\s*"([^"]*)"|([\w:.-]+)\s*=\s*\'([^\']*)\'')
_DIGITS = re.compile(rb"\d+")
_ELEMENT = re.compile(rb"<([A-Za-z_])()")


def _attrs(raw: bytes) -> dict[str, str]:
    out = {}
    for m in _ATTR.finditer(raw):
        key, value = (m.group(1), m.group(2)) if m.group(1) is not None else (m.group(3), m.group(4))
        out[key.decode("ascii", "replace").split(":")[-1]] = html.unescape(value.decode("utf-8", "replace"))
    return out


@dataclass
class SheetScan:
    part: str
    rows: int = 0  # <row> elements
    last_row: int = 0  # the highest row number (declared by r= or implied by order)
    cells: int = 0
    dimension_rows: int = 0  # the highest row the <dimension> claims
    merged: list[str] = field(default_factory=list)


@dataclass
class WorkbookScan:
    sheets: dict[str, SheetScan] = field(default_factory=dict)  # by sheet title
    inflated: int = 0
    shared_strings: int = 0


def _refuse(name: str, code: str, values: dict | None = None, where: str = "", remedy: bool = True) -> AnswersFileError:
    """An .xlsx over a budget: problem ``xlsx.<code>``; ``remedy``: add "copy the answers to a new template"."""
    values = dict(values or {})
    if remedy:
        values["then"] = Msg("then.new_template")
    return AnswersFileError(Problem(name, where, f"xlsx.{code}", values))


def _tags(chunks: Iterator[bytes], pattern: re.Pattern) -> Iterator[tuple[bytes, bytes]]:
    """``(tag name, attributes)`` of the matching start tags, over chunk boundaries; refuses DTDs (entities)."""
    carry = b""
    for chunk in chunks:
        buf = carry + chunk
        cut = buf.rfind(b"<")
        head, carry = (buf, b"") if cut <= 0 else (buf[:cut], buf[cut:])
        if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
            raise _Dtd()
        for m in pattern.finditer(head):
            yield m.group(1), m.group(2)
    if b"<!DOCTYPE" in carry or b"<!ENTITY" in carry:
        raise _Dtd()
    for m in pattern.finditer(carry):
        yield m.group(1), m.group(2)


def _small_part(zf: zipfile.ZipFile, path: str, name: str) -> str:
    try:
        info = zf.getinfo(path)
    except KeyError:
        return ""
    try:
        return read_member(zf, info, B.XLSX_MAX_PART_BYTES).decode("utf-8", "replace")
    except TooLarge:
        raise _refuse(name, "part_too_large", {"part": path, "max_mb": round(B.XLSX_MAX_PART_BYTES / B.MB, 1)}) from None


def _sheet_parts(zf: zipfile.ZipFile, name: str) -> dict[str, str]:
    """Sheet title -> part path, from xl/workbook.xml and its relationships (as openpyxl finds them)."""
    book = _small_part(zf, "xl/workbook.xml", name)
    rels = _small_part(zf, "xl/_rels/workbook.xml.rels", name)
    targets = {}
    for m in re.finditer(r"<(?:[\w.-]+:)?Relationship(?![\w:.-])([^>]*)>", rels):
        a = _attrs(m.group(1).encode())
        if "Id" in a and "Target" in a:
            t = a["Target"]
            targets[a["Id"]] = t.lstrip("/") if t.startswith("/") else "xl/" + t
    out = {}
    for m in re.finditer(r"<(?:[\w.-]+:)?sheet(?![\w:.-])([^>]*)>", book):
        a = _attrs(m.group(1).encode())
        if "name" in a and a.get("id") in targets:
            out[a["name"]] = targets[a["id"]]
    return out


def workbook_parts(zf: zipfile.ZipFile, refuse: Callable[[str, dict], Exception]) -> list[zipfile.ZipInfo]:
    """The parts of a workbook (.xlsx or .ods: both are zips) within the budgets of a workbook: at most
    ``XLSX_MAX_PARTS`` parts and ``XLSX_MAX_TOTAL_BYTES`` unpacked as declared; otherwise ``refuse(code, values)``
    (``too_many_parts``, ``unpacked_too_large``) is raised, worded by the caller's format."""
    infos = [i for i in zf.infolist() if not i.is_dir()]
    if len(infos) > B.XLSX_MAX_PARTS:
        raise refuse("too_many_parts", {"parts": len(infos), "max": B.XLSX_MAX_PARTS})
    declared = sum(i.file_size for i in infos)
    if declared > B.XLSX_MAX_TOTAL_BYTES:
        raise refuse("unpacked_too_large", {"mb": round(declared / B.MB, 1),
                                            "max_mb": round(B.XLSX_MAX_TOTAL_BYTES / B.MB, 1)})
    return infos


def scan_workbook(data: bytes, name: str) -> WorkbookScan:
    """Check an ``.xlsx`` against the budgets before openpyxl parses it (see the module docstring)."""
    import io

    scan = WorkbookScan()
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            infos = workbook_parts(zf, lambda code, values: _refuse(name, code, values))
            sheet_parts = _sheet_parts(zf, name)
            by_part = {p: t for t, p in sheet_parts.items()}
            types = _small_part(zf, "[Content_Types].xml", name)
            sst_parts = {m.group(1).lstrip("/") for m in re.finditer(
                r'PartName="([^"]+)"[^>]*sharedStrings', types)}
            for info in infos:
                path = info.filename
                is_sheet = path in by_part or path.lower().startswith("xl/worksheets/")
                is_sst = path in sst_parts or path.lower().endswith("sharedstrings.xml")
                chunks = _counted(stream_member(zf, info, B.XLSX_MAX_PART_BYTES), scan, name)
                try:
                    if is_sheet:
                        sheet = _scan_sheet(chunks, path, by_part.get(path, path), name)
                        scan.sheets[by_part.get(path, path)] = sheet
                    elif is_sst:
                        scan.shared_strings = _scan_strings(chunks, path, name)
                    elif path.lower().endswith((".xml", ".rels")):  # styles, theme, names: parsed whole by openpyxl
                        _scan_elements(chunks, path, name)
                    else:
                        for _ in chunks:  # counted and capped, not kept (images and the like)
                            pass
                except TooLarge as exc:
                    size = round((exc.size if exc.declared else B.XLSX_MAX_PART_BYTES) / B.MB, 1)
                    raise _refuse(name, "part_unpacked_too_large" if exc.declared else "part_unpacked_over",
                                  {"part": path, "mb": size, "max_mb": round(B.XLSX_MAX_PART_BYTES / B.MB, 1)}) from None
                except _Dtd:
                    raise _refuse(name, "dtd", {"part": path}, remedy=False) from None
    except AnswersFileError:
        raise
    except Exception as exc:  # noqa: BLE001 - a broken zip: one Dutch message, never a traceback
        raise _refuse(name, "unusable", {"why": reason_of(exc)}, remedy=False) from None
    return scan


def _counted(chunks: Iterator[bytes], scan: WorkbookScan, name: str) -> Iterator[bytes]:
    for chunk in chunks:
        scan.inflated += len(chunk)
        if scan.inflated > B.XLSX_MAX_TOTAL_BYTES:
            raise _refuse(name, "unpacked_over", {"max_mb": round(B.XLSX_MAX_TOTAL_BYTES / B.MB, 1)})
        yield chunk


def _scan_sheet(chunks: Iterator[bytes], path: str, title: str, name: str) -> SheetScan:
    sheet = SheetScan(path)
    for tag, raw in _tags(chunks, _SHEET_TAGS):
        if tag == b"c":
            sheet.cells += 1
            if sheet.cells > B.XLSX_MAX_CELLS:
                raise _refuse(name, "too_many_cells", {"max": B.XLSX_MAX_CELLS}, title)
        elif tag == b"row":
            sheet.rows += 1
            r = re.search(rb'(?:^|\s)r\s*=\s*["\'](\d+)', raw)
            sheet.last_row = int(r.group(1)) if r else sheet.last_row + 1
            if sheet.last_row > B.XLSX_MAX_ROWS or sheet.rows > B.XLSX_MAX_ROWS:
                raise _refuse(name, "too_many_rows", {"rows": max(sheet.last_row, sheet.rows),
                                                       "max": B.XLSX_MAX_ROWS}, title)
        elif tag == b"dimension":
            ref = _attrs(raw).get("ref", "")
            sheet.dimension_rows = max((int(d) for d in _DIGITS.findall(ref.encode())), default=0)
            if sheet.dimension_rows > B.XLSX_MAX_ROWS:
                raise _refuse(name, "dimension_too_large", {"rows": sheet.dimension_rows, "range": ref[:40],
                                                             "max": B.XLSX_MAX_ROWS}, title)
        elif tag == b"mergeCell" and len(sheet.merged) < 1000:
            ref = _attrs(raw).get("ref")
            if ref:
                sheet.merged.append(ref[:40])
    return sheet


def _scan_elements(chunks: Iterator[bytes], path: str, name: str) -> None:
    n = 0
    for _ in _tags(chunks, _ELEMENT):
        n += 1
        if n > B.XLSX_MAX_ELEMENTS:
            raise _refuse(name, "too_many_elements", {"part": path, "max": B.XLSX_MAX_ELEMENTS})


def _scan_strings(chunks: Iterator[bytes], path: str, name: str) -> int:
    n = 0
    for tag, raw in _tags(chunks, _SST_TAGS):
        if tag == b"sst":
            a = _attrs(raw)
            claim = max((int(a[k]) for k in ("uniqueCount",) if a.get(k, "").isdigit()), default=0)
            if claim > B.XLSX_MAX_SHARED_STRINGS:
                raise _refuse(name, "shared_strings_claim", {"part": path, "claim": claim,
                                                              "max": B.XLSX_MAX_SHARED_STRINGS})
        else:
            n += 1
            if n > B.XLSX_MAX_SHARED_STRINGS:
                raise _refuse(name, "too_many_shared_strings", {"part": path, "max": B.XLSX_MAX_SHARED_STRINGS})
    return n
