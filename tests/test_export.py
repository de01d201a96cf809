"""Network exports (imworkbook.export): the Excel workbook, streamed in openpyxl's write-only mode, holds exactly
the frames it was given (values, header, number formats, frozen header, filter) and never a formula."""

import math

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from imworkbook.cells import clean_text, is_formula_like
from imworkbook.cli import main
from imworkbook.collect import collect
from imworkbook.export import safe_frame, write_xlsx
from imworkbook.network import FACILITATOR, SHAREABLE, comparison_tables, export_sheets, network_frames

from .conftest import REPO

TEXT = st.one_of(st.text(st.one_of(st.characters(), st.sampled_from(["=", "+", "-", "@", "#", "\x01", "\r", "'"])),
                         max_size=12),
                 st.sampled_from(["#N/A", "#DIV/0!", "=SUM(A1)", "-2+3", "@A1", ""]))  # error codes, formulas
PROPERTY = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def _expected(value):
    """What a cell reads back as: text without what a workbook cannot hold (an empty text: an empty cell),
    NaN as an empty cell, numbers as they are."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, str):
        return clean_text(value) or None
    return value


def _read_back(path, title):
    ws = load_workbook(path)[title]
    return ws, [[cell for cell in row] for row in ws.iter_rows()]


@PROPERTY
@given(rows=st.lists(st.tuples(TEXT, st.one_of(st.none(), st.floats(-1e6, 1e6, allow_nan=False)),
                               st.integers(-10**6, 10**6)), min_size=0, max_size=8),
       header=TEXT)
def test_the_workbook_holds_the_frame_as_given(tmp_path, rows, header):
    frame = pd.DataFrame(rows, columns=[header or "tekst", "getal", "aantal"]).astype({"getal": float})
    path = write_xlsx({"Blad": frame}, tmp_path / "uit.xlsx")
    ws, cells = _read_back(path, "Blad")
    heading = cells[0]
    assert [c.value for c in heading] == [_expected(str(c)) for c in frame.columns]
    assert all(c.font.b and c.fill.fgColor.rgb.endswith("E8EEF3") for c in heading)
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref == (f"A1:C{len(frame) + 1}" if len(frame) else None)
    for r, row in enumerate(frame.itertuples(index=False), start=2):
        text, number, count = (ws.cell(row=r, column=c) for c in (1, 2, 3))
        assert text.value == _expected(row[0]) and text.data_type != "f"
        if text.value is not None and is_formula_like(text.value):
            assert text.data_type == "s" and text.quotePrefix  # shown as typed, never computed
        if _expected(row[1]) is None:
            assert number.value is None
        else:
            assert number.value == pytest.approx(row[1], rel=1e-14)  # (as Excel, 15 digits)
            assert number.number_format == "#,##0.00"
        assert count.value == row[2] and count.number_format == "#,##0"
    assert all(c.data_type != "f" for row in cells for c in row)


def test_the_network_exports_hold_every_sheet_as_computed(tmp_path):
    """The example network's two exports, read back, hold the frames export_sheets made, cell for cell."""
    folder = REPO / "data" / "examples" / "netwerk"
    collected = collect(folder, keep_documents=False)
    tables = comparison_tables(network_frames(collected, secret=b"x"))
    round_ = sorted(collected.report["ronde"].replace("", None).dropna().unique())[-1]
    for kind in (SHAREABLE, FACILITATOR):
        sheets = export_sheets(tables, kind, round=round_, report=collected.report)
        path = write_xlsx(sheets, tmp_path / f"{kind}.xlsx")
        book = load_workbook(path)
        assert book.sheetnames == list(sheets)
        for title, frame in sheets.items():
            shown = safe_frame(frame)
            values = [[c.value for c in row] for row in book[title].iter_rows()]
            assert values[0] == [_expected(c) for c in shown.columns]
            body = [[_expected(v) for v in row] for row in shown.astype(object).itertuples(index=False)]
            width = len(shown.columns)
            assert [row + [None] * (width - len(row)) for row in values[1:]] == body, title
        if kind == FACILITATOR:
            assert len(values) - 1 == len(collected.report)  # (Validatie, the last sheet: one row per file)


def test_compare_writes_both_exports_through_the_command(tmp_path):
    shared, own = tmp_path / "netwerk_deelbaar.xlsx", tmp_path / "netwerk_begeleider.xlsx"
    main(["compare", str(REPO / "data" / "examples" / "netwerk"), "--xlsx", str(shared),
          "--begeleider-xlsx", str(own)])
    assert load_workbook(shared).sheetnames == ["Lees mij", "Overzicht", "Per groep", "Per item"]
    assert load_workbook(own).sheetnames == ["Lees mij", "Overzicht", "Per groep", "Per item", "Validatie"]
