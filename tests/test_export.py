"""imworkbook.export: a network comparison as CSV for Dutch Excel and as an Excel workbook, every cell safe."""

import io
import math

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st
from openpyxl import load_workbook

from imworkbook.cells import clean_text
from imworkbook.export import safe_frame, write_csv, write_xlsx

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
