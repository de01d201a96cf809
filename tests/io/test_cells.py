"""Text that goes into spreadsheets is always safe (issue 11, point 5): whatever text a school, a note, an
application or a file name holds, every cell any command writes is never a formula, never refused by the
writer, and shows the text itself (without the characters a workbook cannot hold)."""

import json
import os
import shutil
import subprocess
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import ERROR_CODES, ILLEGAL_CHARACTERS_RE

from imworkbook.cli import main
from imworkbook.io.cells import FORMULA_START, clean_text, put, safe_cell, workbook_bytes
from imworkbook.io.excel import SHEETS, read_inventory, write_inventory, write_template
from imworkbook.io.export import write_csv, write_xlsx
from imworkbook.io.files import read_any as load_answers  # any format
from imworkbook.model.answers import Application
from imworkbook.model.content import load_model

from ..conftest import EXAMPLES, PO_EXAMPLE

SOFFICE = shutil.which("soffice")
ATTACKS = ["=1+1", '=HYPERLINK("http://x","y")', "+cmd|' /C calc'!A0", "@SUM(A1)", "-2+3", "\t=1+1", "\r=1+1",
           "\n=1+1", "＝1+1", "＠SUM(A1)"]
# any text, with the characters that break workbooks (controls, lone surrogates, U+FFFE) and formula starts
TEXT = st.text(st.one_of(st.characters(exclude_categories=()), st.sampled_from(
    ["\x00", "\x01", "\x07", "\x0b", "\x1b", "\x1f", "\ud800", "\udfff", "\ufffe", "\uffff", "\t", "\r", "\n",
     "=", "+", "-", "@", "＝", "＠", "'", '"', " "])), max_size=40)
MODEL = load_model()  # not a fixture: hypothesis would print all of it with a failing example
PROPERTY = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def _same_text(read, written: str) -> bool:
    """What a cell reads back as: the written text without the characters a workbook cannot hold (an empty
    text is an empty cell)."""
    expected = clean_text(written)
    return (read or "") == expected


def _no_formulas(path: Path) -> None:
    wb = load_workbook(path)
    formulas = [f"{ws.title}!{c.coordinate}" for ws in wb.worksheets for row in ws.iter_rows() for c in row
                if c.data_type == "f"]
    assert not formulas, f"formula cells in {path.name}: {formulas}"


# --- the function --------------------------------------------------------------------------------------

@pytest.mark.parametrize("text", ATTACKS)
def test_csv_text_that_looks_like_a_formula_gets_an_apostrophe(text):
    assert safe_cell(text, csv=True) == "'" + clean_text(text)  # (a CR is a line break, LF)
    assert safe_cell(text) == clean_text(text)  # in a workbook the text stays as typed; its cell is made a text cell


def test_characters_openpyxl_refuses_are_removed_and_nothing_else():
    every = "".join(chr(c) for c in range(0x20)) + "a\ud800b\ufffe\uffffé€"
    cleaned = clean_text(every)
    assert cleaned == "\t\n\nabé€" and not ILLEGAL_CHARACTERS_RE.search(cleaned)
    assert clean_text("a\r\nb\rc") == "a\nb\nc"  # line breaks as a cell holds them
    assert safe_cell(3.5) == 3.5 and safe_cell(None) is None and safe_cell("gewoon") == "gewoon"
    assert len(clean_text("x" * 40_000)) == 32_767


@given(st.one_of(TEXT, st.sampled_from(ATTACKS + ["#N/A", "#DIV/0!"])))
@settings(max_examples=200, deadline=None)
def test_any_text_in_a_cell_is_text_and_reads_back(text):
    """Also an error code such as ``#N/A`` stays text (openpyxl would make it an error cell)."""
    wb = Workbook()
    put(wb.active, 1, 1, text)
    wb.active.append([safe_cell(text)])  # the other way in: a row; workbook_bytes makes it safe as well
    from io import BytesIO

    ws = load_workbook(BytesIO(workbook_bytes(wb))).active
    for cell in (ws["A1"], ws["A2"]):
        assert cell.data_type != "f" and _same_text(cell.value, text)
        if clean_text(text).startswith(FORMULA_START) or text in ERROR_CODES:
            assert cell.quotePrefix  # also kept as text when the user edits the cell


# --- through the real export paths ------------------------------------------------------------------------

@given(name=TEXT.filter(lambda s: clean_text(s).strip()), note=TEXT)
@PROPERTY
def test_template_with_any_school_name_and_note_has_no_formula(tmp_path, name, note):
    model = MODEL
    answers = load_answers(PO_EXAMPLE, model).answers
    school = answers.school.model_copy(update={"name": name, "code": note[:10] or None})
    item = model.item_ids[0]
    answers = answers.model_copy(update={"school": school, "answers": {
        **answers.answers, item: answers.answers[item].model_copy(update={"note": note})}})
    path = write_template(tmp_path / "t.xlsx", model, answers=answers)
    _no_formulas(path)
    wb = load_workbook(path)
    assert _same_text(wb[SHEETS["school"]]["C3"].value, name)
    items = wb[SHEETS["items"]]
    row = next(r for r in range(3, items.max_row + 1) if items.cell(row=r, column=1).value == item)
    assert _same_text(items.cell(row=row, column=12).value, note)


@given(name=TEXT.filter(lambda s: clean_text(s).strip()), supplier=TEXT, note=TEXT)
@PROPERTY
def test_inventory_export_with_any_text_has_no_formula_and_reads_back(tmp_path, name, supplier, note):
    app = Application.model_construct(name=name, type="las", supplier=supplier, activities=[], masters=[], uses=[],
                                      cost_year=100.0, cost_once=None, users=None, business_fit=None,
                                      technical_fit=None, note=note)
    path = write_inventory(tmp_path / "apps.xlsx", [app])
    _no_formulas(path)
    ws = load_workbook(path).active
    assert _same_text(ws["A2"].value, name) and _same_text(ws["C2"].value, supplier)
    assert _same_text(ws["L2"].value, note)
    apps, problems = read_inventory(path.read_bytes(), path.name)
    if apps:  # the tool reads its own export back: text "=…" is text, not a formula
        assert apps[0].name == clean_text(name).strip()
    assert not any("formule" in p.message for p in problems)


@given(text=TEXT)
@PROPERTY
def test_network_exports_with_any_text_have_no_formula(tmp_path, text):
    frame = pd.DataFrame({"school": [text, "gewoon"], "bestand": pd.Categorical([text, "x.json"]),
                          text or "kolom": [1.5, None]})
    x = write_xlsx({"Overzicht": frame}, tmp_path / "uit.xlsx")
    _no_formulas(x)
    ws = load_workbook(x)["Overzicht"]
    assert _same_text(ws["A2"].value, text) and _same_text(ws["B2"].value, text)
    c = write_csv(frame, tmp_path / "uit.csv")
    back = pd.read_csv(c, sep=";", encoding="utf-8-sig", keep_default_na=False, dtype=str)
    cell = back.iloc[0, 0]
    assert not cell.startswith(FORMULA_START)  # a spreadsheet opening the CSV never runs it
    expected = clean_text(text)
    assert cell == ("'" + expected if expected.startswith(FORMULA_START) else expected)


def test_compare_xlsx_and_csv_with_a_control_character_in_a_school_and_a_file_name(tmp_path, werkmap):
    folder = tmp_path / "netwerk"
    shutil.copytree(EXAMPLES / "netwerk" / "2026-2027", folder)
    first = sorted(folder.glob("*.json"))[0]
    data = json.loads(first.read_text(encoding="utf-8"))
    data["school"]["name"] = "=HYPERLINK(\"http://x\",\"De\x07 Bel\")"
    first.unlink()
    (folder / "school\x01bel.json").write_text(json.dumps(data), encoding="utf-8")
    out_x, out_c, own = tmp_path / "vergelijk.xlsx", tmp_path / "vergelijk.csv", tmp_path / "eigen.xlsx"
    assert main(["compare", str(folder), "--xlsx", str(out_x), "--csv", str(out_c), "--begeleider-xlsx", str(own)]) == 0
    for book in (out_x, own):
        _no_formulas(book)
    texts = [c.value for ws in load_workbook(own).worksheets for row in ws.iter_rows() for c in row
             if isinstance(c.value, str)]  # the facilitator's file names every file (the shareable one does not)
    # the report shows the control character visibly (collect writes it as \u0001); the cell holds no raw one
    assert any("school\\u0001bel.json" in v for v in texts) and not any("\x01" in v or "\x07" in v for v in texts)
    assert not any(line.startswith(FORMULA_START) for line in out_c.read_text(encoding="utf-8-sig").splitlines())


def test_template_cli_with_a_formula_as_school_name_round_trips(tmp_path, werkmap, model):
    school = tmp_path / "school.json"
    data = json.loads(PO_EXAMPLE.read_text(encoding="utf-8"))
    data["school"]["name"] = "=1+1 school"
    school.write_text(json.dumps(data), encoding="utf-8")
    out = tmp_path / "v.xlsx"
    assert main(["template", "--xlsx", str(out), "--school", str(school)]) == 0
    _no_formulas(out)
    back = load_answers(out, model)  # read back: the name is text, not a refused formula
    assert back.answers.school.name == "=1+1 school"


def test_an_array_formula_is_refused_at_its_cell_not_stored_as_an_object(tmp_path, model):
    from openpyxl.worksheet.formula import ArrayFormula

    path = write_template(tmp_path / "t.xlsx", model, answers=load_answers(PO_EXAMPLE, model).answers)
    wb = load_workbook(path)
    ws = wb[SHEETS["items"]]
    ws["L3"] = ArrayFormula("L3", "=SUM(A1:A2)")
    wb.save(path)
    result = load_answers(path, model)
    where = f"{SHEETS['items']}!L3"
    assert any(p.where == where and "formule" in p.message for p in result.problems)
    text = json.dumps(result.answers.set_aside, ensure_ascii=False, default=str)
    assert "ArrayFormula object" not in text and "=SUM(A1:A2)" in text
    assert "ArrayFormula" not in json.dumps(result.answers.model_dump(mode="json"), default=str)


# --- LibreOffice ------------------------------------------------------------------------------------------

def _libreoffice_csv(path: Path, out: Path, home: Path) -> dict[str, str]:
    """Every sheet of ``path`` as LibreOffice computes and exports it (UTF-8 CSV), by sheet file name."""
    env = os.environ | {"HOME": str(home)}  # its own profile: no clash with a running LibreOffice
    subprocess.run([SOFFICE, "--headless", "--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,"
                    "false,false,false,-1", "--outdir", str(out), str(path)],
                   check=True, capture_output=True, timeout=180, env=env)
    return {p.name: p.read_text(encoding="utf-8") for p in out.glob(f"{path.stem}*.csv")}


@pytest.mark.skipif(not SOFFICE and not os.environ.get("CI"), reason="LibreOffice (soffice) not installed")
def test_libreoffice_shows_formula_text_as_text_in_every_export(tmp_path, model):
    assert SOFFICE, "CI needs LibreOffice (apt-get install libreoffice-calc)"
    examples = ["=1+1", '=HYPERLINK("http://x","y")', "+cmd|' /C calc'!A0", "@SUM(A1)"]
    answers = load_answers(PO_EXAMPLE, model).answers
    answers = answers.model_copy(update={"school": answers.school.model_copy(update={"name": examples[0]}),
                                         "answers": {**answers.answers, **{
                                             item: answers.answers[item].model_copy(update={"note": text})
                                             for item, text in zip(model.item_ids, examples)}}})
    files = [write_template(tmp_path / "sjabloon.xlsx", model, answers=answers),
             write_inventory(tmp_path / "applicaties.xlsx", [
                 Application(name=text, supplier=text, note=text, cost_year=1) for text in examples]),
             write_xlsx({"Overzicht": pd.DataFrame({"school": examples, "n": [1, 2, 3, 4]})}, tmp_path / "netwerk.xlsx")]
    # the control: the same text written by openpyxl the plain way IS run by LibreOffice
    plain = Workbook()
    plain.active.append(["=1+1"])
    plain.save(tmp_path / "gewoon.xlsx")
    assert _libreoffice_csv(tmp_path / "gewoon.xlsx", tmp_path / "lo", tmp_path)["gewoon-Sheet.csv"].strip() == "2"
    for path in files:
        sheets = _libreoffice_csv(path, tmp_path / "lo", tmp_path)
        text = "\n".join(sheets.values())
        for example in examples:
            quoted = '"' + example.replace('"', '""') + '"'
            assert example in text or quoted in text, f"{example!r} not shown as text in {path.name}: {sheets.keys()}"
        assert "#NAME?" not in text and "Err:" not in text, path.name
        # and LibreOffice saving the workbook again keeps the text cells text
        env = os.environ | {"HOME": str(tmp_path)}
        subprocess.run([SOFFICE, "--headless", "--convert-to", "xlsx", "--outdir", str(tmp_path / "lo-xlsx"), str(path)],
                       check=True, capture_output=True, timeout=180, env=env)
        _no_formulas(tmp_path / "lo-xlsx" / path.name)
