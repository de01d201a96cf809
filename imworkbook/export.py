"""Exports of a network comparison: an Excel workbook (openpyxl) and CSV for Dutch Excel (``;``, decimal comma).

Every cell goes through :func:`imworkbook.cells.safe_cell` (OWASP "CSV injection" and characters a workbook
cannot hold): in the workbook, text that looks like a formula is a text cell showing exactly that text; in the
CSV it gets a leading apostrophe, so a spreadsheet shows it as text instead of running it.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from .storage import atomic_write_bytes
from .cells import safe_cell, workbook_bytes


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


def write_xlsx(sheets: dict[str, pd.DataFrame], path: str | Path) -> Path:
    """One sheet per frame: bold header, frozen first row, filters, widths, numbers with two decimals
    (Excel shows them with the user's decimal comma)."""
    path = Path(path)
    wb = Workbook()
    wb.remove(wb.active)
    header_fill = PatternFill("solid", fgColor="E8EEF3")
    for title, frame in sheets.items():
        ws = wb.create_sheet(title=str(title)[:31])
        frame = safe_frame(frame)
        ws.append(list(frame.columns))
        for cell in ws[1]:
            cell.font = Font(bold=True)
            cell.fill = header_fill
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        for row in frame.itertuples(index=False):
            ws.append([None if v is None or (pd.api.types.is_scalar(v) and pd.isna(v)) else v for v in row])
        for idx, col in enumerate(frame.columns, start=1):
            letter = get_column_letter(idx)
            if pd.api.types.is_float_dtype(frame[col]):
                for cell in ws[letter][1:]:
                    cell.number_format = "#,##0.00"
            elif pd.api.types.is_integer_dtype(frame[col]):
                for cell in ws[letter][1:]:
                    cell.number_format = "#,##0"
            longest = max([len(str(col))] + [len(str(v)) for v in frame[col].head(200)])
            ws.column_dimensions[letter].width = min(60, max(10, longest + 2))
        ws.freeze_panes = "A2"
        if ws.max_row > 1:
            ws.auto_filter.ref = ws.dimensions
    atomic_write_bytes(path, workbook_bytes(wb))  # text that looks like a formula stays text
    return path
