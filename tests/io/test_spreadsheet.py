"""Issue 16: the spreadsheet route as trustworthy as the app.

* every sheet, column and row is found by its hidden marker: renamed, moved, inserted rows or columns do no harm,
  and a missing part is an error naming it (never an import with an empty section);
* every message names the cell and the rule of that field; a value Calc made into a date is shown as typed;
* .ods is read (a streaming reader within the budgets) and written (through LibreOffice); .csv gets a message;
* the guidance in the sheet: validations with input help and error messages, a drop-down per coded field,
  protection that survives a LibreOffice save; print settings and the PDF;
* filled in through LibreOffice Calc itself (UNO, nl-NL) and imported.
"""

import io
import json
import os
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from imworkbook.base.errors import AnswersFileError
from imworkbook.cli import main
from imworkbook.io.collect import STATUS_OK, STATUS_REFUSED, STATUS_WARN, collect
from imworkbook.io.excel import COL, FIRST_ROW, SHEETS, sheet_names, write_template
from imworkbook.io.files import read_any as load_answers  # any format: .json, .xlsx, .ods
from imworkbook.io.spreadsheet import convert
from imworkbook.model.content import load_investment_model

from ..conftest import PO_EXAMPLE

SOFFICE = shutil.which("soffice")
UNO_PYTHON = "/usr/bin/python3"
needs_soffice = pytest.mark.skipif(not SOFFICE and not os.environ.get("CI"),
                                   reason="LibreOffice (soffice) not installed")



def _col(field_id: str) -> int:
    """The column of an investment field in the template (columns follow data/investment/model.yaml)."""
    return 4 + [f.id for f in load_investment_model().fields].index(field_id)


def _letter(field_id: str) -> str:
    return get_column_letter(_col(field_id))

def _has_uno() -> bool:
    return Path(UNO_PYTHON).exists() and subprocess.run([UNO_PYTHON, "-c", "import uno"],
                                                        capture_output=True).returncode == 0


@pytest.fixture
def filled(tmp_path, model):
    answers = load_answers(PO_EXAMPLE, model).answers
    return write_template(tmp_path / "regenboog.xlsx", model, answers=answers), answers


def _same(a, b):
    return (a.school == b.school and a.round == b.round and a.answers == b.answers
            and a.investment.areas == b.investment.areas and a.investment.hourly_rate == b.investment.hourly_rate)


def _errors(result):
    return [p for p in result.problems if p.severity == "error"]


# --- 1. nothing dropped silently --------------------------------------------------------------------------------

@pytest.mark.parametrize("kind", list(SHEETS))
def test_a_renamed_sheet_is_found_by_its_marker_and_read(tmp_path, filled, model, kind):
    path, answers = filled
    wb = load_workbook(path)
    wb[SHEETS[kind]].title = SHEETS[kind] + "en"  # "Investering" -> "Investeringen"
    wb.move_sheet(SHEETS[kind] + "en", offset=-1 if kind != "intro" else 2)  # and moved
    wb.save(path)
    result = load_answers(path, model)
    assert _same(result.answers, answers) and not _errors(result)
    assert any(p.where == SHEETS[kind] + "en" and "onder een andere naam" in p.message for p in result.problems)
    folder = tmp_path / "net"
    folder.mkdir()
    shutil.copy(path, folder / "regenboog.xlsx")
    report = collect(folder).report.set_index("bestand")
    assert report.loc["regenboog.xlsx", "status"] in (STATUS_OK, STATUS_WARN)


@pytest.mark.parametrize("kind", list(SHEETS))
def test_a_missing_sheet_is_an_error_naming_it(tmp_path, filled, model, kind):
    path, _ = filled
    wb = load_workbook(path)
    del wb[SHEETS[kind]]
    wb.save(path)
    with pytest.raises(AnswersFileError, match=f"{SHEETS[kind]}"):
        load_answers(path, model)


def test_a_missing_investment_sheet_stops_import_and_is_refused_in_a_network(tmp_path, filled, model, werkmap):
    path, _ = filled
    wb = load_workbook(path)
    del wb[SHEETS["investment"]]
    wb.save(path)
    assert main(["import", str(path)]) == 2  # not exit 0 with an empty investment section
    assert not list((werkmap / "antwoorden").glob("*.json"))
    folder = tmp_path / "net"
    folder.mkdir()
    shutil.copy(path, folder / "regenboog.xlsx")
    report = collect(folder).report.set_index("bestand")
    assert report.loc["regenboog.xlsx", "status"] == STATUS_REFUSED
    assert "Investering" in report.loc["regenboog.xlsx", "melding"]


def test_a_marker_that_is_kept_but_a_sheet_whose_name_is_kept_without_marker_is_not_enough(tmp_path, filled, model):
    """A sheet named "Investering" that is not the template's (its markers gone) is not read as it."""
    path, _ = filled
    wb = load_workbook(path)
    wb[SHEETS["investment"]]["A1"] = None
    wb.save(path)
    with pytest.raises(AnswersFileError, match="Investering.*ontbreekt"):
        load_answers(path, model)


@pytest.mark.parametrize("kind", ["school", "items", "investment"])
def test_inserted_rows_and_columns_do_no_harm(tmp_path, filled, model, kind):
    path, answers = filled
    wb = load_workbook(path)
    ws = wb[SHEETS[kind]]
    ws.insert_rows(1)  # above the marker row
    ws.insert_rows(FIRST_ROW + 3)  # between data rows
    ws.insert_cols(3)  # between marked columns
    wb.save(path)
    result = load_answers(path, model)
    assert _same(result.answers, answers) and not _errors(result)


def test_a_value_in_an_inserted_column_or_row_is_set_aside_with_its_cell(tmp_path, filled, model):
    path, answers = filled
    wb = load_workbook(path)
    ws = wb[SHEETS["investment"]]
    ws.insert_cols(5)
    ws.cell(row=FIRST_ROW, column=5, value="120 uur")
    ws = wb[SHEETS["items"]]
    ws.insert_rows(FIRST_ROW + 1)
    ws.cell(row=FIRST_ROW + 1, column=COL["note"], value="nog een opmerking")
    wb.save(path)
    result = load_answers(path, model)
    where = {p.where: p.message for p in result.problems}
    assert "kolom hoort niet bij de vragenlijst" in where[f"Investering!E{FIRST_ROW}"]
    assert "rij zonder item-id" in where[f"Vragen!L{FIRST_ROW + 1}"]
    cells = result.answers.set_aside["cells"]
    assert cells[f"Investering!E{FIRST_ROW}"] == "120 uur" and "nog een opmerking" in cells[f"Vragen!rij {FIRST_ROW + 1}"]
    assert result.answers.answers == answers.answers and result.answers.investment.areas == answers.investment.areas


@pytest.mark.parametrize("field", ["current", "note"])
def test_a_deleted_column_is_an_error_naming_it(tmp_path, filled, model, field):
    path, _ = filled
    wb = load_workbook(path)
    wb[SHEETS["items"]].delete_cols(COL[field])
    wb.save(path)
    with pytest.raises(AnswersFileError, match=f"Vragen.*'{field}'.*ontbreekt"):
        load_answers(path, model)


def test_a_copied_sheet_is_an_error_not_a_guess(tmp_path, filled, model):
    path, _ = filled
    wb = load_workbook(path)
    wb.copy_worksheet(wb[SHEETS["items"]])
    wb.save(path)
    with pytest.raises(AnswersFileError, match="allebei het blad Vragen"):
        load_answers(path, model)


def test_a_version_1_template_is_still_read(tmp_path, model):
    """Templates handed out before the markers (version 1, fixed places) still load."""
    from openpyxl import Workbook

    answers = load_answers(PO_EXAMPLE, model).answers
    wb = Workbook()
    intro = wb.active
    intro.title, intro["B3"] = "Uitleg", 1
    school = wb.create_sheet("School")
    for row, value in enumerate([answers.school.name, None, "po", 310, answers.round], start=2):
        school.cell(row=row, column=2, value=value)
    items = wb.create_sheet("Vragen")
    item = model.item_ids[0]
    items.append(["id"])
    items.append([item, "", "", "", "", "", "", "", "", "3 Vastgelegd", 4, "v1"])
    inv = wb.create_sheet("Investering")
    inv.append(["id"])
    inv.append([model.areas[0].id, "", 4, 100])
    wb.save(tmp_path / "v1.xlsx")
    got = load_answers(tmp_path / "v1.xlsx", model).answers
    assert got.answers[item].current == 3 and got.answers[item].target == 4 and got.answers[item].note == "v1"
    assert got.investment.areas[model.areas[0].id] == {"ambition": 4, "hours_im": 100}


# --- 2. messages at the cell, in words of the field --------------------------------------------------------------

def test_every_message_names_the_cell_and_the_rule_of_its_field(tmp_path, filled, model):
    import datetime as dt

    path, _ = filled
    wb = load_workbook(path)
    inv = wb[SHEETS["investment"]]
    r = FIRST_ROW + 2  # the third area
    inv.cell(row=r, column=3, value=6)                     # Belang 6
    inv.cell(row=r, column=_col("hours_ict"), value="ongeveer 500")
    inv.cell(row=r, column=_col("hours_other"), value=-300)
    inv.cell(row=r, column=_col("tooling"), value=5)       # Hulpmiddelen
    inv.cell(row=r, column=_col("depreciation_years"), value=0)
    inv.cell(row=FIRST_ROW, column=3, value="3,5")         # Belang 3,5
    inv.cell(row=FIRST_ROW, column=4, value=200_000)       # hours_im, too many
    items = wb[SHEETS["items"]]
    items.cell(row=FIRST_ROW, column=COL["current"], value=dt.datetime(2026, 3, 2))  # "2-3" made a date by Calc
    items.cell(row=FIRST_ROW + 1, column=COL["target"], value="drie")
    wb[SHEETS["school"]]["C6"] = "veel"                     # pupils
    wb.save(path)
    result = load_answers(path, model)
    where = {p.where: p.message for p in result.problems}
    assert not [w for w in where if w.startswith(("investment", "answers", "school ›"))], where  # no data paths
    belang = where[f"Investering!C{r}"]
    assert "'6'" in belang and "Belang: kies 1 t/m 5" in belang and "weet niet" not in belang.lower()
    assert "'3,5'" in where[f"Investering!C{FIRST_ROW}"]
    ict = where[f"Investering!{_letter('hours_ict')}{r}"]
    assert "'ongeveer 500'" in ict and f"{load_investment_model().field('hours_ict').label('nl')}: uren per jaar" in ict
    other = where[f"Investering!{_letter('hours_other')}{r}"]
    assert "'-300'" in other and "van 0 t/m 100.000" in other
    tooling = where[f"Investering!{_letter('tooling')}{r}"]
    assert "Hulpmiddelen op orde: kies 0 (ontbreekt), 1 (deels) of 2 (op orde)" in tooling
    assert "onmogelijk" not in tooling
    assert "1 t/m 50" in where[f"Investering!{_letter('depreciation_years')}{r}"]
    assert "'200.000'" in where[f"Investering!D{FIRST_ROW}"] or "'200000'" in where[f"Investering!D{FIRST_ROW}"]
    date = where[f"Vragen!J{FIRST_ROW}"]
    assert "'2-3' is geen niveau" in date and "datetime" not in date and "2-3-2026" in date
    assert "'drie' is geen niveau" in where[f"Vragen!K{FIRST_ROW + 1}"]
    assert "Aantal leerlingen: een heel getal" in where["School!C6"]
    cells = result.answers.set_aside["cells"]
    assert cells[f"Vragen!J{FIRST_ROW}"] == "2-3" and cells[f"Investering!{_letter('hours_ict')}{r}"] == "ongeveer 500"


# --- 3. formats ------------------------------------------------------------------------------------------------

def test_csv_gets_a_clear_dutch_message(tmp_path, model):
    (tmp_path / "vragenlijst.csv").write_text("id;Huidig niveau\nvisie.visie_schooldoelen;3\n", encoding="utf-8")
    with pytest.raises(AnswersFileError, match="dit is een CSV-bestand.*sla de vragenlijst op als .xlsx of .ods"):
        load_answers(tmp_path / "vragenlijst.csv", model)
    folder = tmp_path / "net"
    folder.mkdir()
    shutil.copy(tmp_path / "vragenlijst.csv", folder)
    report = collect(folder).report.set_index("bestand")
    assert report.loc["vragenlijst.csv", "status"] == STATUS_REFUSED
    assert "CSV-bestand" in report.loc["vragenlijst.csv", "melding"] and ".ods" in report.loc["vragenlijst.csv", "melding"]


def _ods(content: bytes, *, extra: dict | None = None) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(zipfile.ZipInfo("mimetype"), b"application/vnd.oasis.opendocument.spreadsheet")
        zf.writestr("content.xml", content)
        for k, v in (extra or {}).items():
            zf.writestr(k, v)
    return buf.getvalue()


ODS_HEAD = (b'<?xml version="1.0" encoding="UTF-8"?><office:document-content '
            b'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
            b'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
            b'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:spreadsheet>')
ODS_TAIL = b"</office:spreadsheet></office:body></office:document-content>"


def test_ods_budgets_hold_before_and_while_parsing(tmp_path, model):
    from imworkbook.base import budgets

    # a row with content repeated a million times: refused by its count, without building the rows
    bomb = ODS_HEAD + (b'<table:table table:name="Vragen"><table:table-row table:number-rows-repeated="1000000">'
                       b'<table:table-cell office:value-type="float" office:value="3"><text:p>3</text:p>'
                       b'</table:table-cell></table:table-row></table:table>') + ODS_TAIL
    (tmp_path / "rijen.ods").write_bytes(_ods(bomb))
    with pytest.raises(AnswersFileError, match=r"rijen tot rij 1\.000\.000"):
        load_answers(tmp_path / "rijen.ods", model)
    # content.xml that inflates past the per-part budget
    big = ODS_HEAD + b"<!--" + b" " * (budgets.XLSX_MAX_PART_BYTES + 10) + b"-->" + ODS_TAIL
    (tmp_path / "groot.ods").write_bytes(_ods(big))
    with pytest.raises(AnswersFileError, match="content.xml is uitgepakt"):
        load_answers(tmp_path / "groot.ods", model)
    # entities
    dtd = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]>' + ODS_HEAD[21:] + ODS_TAIL
    (tmp_path / "dtd.ods").write_bytes(_ods(dtd))
    with pytest.raises(AnswersFileError, match="DTD"):
        load_answers(tmp_path / "dtd.ods", model)
    # a password: LibreOffice encrypts content.xml and says so in the manifest
    locked = _ods(b"\x00versleuteld", extra={"META-INF/manifest.xml": b'<manifest:manifest><manifest:file-entry '
                                                                      b'manifest:full-path="content.xml"><manifest:'
                                                                      b'encryption-data/></manifest:file-entry>'
                                                                      b'</manifest:manifest>'})
    (tmp_path / "wachtwoord.ods").write_bytes(locked)
    with pytest.raises(AnswersFileError, match="wachtwoord"):
        load_answers(tmp_path / "wachtwoord.ods", model)
    # a plain spreadsheet that is no questionnaire
    plain = ODS_HEAD + b'<table:table table:name="Blad1"><table:table-row><table:table-cell office:value-type="string">' \
        b"<text:p>hallo</text:p></table:table-cell></table:table-row></table:table>" + ODS_TAIL
    (tmp_path / "ander.ods").write_bytes(_ods(plain))
    with pytest.raises(AnswersFileError, match="geen vragenlijst van imworkbook"):
        load_answers(tmp_path / "ander.ods", model)


@needs_soffice
def test_ods_round_trips_and_counts_in_a_network(tmp_path, filled, model, werkmap):
    assert SOFFICE, "CI needs LibreOffice (apt-get install libreoffice-calc)"
    _, answers = filled
    ods = write_template(tmp_path / "regenboog.ods", model, answers=answers)
    assert zipfile.ZipFile(ods).read("mimetype") == b"application/vnd.oasis.opendocument.spreadsheet"
    back = load_answers(ods, model)
    assert _same(back.answers, answers) and not back.problems
    content = zipfile.ZipFile(ods).read("content.xml").decode()
    assert content.count('table:protected="true"') == len(SHEETS)  # the protection survives the conversion
    assert '<table:error-message table:message-type="stop"' in content and 'table:display="true"' in content
    folder = tmp_path / "net"
    folder.mkdir()
    shutil.copy(ods, folder / "regenboog.ods")
    report = collect(folder).report.set_index("bestand")
    assert report.loc["regenboog.ods", "status"] in (STATUS_OK, STATUS_WARN)
    assert main(["import", str(ods)]) == 0


# --- 4. guidance in the spreadsheet -----------------------------------------------------------------------------

@pytest.mark.parametrize("lang", ["nl", "en"])
def test_every_input_cell_has_a_validation_with_help_and_an_error_message(tmp_path, model, lang):
    path = write_template(tmp_path / "t.xlsx", model, lang=lang)
    wb = load_workbook(path)
    inv = load_investment_model()
    from openpyxl.utils import get_column_letter

    names = sheet_names(lang)  # the template's sheets are named in its language
    free_text = {(names["items"], "L"), (names["investment"], get_column_letter(4 + len(inv.fields)))}
    for ws in wb.worksheets:
        inputs = [c for row in ws.iter_rows() for c in row if c.protection.locked is False]
        rules = ws.data_validations.dataValidation
        for dv in rules:
            assert dv.showErrorMessage and dv.showInputMessage and dv.error and dv.prompt and dv.errorStyle == "stop"
        free = [c.coordinate for c in inputs if not any(c.coordinate in dv.sqref for dv in rules)
                and (ws.title, c.column_letter) not in free_text]
        assert free in ([], ["C4"]), (ws.title, free)  # only notes and the school code are free text
    items, invs = wb[names["items"]], wb[names["investment"]]
    assert covered_rule(items, f"J{FIRST_ROW}").type == "list"
    tooling_col = 4 + [f.id for f in inv.fields].index("tooling")
    tooling = covered_rule(invs, f"{chr(ord('A') + tooling_col - 1)}{FIRST_ROW}")
    assert tooling.type == "list" and tooling.formula1 == '"0,1,2"'
    belang = covered_rule(invs, f"C{FIRST_ROW}")
    assert belang.type == "list" and belang.formula1 == '"1,2,3,4,5"'
    words = {"nl": ("kies 0 (ontbreekt), 1 (deels) of 2 (op orde)", "Ongeldige invoer"), "en": ("choose 0 (missing), 1 (partly) or 2 (in order)",
                                                                                    "Invalid entry")}[lang]
    assert words[0] in tooling.error and tooling.errorTitle == words[1]


def covered_rule(ws, coord):
    for dv in ws.data_validations.dataValidation:
        if coord in dv.sqref:
            return dv
    raise KeyError(coord)


@needs_soffice
def test_protection_and_validations_survive_a_libreoffice_save(tmp_path, filled, model):
    assert SOFFICE, "CI needs LibreOffice (apt-get install libreoffice-calc)"
    path, answers = filled
    saved = convert(path, "xlsx", tmp_path / "lo.xlsx")
    wb = load_workbook(saved)
    for ws in wb.worksheets:
        assert ws.protection.sheet, ws.title  # sheet protection holds (the workbook structure lock does not: README)
        assert ws.row_dimensions[1].hidden and ws.column_dimensions["A"].hidden
    ws = wb[SHEETS["items"]]
    assert ws.cell(row=FIRST_ROW, column=COL["current"]).protection.locked is False
    assert ws.cell(row=FIRST_ROW, column=COL["question"]).protection.locked is not False
    assert ws.cell(row=1, column=1).protection.locked is not False and ws["A1"].value == "imw:items"
    rules = ws.data_validations.dataValidation
    assert rules and all(dv.showErrorMessage and dv.showInputMessage for dv in rules)
    assert all(wb[s].data_validations.dataValidation for s in (SHEETS["school"], SHEETS["investment"]))
    back = load_answers(saved, model)
    assert _same(back.answers, answers) and not _errors(back)


# --- 5. printable ------------------------------------------------------------------------------------------------

def test_print_setup_landscape_fit_to_width_header_repeated(tmp_path, model):
    wb = load_workbook(write_template(tmp_path / "t.xlsx", model))
    for kind in ("school", "items", "investment"):
        ws = wb[SHEETS[kind]]
        assert ws.page_setup.orientation == "landscape" and ws.sheet_properties.pageSetUpPr.fitToPage
        assert ws.page_setup.fitToWidth == 1 and ws.page_setup.fitToHeight == 0
        assert ws.print_title_rows.replace("$", "") == "2:2"
    ws = wb[SHEETS["items"]]
    heights = [ws.row_dimensions[r].height for r in range(FIRST_ROW, ws.max_row + 1)]
    assert all(h and h >= 100 for h in heights)  # question + help and the descriptors wrap over many lines
    intro = wb[SHEETS["intro"]]
    assert intro.page_setup.fitToWidth == 1 and intro.page_setup.fitToHeight == 1  # the instructions on one page
    assert all(intro.cell(row=r, column=2).alignment.wrap_text for r in range(6, 12))


@needs_soffice
def test_the_pdf_is_a_few_landscape_pages_not_twenty_strips(tmp_path, model):
    assert SOFFICE, "CI needs LibreOffice (apt-get install libreoffice-calc)"
    pdf = convert(write_template(tmp_path / "t.xlsx", model), "pdf", tmp_path / "t.pdf").read_bytes()
    pages = re.findall(rb"/Type\s*/Page[^s]", pdf)
    boxes = re.findall(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", pdf)
    assert 5 <= len(pages) <= 14, len(pages)  # was 20 portrait pages of column strips
    landscape = [b for b in boxes if float(b[0]) > float(b[1])]
    assert len(landscape) >= len(pages) - 1  # all but the instructions (one portrait page)


# --- 6. filled in through LibreOffice Calc itself ---------------------------------------------------------------

@pytest.mark.skipif((not SOFFICE or not _has_uno()) and not os.environ.get("CI"),
                    reason="LibreOffice with Python-UNO (python3-uno) not installed")
def test_filled_in_through_libreoffice_calc_and_imported(tmp_path, model, werkmap):
    """Calc itself parses what is typed (Dutch numbers under nl-NL), drop-down values are entered as picked, a
    sheet is renamed and a row inserted; both saves (.xlsx and .ods) import with every value in place."""
    assert SOFFICE and _has_uno(), "CI needs LibreOffice with Python-UNO (apt-get install libreoffice-calc python3-uno)"
    first = model.item_ids[0]
    template = write_template(tmp_path / "leeg.xlsx", model)
    steps = [["inspect", "Investering", f"{_letter('tooling')}{FIRST_ROW}"], ["inspect", "Vragen", f"D{FIRST_ROW}"],
             ["type", "School", "C3", "De Regenboog"], ["type", "School", "C6", "1.250"],
             ["type", "Vragen", f"J{FIRST_ROW}", "3 Vastgelegd"], ["type", "Vragen", f"K{FIRST_ROW}", "4 Beheerst"],
             ["type", "Vragen", f"L{FIRST_ROW}", "Één notitie met € en ë"],
             ["type", "Investering", f"C{FIRST_ROW}", "4"], ["type", "Investering", f"D{FIRST_ROW}", "1.250,50"],
             ["type", "Investering", f"{_letter('one_off_cost')}{FIRST_ROW}", "€ 6.000"],
             ["type", "Investering", f"{_letter('tooling')}{FIRST_ROW}", "2"],
             ["paste", "Vragen", f"J{FIRST_ROW + 1}", "2-3"],  # pasted past the drop-down: Calc makes it a date
             ["rename", "Investering", "Investeringen"],
             ["insert_row", "Vragen", FIRST_ROW + 2], ["type", "Vragen", f"L{FIRST_ROW + 2}", "een eigen rij"]]
    spec = {"source": str(template), "targets": {"xlsx": str(tmp_path / "ingevuld.xlsx"),
                                                  "ods": str(tmp_path / "ingevuld.ods")}, "steps": steps}
    (tmp_path / "stappen.json").write_text(json.dumps(spec), encoding="utf-8")
    run = subprocess.run([UNO_PYTHON, str(Path(__file__).parents[1] / "lo_fill.py"), str(tmp_path / "stappen.json")],
                         capture_output=True, text=True, timeout=120, env=os.environ | {"PYTHONPATH": ""})
    assert run.returncode == 0, run.stderr[-2000:]
    typed = json.loads(run.stdout.strip().splitlines()[-1])
    assert typed[f"Investering!D{FIRST_ROW}"]["type"] == "VALUE" and typed[f"Investering!D{FIRST_ROW}"]["value"] == 1250.5
    tooling = typed[f"inspect Investering!{_letter('tooling')}{FIRST_ROW}"]  # Calc has the drop-down, its help, its error
    assert tooling["type"] == "LIST" and tooling["show_error"] and tooling["show_input"] and tooling["alert"] == "STOP"
    assert "kies 0 (ontbreekt), 1 (deels) of 2 (op orde)" in tooling["error"] and tooling["input"]
    assert tooling["sheet_protected"] and not tooling["locked"]
    question = typed[f"inspect Vragen!D{FIRST_ROW}"]
    assert question["sheet_protected"] and question["locked"]  # descriptors cannot be typed over
    for saved in ("ingevuld.xlsx", "ingevuld.ods"):
        result = load_answers(tmp_path / saved, model)
        got = result.answers
        assert got.school.name == "De Regenboog" and got.school.pupils == 1250, saved
        assert got.answers[first].current == 3 and got.answers[first].target == 4
        assert got.answers[first].note == "Één notitie met € en ë"
        assert got.investment.areas[model.areas[0].id] == {"ambition": 4, "hours_im": 1250.5, "one_off_cost": 6000,
                                                           "tooling": 2}, saved
        where = {p.where: p.message for p in result.problems}
        assert "onder een andere naam" in where["Investeringen"]
        assert "'2-3' is geen niveau" in where[f"Vragen!J{FIRST_ROW + 1}"]
        assert "rij zonder item-id" in where[f"Vragen!L{FIRST_ROW + 2}"]
        assert got.set_aside["cells"][f"Vragen!rij {FIRST_ROW + 2}"][2] == "een eigen rij"
    assert main(["import", str(tmp_path / "ingevuld.ods")]) == 1  # two cells not used: reported, the rest saved
    assert list((werkmap / "antwoorden").glob("*.json"))


@needs_soffice
def test_a_damaged_ods_gets_a_message_never_a_traceback(tmp_path, model):
    """Byte flips and cuts anywhere in content.xml: the reader answers with an AnswersFileError or loads."""
    import random

    assert SOFFICE, "CI needs LibreOffice (apt-get install libreoffice-calc)"
    answers = load_answers(PO_EXAMPLE, model).answers
    ods = write_template(tmp_path / "t.ods", model, answers=answers)
    with zipfile.ZipFile(ods) as zf:
        content = zf.read("content.xml")
    rng = random.Random(16)
    for n in range(60):
        data = bytearray(content)
        if n % 3 == 0:
            data = data[: rng.randrange(len(data))]
        else:
            for _ in range(rng.randrange(1, 20)):
                data[rng.randrange(len(data))] = rng.choice(b'<>"=/ 0123456789-.eE:abcnfx\xff')
        path = tmp_path / f"kapot{n}.ods"
        path.write_bytes(_ods(bytes(data)))
        try:
            result = load_answers(path, model)
        except AnswersFileError as exc:
            assert str(exc) and "Traceback" not in str(exc)
        else:
            json.dumps(result.answers.set_aside, allow_nan=False)  # what was set aside can be saved as JSON


def test_a_template_from_before_the_money_total_still_imports_through_its_breakdown(tmp_path, model):
    """Templates filled in before schema 4 have no 'Licenties en diensten per jaar' column: the four breakdown
    columns give the same total; a missing optional column means unknown, never a refusal."""
    from imworkbook.analysis.proportion import compute

    answers = load_answers(PO_EXAMPLE, model).answers
    path = write_template(tmp_path / "oud.xlsx", model, answers=answers)
    wb = load_workbook(path)
    ws = wb[SHEETS["investment"]]
    ws.protection.sheet = False
    ws.delete_cols(_col("money_per_year"))  # as in a template of before
    wb.save(path)
    got = load_answers(path, model)
    assert not [p for p in got.problems if p.severity == "error"]
    areas = got.answers.investment.areas
    assert "money_per_year" not in areas["applicatielandschap"]
    assert areas["applicatielandschap"]["licence_per_year"] == answers.investment.areas["applicatielandschap"][
        "licence_per_year"]
    table = compute(got.answers, model).table
    # areas booked with the breakdown keep their total; areas that used only the total are now incomplete
    assert table.loc["applicatielandschap", "complete"] and not table.loc["visie", "complete"]


def test_the_levy_goes_through_the_template_and_an_older_template_without_it_still_imports(tmp_path, model):
    answers = load_answers(PO_EXAMPLE, model).answers
    path = write_template(tmp_path / "met-afdracht.xlsx", model, answers=answers)
    got = load_answers(path, model)
    assert got.answers.investment.levy_eur == answers.investment.levy_eur
    wb = load_workbook(path)
    ws = wb[SHEETS["school"]]
    row = next(r for r in range(1, ws.max_row + 1) if ws.cell(row=r, column=1).value == "levy_eur")
    ws.cell(row=row, column=3, value=-5)
    wb.save(path)
    refused = load_answers(path, model)
    assert "afdracht" in {p.where: p.message for p in refused.problems}[f"School!C{row}"]
    assert refused.answers.investment.levy_eur is None
    ws.protection.sheet = False
    ws.delete_rows(row)  # a template of before the levy
    wb.save(path)
    old = load_answers(path, model)
    assert not [p for p in old.problems if p.severity == "error"] and old.answers.investment.levy_eur is None
