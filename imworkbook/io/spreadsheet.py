"""Spreadsheet files as plain cells: ``.xlsx`` (openpyxl, read-only) and ``.ods`` (LibreOffice's own format,
read by a small streaming reader of its ``content.xml``), each checked against the budgets first.

:func:`load_sheets` gives, for either format, a list of :class:`Sheet`: the values of the first ``MAX_COLS``
columns, which cells hold a formula (never evaluated), merged ranges, whether the sheet is hidden and, for an
``.ods``, the text the cell shows (what the user typed or sees, e.g. ``2-3`` where Calc made a date).

Why a reader of our own for ``.ods`` rather than pandas' ``odf`` engine: that engine needs odfpy (not installed,
an extra dependency) and builds the whole document in memory before a budget could be checked; ``content.xml``
is a simple, documented format (OpenDocument 1.2 part 1, 9.1 tables) and streaming it lets every budget of
:mod:`imworkbook.base.budgets` (parts, unpacked size, rows, cells) hold while reading, with DTDs refused.

Writing ``.ods``: :func:`convert` turns our ``.xlsx`` into ``.ods`` with LibreOffice (``soffice --headless
--convert-to ods``) when it is installed; drop-downs, input help, error messages, protection and print settings
survive that conversion (tested in tests/io/test_spreadsheet.py).
"""

from __future__ import annotations

import datetime as dt
import io
import math
import os
import shutil
import subprocess
import tempfile
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator
from xml.etree.ElementTree import XMLPullParser

from imworkbook.base import budgets as B
from imworkbook.base.errors import AnswersFileError, Msg, Problem, reason_of
from imworkbook.io.safezip import TooLarge, stream_member, workbook_parts

MAX_COLS = 40  # columns read per sheet (the template uses at most 16; inserted columns fit)
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls and password-protected .xlsx/.ods are OLE files
ODS_MIME = b"application/vnd.oasis.opendocument.spreadsheet"
SUFFIXES = (".xlsx", ".xls", ".ods")  # a filled-in questionnaire workbook, in whatever format it was saved
CSV_CODE = "sheet.csv"  # the problem of a CSV file handed in as a questionnaire


@dataclass
class Sheet:
    """One sheet's cells (1-based row and column), whatever the file format."""

    title: str
    state: str = "visible"
    cells: dict[tuple[int, int], Any] = field(default_factory=dict)
    shown: dict[tuple[int, int], str] = field(default_factory=dict)  # .ods: the text the cell displays
    formulas: set[tuple[int, int]] = field(default_factory=set)
    merged: list[str] = field(default_factory=list)
    max_row: int = 0

    def get(self, row: int, col: int) -> Any:
        return self.cells.get((row, col))

    def is_formula(self, row: int, col: int) -> bool:
        return (row, col) in self.formulas

    def text(self, row: int, col: int) -> str | None:
        return self.shown.get((row, col))


def kind_of(data: bytes) -> str:
    """``"xls"`` (old Excel or a password-protected file), ``"ods"``, ``"xlsx"`` (any other zip) or ``"other"``."""
    if data.startswith(OLE_MAGIC):
        return "xls"
    if not data.startswith(b"PK"):
        return "other"
    if data[30:38] == b"mimetype" and data[38:38 + len(ODS_MIME)] == ODS_MIME:
        return "ods"
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            info = zf.getinfo("mimetype")
            if info.file_size <= 200 and zf.read(info).strip() == ODS_MIME:
                return "ods"
    except Exception:  # noqa: BLE001 - not a zip, or no mimetype: let the xlsx reader say what is wrong
        pass
    return "xlsx"


def load_sheets(data: bytes, name: str) -> tuple[str, list[Sheet]]:
    """``(format, sheets)`` of a spreadsheet file; raises :class:`AnswersFileError` (Dutch) for anything unusable."""
    kind = kind_of(data)
    if kind == "xls":
        raise AnswersFileError(Problem(name, "", "sheet.old_xls_or_password"))
    if kind == "other" and name.lower().endswith(".csv"):
        raise AnswersFileError(Problem(name, "", "sheet.csv"))
    if kind == "ods":
        return "ods", _load_ods(data, name)
    return "xlsx", _load_xlsx(data, name)


# --- .xlsx --------------------------------------------------------------------------------------------------------

def _load_xlsx(data: bytes, name: str) -> list[Sheet]:
    from openpyxl import load_workbook

    from imworkbook.io.safezip import scan_workbook

    scan = scan_workbook(data, name)  # the budgets, before openpyxl parses anything
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=False)  # formulas as text: never evaluated
        try:
            sheets = []
            for ws in book.worksheets:
                sheet = Sheet(ws.title, ws.sheet_state)
                sheet.merged = list(scan.sheets[ws.title].merged) if ws.title in scan.sheets else []
                for r, cells in enumerate(ws.iter_rows(min_row=1, max_row=B.XLSX_MAX_ROWS, min_col=1,
                                                       max_col=MAX_COLS), start=1):
                    for c, cell in enumerate(cells, start=1):
                        if cell.value is not None:
                            sheet.cells[(r, c)] = cell.value
                            sheet.max_row = r
                        if getattr(cell, "data_type", None) == "f":
                            sheet.formulas.add((r, c))
                sheets.append(sheet)
        finally:
            book.close()
    except Exception as exc:  # noqa: BLE001 - any broken part: one Dutch message, never a traceback
        raise AnswersFileError(Problem(name, "", "xlsx.unusable", {"why": reason_of(exc)})) from None
    return sheets


# --- .ods ---------------------------------------------------------------------------------------------------------

_T = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
_O = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
_X = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
_S = "{urn:oasis:names:tc:opendocument:xmlns:style:1.0}"


def _ods_refuse(name: str, code: str, values: dict, where: str = "") -> AnswersFileError:
    return AnswersFileError(Problem(name, where, f"ods.{code}", {**values, "then": Msg("then.new_template")}))


def _load_ods(data: bytes, name: str) -> list[Sheet]:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            infos = workbook_parts(zf, lambda code, values: _ods_refuse(name, code, values))
            manifest = next((i for i in infos if i.filename == "META-INF/manifest.xml"), None)
            if manifest is not None and b"encryption-data" in b"".join(stream_member(zf, manifest, 1 << 20)):
                raise AnswersFileError(Problem(name, "", "ods.password"))
            try:
                info = zf.getinfo("content.xml")
            except KeyError:
                raise AnswersFileError(Problem(name, "", "ods.no_content")) from None
            try:
                return _parse_content(stream_member(zf, info, B.XLSX_MAX_PART_BYTES), name)
            except TooLarge as exc:
                size = round((exc.size if exc.declared else B.XLSX_MAX_PART_BYTES) / B.MB, 1)
                raise _ods_refuse(name, "content_too_large" if exc.declared else "content_over",
                                  {"mb": size, "max_mb": round(B.XLSX_MAX_PART_BYTES / B.MB, 1)}) from None
    except AnswersFileError:
        raise
    except Exception as exc:  # noqa: BLE001 - a broken file: one Dutch message, never a traceback
        raise AnswersFileError(Problem(name, "", "ods.unusable", {"why": reason_of(exc)})) from None


def _text(el) -> str:
    out = [el.text or ""]
    for ch in el:
        tag = ch.tag.rsplit("}", 1)[-1]
        if tag == "s":
            out.append(" " * int(ch.get(_X + "c", "1") or 1))
        elif tag == "tab":
            out.append("\t")
        elif tag == "line-break":
            out.append("\n")
        elif tag != "annotation":
            out.append(_text(ch))
        out.append(ch.tail or "")
    return "".join(out)


def _value(cell, shown: str | None) -> Any:
    kind = cell.get(_O + "value-type")
    if kind in ("float", "percentage", "currency"):
        try:
            number = float(cell.get(_O + "value", "nan"))
        except ValueError:
            return shown
        if not math.isfinite(number):
            return shown  # never NaN or infinity: what the cell shows, which the importer then judges
        return int(number) if number.is_integer() and abs(number) < 1e15 else number
    if kind == "date":
        raw = cell.get(_O + "date-value", "")
        try:
            return dt.datetime.fromisoformat(raw)
        except ValueError:
            return shown
    if kind == "boolean":
        return cell.get(_O + "boolean-value") == "true"
    if kind == "string" and cell.get(_O + "string-value") is not None:
        return cell.get(_O + "string-value")
    return shown if shown != "" else None


def _parse_content(chunks: Iterator[bytes], name: str) -> list[Sheet]:
    """The tables of an .ods ``content.xml``, streamed: rows are handled and dropped as they end; repeated rows
    and cells count against the budgets as the rows and cells they stand for (when they hold something)."""
    parser = XMLPullParser(events=("start", "end"))
    stack: list = []
    hidden_styles: set[str] = set()
    sheets: list[Sheet] = []
    sheet: Sheet | None = None
    row = col = 0
    row_cells: dict[int, tuple[Any, str | None, bool]] = {}
    carry = b""

    def events():
        nonlocal sheet, row, col, row_cells
        for event, el in parser.read_events():
            if event == "start":
                stack.append(el)
                if el.tag == _T + "table":
                    sheet = Sheet(el.get(_T + "name", f"Blad{len(sheets) + 1}"),
                                  "hidden" if el.get(_T + "style-name") in hidden_styles else "visible")
                    sheets.append(sheet)
                    row = 0
                elif el.tag == _T + "table-row":
                    row_cells, col = {}, 0
                continue
            stack.pop()
            tag = el.tag
            if tag == _S + "table-properties" and el.get(_T + "display") == "false" and stack:
                hidden_styles.add(stack[-1].get(_S + "name", ""))
            elif tag in (_T + "table-cell", _T + "covered-table-cell") and sheet is not None:
                repeat = int(el.get(_T + "number-columns-repeated", "1") or 1)
                paras = [_text(p) for p in el if p.tag == _X + "p"]
                shown = "\n".join(paras) if paras else None
                value = _value(el, shown) if tag == _T + "table-cell" else None
                formula = el.get(_T + "formula")
                if formula is not None:
                    value = "=" + formula.split(":", 1)[1].lstrip("=") if formula.startswith("of:") else formula
                if value is not None or formula is not None:
                    for c in range(col + 1, min(col + repeat, MAX_COLS) + 1):
                        row_cells[c] = (value, shown, formula is not None)
                    span_c = int(el.get(_T + "number-columns-spanned", "1") or 1)
                    span_r = int(el.get(_T + "number-rows-spanned", "1") or 1)
                    if (span_c > 1 or span_r > 1) and len(sheet.merged) < 1000 and col < MAX_COLS:
                        from openpyxl.utils import get_column_letter as L
                        sheet.merged.append(f"{L(col + 1)}{row + 1}:{L(min(col + span_c, 16384))}{row + span_r}")
                col += repeat
                el.clear()
            elif tag == _T + "table-row" and sheet is not None:
                repeat = int(el.get(_T + "number-rows-repeated", "1") or 1)
                if row_cells:
                    if row + repeat > B.XLSX_MAX_ROWS:
                        raise _ods_refuse(name, "too_many_rows", {"rows": row + repeat, "max": B.XLSX_MAX_ROWS},
                                          sheet.title)
                    if (len(sheet.cells) + repeat * len(row_cells)) > B.XLSX_MAX_CELLS:
                        raise _ods_refuse(name, "too_many_cells", {"max": B.XLSX_MAX_CELLS}, sheet.title)
                    for r in range(row + 1, row + repeat + 1):
                        for c, (value, shown, is_formula) in row_cells.items():
                            if value is not None:
                                sheet.cells[(r, c)] = value
                            if shown is not None:
                                sheet.shown[(r, c)] = shown
                            if is_formula:
                                sheet.formulas.add((r, c))
                    sheet.max_row = row + repeat
                row += repeat
                el.clear()
                if stack:
                    stack[-1].remove(el)
            elif tag == _T + "table":
                sheet = None
                el.clear()

    for chunk in chunks:
        window = carry + chunk
        if b"<!DOCTYPE" in window or b"<!ENTITY" in window:
            raise AnswersFileError(Problem(name, "", "ods.dtd"))
        carry = chunk[-16:]
        parser.feed(chunk)
        events()
    parser.close()
    events()
    return sheets


# --- writing through LibreOffice ----------------------------------------------------------------------------------

def soffice() -> str | None:
    """The LibreOffice program, if installed."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def convert(source: Path, fmt: str, target: Path, timeout: int = 180) -> Path:
    """``source`` converted by LibreOffice (headless, its own throw-away profile) to ``fmt`` (``ods``, ``xlsx``,
    ``pdf``), written to ``target``. Raises :class:`AnswersFileError` (Dutch) when LibreOffice is missing or fails."""
    program = soffice()
    if not program:
        raise AnswersFileError(Problem(str(target.name), "", "sheet.no_libreoffice", {"fmt": fmt}))
    with tempfile.TemporaryDirectory(prefix="imw-lo-") as tmp:
        profile = Path(tmp, "profiel").as_uri()
        out = Path(tmp, "uit")
        try:
            subprocess.run([program, f"-env:UserInstallation={profile}", "--headless", "--norestore",
                            "--convert-to", fmt, "--outdir", str(out), str(source)],
                           check=True, capture_output=True, timeout=timeout,
                           env=os.environ | {"HOME": tmp})
            made = out / (source.stem + "." + fmt)
            if not made.is_file():
                raise FileNotFoundError(made.name)
        except (subprocess.SubprocessError, OSError) as exc:
            raise AnswersFileError(Problem(str(target.name), "", "sheet.convert_failed",
                                           {"fmt": fmt, "why": reason_of(exc)})) from None
        from imworkbook.base.storage import atomic_write_bytes

        atomic_write_bytes(target, made.read_bytes())
    return target
