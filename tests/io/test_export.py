"""imworkbook.io.export: a network comparison as CSV for Dutch Excel and as an Excel workbook (openpyxl's write-only
mode, read back here with openpyxl) that holds exactly the frames it was given (values, header, number formats, frozen
header, filter, widths); every cell safe, never a formula; every part well-formed and in the schema's order."""

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


# --- the workbook as a package ---------------------------------

def test_a_formula_like_school_name_stays_text_in_the_facilitators_validation_sheet(tmp_path):
    """School names reach the Validatie sheet as the schools typed them: a formula, an error code, XML
    characters or a rich-text look-alike are text cells showing exactly that text (never a formula, never
    markup in the sheet's XML)."""
    import json
    import shutil

    folder = tmp_path / "netwerk"
    shutil.copytree(REPO / "data" / "examples" / "netwerk" / "2026-2027", folder)
    names = ['=HYPERLINK("http://x","klik")', "#N/A", "<r><t>x</t></r>", "De Eik & <Linde>", "@SUM(A1)"]
    for path, name in zip(sorted(folder.glob("*.json")), names):
        data = json.loads(path.read_text(encoding="utf-8"))
        data["school"]["name"] = name
        path.write_text(json.dumps(data), encoding="utf-8")
    collected = collect(folder, keep_documents=False)
    tables = comparison_tables(network_frames(collected, secret=b"x"))
    sheets = export_sheets(tables, FACILITATOR, round="2026-2027", report=collected.report)
    book = load_workbook(write_xlsx(sheets, tmp_path / "begeleider.xlsx"))
    cells = {c.value: c for row in book["Validatie"].iter_rows(min_row=2) for c in row if c.value in names}
    assert set(cells) == set(names)
    for name, cell in cells.items():
        assert cell.data_type == "s", name
        assert cell.quotePrefix == (is_formula_like(name) or name.startswith("#")), name


def test_every_part_is_well_formed_and_in_the_order_excel_requires(tmp_path):
    """Excel refuses (\"repairs\") a sheet whose elements are out of the schema's order; every part is XML that
    parses, and the package lists every sheet."""
    import zipfile
    from xml.etree import ElementTree

    frame = _frame()
    path = write_xlsx({"Lees & mij": frame.head(1), "scholen": frame, "leeg": frame.head(0)}, tmp_path / "x.xlsx")
    main = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
    order = ["sheetPr", "dimension", "sheetViews", "sheetFormatPr", "cols", "sheetData", "autoFilter", "pageMargins"]
    with zipfile.ZipFile(path) as package:
        parts = {name: ElementTree.fromstring(package.read(name)) for name in package.namelist()}
    types = {o.get("PartName") for o in parts["[Content_Types].xml"]}
    sheets = sorted(name for name in parts if name.startswith("xl/worksheets/"))
    assert sheets == [f"xl/worksheets/sheet{n}.xml" for n in (1, 2, 3)]
    assert {"/xl/workbook.xml", "/xl/styles.xml", *("/" + s for s in sheets)} <= types
    for name in sheets:
        tags = [child.tag.removeprefix(main) for child in parts[name]]
        assert tags == sorted(tags, key=order.index), (name, tags)
    defined = {d.get("localSheetId"): d.text for d in parts["xl/workbook.xml"].iter(main + "definedName")}
    assert defined == {"0": "'Lees & mij'!$A$1:$C$2", "1": "'scholen'!$A$1:$C$7"}  # (the empty sheet: no filter)
    assert load_workbook(path).sheetnames == ["Lees & mij", "scholen", "leeg"]


def test_other_values_keep_their_kind(tmp_path):
    """Dates, booleans, decimals and numbers in a text column read back as what they are; what a cell cannot
    hold (infinity) is an empty cell, never text such as 'inf'."""
    import datetime as dt
    from decimal import Decimal

    frame = pd.DataFrame({"wat": ["datum", "tijd", "ja", "decimaal", "getal", "oneindig"],
                          "waarde": [dt.date(2026, 3, 1), dt.datetime(2026, 3, 1, 12, 30), True, Decimal("1.25"),
                                     7, math.inf],
                          "tijdstip": pd.to_datetime(["2026-03-01 12:30", None, None, None, None, None]),
                          "kommagetal": [1.5, math.inf, -math.inf, 0.1, 1e-7, 1e16]})
    ws = load_workbook(write_xlsx({"Blad": frame}, tmp_path / "x.xlsx"))["Blad"]
    assert [ws.cell(r, 2).value for r in range(2, 8)] == [dt.datetime(2026, 3, 1), dt.datetime(2026, 3, 1, 12, 30),
                                                           True, 1.25, 7, None]
    assert ws["B2"].is_date and ws["C2"].value == dt.datetime(2026, 3, 1, 12, 30) and ws["C3"].value is None
    assert [ws.cell(r, 4).value for r in range(2, 8)] == [1.5, None, None, 0.1, 1e-7, 1e16]
    assert ws["D5"].number_format == "#,##0.00"


def test_sheet_names_excel_accepts(tmp_path):
    """At most 31 characters, none of \\ / ? * : [ ], and unique: Excel refuses a workbook otherwise."""
    long = "Vergelijking per gebied en per ronde"
    titles = [long, long + " (2)", "a/b:c?", "A/B:C?"]
    book = load_workbook(write_xlsx({t: _frame().head(1) for t in titles}, tmp_path / "x.xlsx"))
    names = book.sheetnames
    assert names[0] == long[:31] and names[2] == "a_b_c_"
    assert all(len(n) <= 31 and not set(n) & set("\\/?*:[]") for n in names)
    assert len({n.lower() for n in names}) == len(titles)


def test_column_widths_follow_the_longest_text(tmp_path):
    frame = pd.DataFrame({"kort": ["a", "b"], "lang": ["x" * 30, "y"], "heel lang": ["z" * 200, ""]})
    ws = load_workbook(write_xlsx({"Blad": frame}, tmp_path / "x.xlsx"))["Blad"]
    assert [ws.column_dimensions[c].width for c in "ABC"] == [10, 32, 60]
