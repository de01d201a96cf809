"""Exports of a network comparison: an Excel workbook (openpyxl) and CSV for Dutch Excel (``;``, decimal comma).

Every cell goes through :func:`imworkbook.io.cells.safe_cell` (OWASP "CSV injection" and characters a workbook
cannot hold): in the workbook, text that looks like a formula is a text cell showing exactly that text; in the
CSV it gets a leading apostrophe, so a spreadsheet shows it as text instead of running it.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import pandas as pd
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from imworkbook.base.storage import atomic_write_bytes
from imworkbook.io.cells import is_formula_like, safe_cell, set_text


def safe_frame(frame: pd.DataFrame, *, csv: bool = False) -> pd.DataFrame:
    """A copy with every cell that may hold text (and every column name) through :func:`safe_cell`."""
    out = frame.copy()
    for col in out.columns:
        column = out[col]
        if not (pd.api.types.is_numeric_dtype(column) or pd.api.types.is_datetime64_any_dtype(column)):
            out[col] = column.astype(object).map(lambda v: safe_cell(v, csv=csv))  # also categories of text
    out.columns = [safe_cell(str(c), csv=csv) for c in out.columns]
    return out


def write_csv(frame: pd.DataFrame, path: str | Path) -> Path:
    """CSV for Dutch Excel: ``;`` separators, decimal comma, UTF-8 with BOM; written atomically."""
    path = Path(path)
    text = safe_frame(frame, csv=True).to_csv(sep=";", decimal=",", index=False, float_format="%.2f")
    atomic_write_bytes(path, text.encode("utf-8-sig"))
    return path


_NOT_IN_SHEET_NAMES = re.compile(r"[\\/?*:\[\]]")


def _sheet_title(title: object, used: set[str]) -> str:
    """A sheet name Excel accepts: at most 31 characters, none of \\ / ? * : [ ] (each becomes ``_``), unique in
    the workbook regardless of case (a number is added); ``used`` collects the names given."""
    base = _NOT_IN_SHEET_NAMES.sub("_", str(title)).strip("'") or "Blad"
    name, n = base[:31], 1
    while name.lower() in used:
        n += 1
        name = f"{base[:31 - len(str(n)) - 3]} ({n})"
    used.add(name.lower())
    return name


def write_xlsx(sheets: dict[str, pd.DataFrame], path: str | Path) -> Path:
    """One sheet per frame: bold header, frozen first row, filters, widths, numbers with two decimals
    (Excel shows them with the user's decimal comma).

    Written in openpyxl's write-only mode (rows streamed, no cell objects kept: the facilitator's sheet has a row
    per file, 30,000 for a national network), so a cell that needs more than its value (the header's style, a
    number format, a formula-like text made a text cell) is a ``WriteOnlyCell``; every other cell is its plain value
    and an empty one is left out."""
    path = Path(path)
    wb = Workbook(write_only=True)
    header_font, header_fill = Font(bold=True), PatternFill("solid", fgColor="E8EEF3")
    header_alignment = Alignment(wrap_text=True, vertical="top")
    used: set[str] = set()
    for title, frame in sheets.items():
        ws = wb.create_sheet(title=_sheet_title(title, used))
        frame = safe_frame(frame)
        formats = {}
        for idx, col in enumerate(frame.columns, start=1):
            column = frame.iloc[:, idx - 1]
            if pd.api.types.is_float_dtype(column):
                formats[idx - 1] = "#,##0.00"
            elif pd.api.types.is_integer_dtype(column):
                formats[idx - 1] = "#,##0"
            longest = max([len(str(col))] + [len(str(v)) for v in column.head(200)])
            ws.column_dimensions[get_column_letter(idx)].width = min(60, max(10, longest + 2))
        ws.freeze_panes = "A2"  # (before the first row: write-only mode writes the sheet's head then)

        def text_cell(value, **style) -> WriteOnlyCell:
            cell = WriteOnlyCell(ws, value=value)
            for name, setting in style.items():
                setattr(cell, name, setting)
            set_text(cell)
            return cell

        ws.append([text_cell(name, font=header_font, fill=header_fill, alignment=header_alignment)
                   for name in frame.columns])
        columns = []
        for index in range(frame.shape[1]):
            column = frame.iloc[:, index]
            values = column.astype(object).where(column.notna(), None).to_numpy(dtype=object)  # NaN, NA, NaT: empty
            if index in formats:  # numbers: a cell with its format (an empty one stays empty)
                number_format = formats[index]
                values = [None if v is None else text_cell(v, number_format=number_format) for v in values]
            else:  # text: only a formula-like one (or an error code such as #N/A) needs its own text cell
                values = [None if v is None or v == "" else text_cell(v) if isinstance(v, str) and (
                    is_formula_like(v) or v.startswith("#")) else v for v in values]
            columns.append(values)
        for row in zip(*columns):
            ws.append(row)
        if len(frame):
            ws.auto_filter.ref = f"A1:{get_column_letter(max(1, frame.shape[1]))}{len(frame) + 1}"
    buffer = io.BytesIO()
    wb.save(buffer)
    atomic_write_bytes(path, buffer.getvalue())
    return path
