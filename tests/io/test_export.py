"""imworkbook.io.export: a network comparison as CSV for Dutch Excel and as an Excel workbook (streamed in openpyxl's
write-only mode) that holds exactly the frames it was given (values, header, number formats, frozen header,
filter); every cell safe, never a formula."""

import io
import math

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from imworkbook.analysis.network import FACILITATOR, SHAREABLE, comparison_tables, export_sheets, network_frames
from imworkbook.cli import main
from imworkbook.io.cells import clean_text, is_formula_like
from imworkbook.io.collect import collect
from imworkbook.io.export import safe_frame, write_csv, write_xlsx

from ..conftest import REPO

FORMULAS = ["=1+1", "+cmd|' /C calc'!A0", "@SUM(A1)", "-2+3", "=HYPERLINK(\"http://x\",\"klik\")"]


def _frame():
    return pd.DataFrame({"school": ["De Regenboog", *FORMULAS], "leerlingen": [250, 1, 2, 3, 4, 5],
                         "score": [2.5, math.nan, 3.25, 1.0, 4.0, 5.0]})


def test_csv_is_for_dutch_excel_and_reads_back(tmp_path):
    path = write_csv(_frame(), tmp_path / "vergelijking.csv")
    raw = path.read_bytes()
    assert raw.startswith("\ufeff".encode("utf-8"))  # BOM: Excel reads UTF-8
    text = raw.decode("utf-8-sig")
    assert text.splitlines()[0] == "school;leerlingen;score"
    assert "De Regenboog;250;2,50" in text  # decimal comma
    back = pd.read_csv(io.StringIO(text), sep=";", decimal=",")
    assert list(back["leerlingen"]) == [250, 1, 2, 3, 4, 5]
    assert back["score"].isna().tolist() == [False, True, False, False, False, False]


def test_csv_formulas_become_text(tmp_path):
    text = write_csv(_frame(), tmp_path / "x.csv").read_text(encoding="utf-8-sig")
    back = pd.read_csv(io.StringIO(text), sep=";", dtype=str)
    assert list(back["school"]) == ["De Regenboog", *("'" + f for f in FORMULAS)]


def test_xlsx_sheets_header_numbers_and_text(tmp_path):
    long_title = "Vergelijking per gebied en per ronde"
    path = write_xlsx({"scholen": _frame(), long_title: _frame().head(2)}, tmp_path / "netwerk.xlsx")
    wb = load_workbook(path)
    assert wb.sheetnames == ["scholen", long_title[:31]]
    ws = wb["scholen"]
    assert [c.value for c in ws[1]] == ["school", "leerlingen", "score"] and ws["A1"].font.b
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref
    assert ws["C2"].value == 2.5 and ws["C2"].number_format == "#,##0.00"
    assert ws["B2"].value == 250 and ws["B2"].number_format == "#,##0"
    assert ws["C3"].value is None  # unknown stays empty, never 0
    for row, formula in enumerate(FORMULAS, start=3):
        cell = ws.cell(row, 1)
        assert cell.value == formula and cell.data_type == "s"  # exactly what was typed, as text


text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=40)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(text, st.floats(allow_nan=True, allow_infinity=False, width=32)), min_size=1, max_size=6))
def test_any_text_can_be_written_and_never_becomes_a_formula(tmp_path, rows):
    frame = pd.DataFrame(rows, columns=["naam", "waarde"])
    path = write_xlsx({"blad": frame}, tmp_path / "h.xlsx")
    ws = load_workbook(path)["blad"]
    for i, (name, value) in enumerate(rows, start=2):
        cell = ws.cell(i, 1)
        assert cell.data_type != "f" and (cell.value or "") == clean_text(name)  # as typed, never a formula
        number = ws.cell(i, 2).value
        assert (number is None) if math.isnan(value) else number == pytest.approx(value)
    csv = write_csv(frame, tmp_path / "h.csv").read_text(encoding="utf-8-sig")
    assert csv.count("\n") >= len(rows)


def test_safe_frame_changes_text_only():
    frame = pd.DataFrame({"=kolom": ["=1", "gewoon"], "n": [1.5, 2.0]})
    safe = safe_frame(frame, csv=True)
    assert list(safe.columns) == ["'=kolom", "n"]
    assert list(safe.iloc[:, 0]) == ["'=1", "gewoon"] and list(safe["n"]) == [1.5, 2.0]
    assert list(frame.columns) == ["=kolom", "n"]  # the original is not changed


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
