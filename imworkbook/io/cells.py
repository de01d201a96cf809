"""Text that goes into a spreadsheet, made safe: never run as a formula, never refused by the writer.

Every cell any command writes (the questionnaire template, the network comparison in Excel and CSV, the
application inventory) goes through :func:`safe_cell`; an ``.xlsx`` is turned into bytes by
:func:`workbook_bytes`, which checks every cell once more.

* **Formulas** (OWASP "CSV injection"): text such as ``=HYPERLINK(...)``, ``+cmd|' /C calc'!A0``, ``@SUM(A1)``,
  ``-2+3`` or a leading tab/CR (also the full-width ``＝ ＋ － ＠``) must never be evaluated.
  - In an ``.xlsx`` the text stays exactly what the user typed: the cell is written as a *text* cell
    (``t="inlineStr"``; openpyxl would otherwise write a string starting with ``=`` as a formula) with the
    cell style's ``quotePrefix`` set, the flag Excel and LibreOffice set themselves when one types
    ``'=1+1``: shown as ``=1+1``, kept as text even when the cell is edited, never computed.
  - A CSV has no cell types: such text gets a leading apostrophe (``'=1+1``), the OWASP advice; Excel and
    LibreOffice then show it as text.
* **Characters a workbook cannot hold**: control characters (openpyxl refuses them with
  ``IllegalCharacterError``), lone surrogates and the non-characters U+FFFE/U+FFFF (not valid XML) are
  removed; a CR becomes a line break (LF, what a cell holds); text longer than a cell holds (32,767
  characters) is cut, as Excel does.

Layer: model/util (imports nothing from imworkbook).
"""

from __future__ import annotations

import io
import re
from typing import Any

FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")  # ＝ ＋ － ＠
MAX_CELL_TEXT = 32_767  # characters in one cell (Excel's limit; openpyxl cuts there too)
# openpyxl's ILLEGAL_CHARACTERS_RE (C0 controls except tab, LF, CR) + surrogates + U+FFFE/U+FFFF: none is valid XML 1.0
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def clean_text(text: str) -> str:
    """``text`` without the characters a workbook cannot hold (see the module docstring), at most one cell long;
    line breaks as in a cell (``\\n``: a CR would come back from the XML as LF anyway)."""
    return _ILLEGAL.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))[:MAX_CELL_TEXT]


def is_formula_like(text: str) -> bool:
    """Would a spreadsheet program read this text as (the start of) a formula?"""
    return text.startswith(FORMULA_START)


def safe_cell(value: Any, *, csv: bool = False) -> Any:
    """The value to put in a spreadsheet cell: text cleaned (:func:`clean_text`); other values unchanged.

    ``csv=True``: formula-like text also gets a leading ``'`` (a CSV cannot say "this is text"). For an
    ``.xlsx`` the text is kept as it is; :func:`set_text` / :func:`workbook_bytes` make its cell a text cell.
    """
    if isinstance(value, str):
        value = clean_text(value)
        if csv and is_formula_like(value):
            return "'" + value
    return value


def set_text(cell) -> None:
    """Make an openpyxl cell holding formula-like text (or an error code such as ``#N/A``) a plain text cell."""
    value = cell._value  # the value as set; openpyxl's .value of a formula is the formula text as well
    if not isinstance(value, str):
        return
    if cell.data_type in ("f", "e") or is_formula_like(value):
        cell.data_type = "s"
        cell.quotePrefix = True


def put(ws, row: int, column: int, value: Any):
    """``ws.cell(row, column, value)`` through :func:`safe_cell`: never a formula, never refused."""
    cell = ws.cell(row=row, column=column, value=safe_cell(value))
    set_text(cell)
    return cell


def append(ws, values) -> None:
    """``ws.append(values)`` through :func:`safe_cell` (see :func:`put`)."""
    ws.append([safe_cell(v) for v in values])
    for cell in ws[ws.max_row]:
        set_text(cell)


def safe_workbook(wb) -> None:
    """Every cell of every sheet a safe text cell where it holds formula-like text (see :func:`set_text`).
    imworkbook writes no formulas of its own into cells (drop-down lists are data validation, not cells)."""
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                set_text(cell)


def workbook_bytes(wb) -> bytes:
    """The workbook as ``.xlsx`` bytes, after :func:`safe_workbook`."""
    safe_workbook(wb)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
