"""The Excel route: the template has the items, descriptors, drop-downs and protection; a filled-in workbook
loads as a normal answers file; bad workbooks get a Dutch message naming sheet and cell, and the valid
part is never lost; the template survives LibreOffice."""

import os
import shutil
import subprocess

import pytest
from openpyxl import load_workbook

from imworkbook.base.errors import AnswersFileError
from imworkbook.cli import main
from imworkbook.io.collect import STATUS_OK, STATUS_REFUSED, STATUS_WARN, collect
from imworkbook.io.excel import COL, FIRST_ROW, SHEETS, TEMPLATE_VERSION, VERSION_CELL, read_workbook, write_template
from imworkbook.io.files import read_any as load_answers  # any format: .json, .xlsx, .ods
from imworkbook.model.content import load_investment_model

from ..conftest import PO_EXAMPLE, VO_EXAMPLE

SOFFICE = shutil.which("soffice")


@pytest.fixture
def filled(tmp_path, model):
    answers = load_answers(PO_EXAMPLE, model).answers
    return write_template(tmp_path / "regenboog.xlsx", model, answers=answers), answers


def _row_of(ws, item_id):
    for row in range(FIRST_ROW, ws.max_row + 1):
        if ws.cell(row=row, column=COL["id"]).value == item_id:
            return row
    raise KeyError(item_id)


def _same(a, b):
    return (a.school == b.school and a.round == b.round and a.answers == b.answers
            and a.investment.areas == b.investment.areas)


def test_template_has_every_item_descriptors_dropdowns_and_protection(tmp_path, model):
    path = write_template(tmp_path / "leeg.xlsx", model)
    wb = load_workbook(path)
    assert wb.sheetnames == list(SHEETS.values()) and wb.security.lockStructure
    ws = wb[SHEETS["items"]]
    ids = [ws.cell(row=r, column=COL["id"]).value for r in range(FIRST_ROW, ws.max_row + 1)]
    assert ids == model.item_ids
    item = model.item(ids[0])
    assert [ws.cell(row=FIRST_ROW, column=COL["level1"] + n).value for n in range(5)] == [item.levels[n](  "nl") for n in range(1, 6)]
    assert ws.protection.sheet and not ws.cell(row=FIRST_ROW, column=COL["current"]).protection.locked
    assert ws.cell(row=FIRST_ROW, column=COL["question"]).protection.locked
    lists = [dv for dv in ws.data_validations.dataValidation if dv.type == "list"]
    assert lists and "Weet niet" in lists[0].formula1 and f"J{FIRST_ROW}" in str(lists[0].sqref)
    assert wb[SHEETS["intro"]][VERSION_CELL].value == TEMPLATE_VERSION
    assert "Sla op als Excel-werkmap" in " ".join(str(c.value) for c in wb[SHEETS["intro"]]["B"] if c.value)


@pytest.mark.parametrize("example", [PO_EXAMPLE, VO_EXAMPLE])
def test_a_filled_template_loads_as_the_same_answers(tmp_path, model, example):
    answers = load_answers(example, model).answers
    path = write_template(tmp_path / "x.xlsx", model, answers=answers)
    back = load_answers(path, model)
    assert _same(back.answers, answers)
    assert not [p for p in back.problems if p.severity == "error"]


def test_typed_values_like_a_person_would(tmp_path, filled, model):
    path, answers = filled
    wb = load_workbook(path)
    ws = wb[SHEETS["items"]]
    first, second, third = model.item_ids[:3]
    ws.cell(row=_row_of(ws, first), column=COL["current"], value=4)  # a number, not the list text
    ws.cell(row=_row_of(ws, second), column=COL["current"], value="n.v.t.")
    ws.cell(row=_row_of(ws, third), column=COL["target"], value="5")
    inv = wb[SHEETS["investment"]]
    inv.cell(row=FIRST_ROW, column=4, value="1.250,50")  # Dutch notation typed as text
    wb.save(path)
    back = load_answers(path, model).answers
    assert back.answers[first].current == 4 and back.answers[second].current == "nvt"
    assert back.answers[third].target == 5
    assert back.investment.areas[model.areas[0].id]["hours_im"] == 1250.5


def test_bad_cells_are_named_and_the_rest_loads(tmp_path, filled, model):
    path, answers = filled
    wb = load_workbook(path)
    ws = wb[SHEETS["items"]]
    a, b, c = model.item_ids[:3]
    ra, rb, rc = (_row_of(ws, i) for i in (a, b, c))
    ws.cell(row=ra, column=COL["current"], value="drie")                 # text in a level cell
    ws.cell(row=rb, column=COL["target"], value="=1+2")                   # a formula
    ws.merge_cells(start_row=rc, start_column=COL["current"], end_row=rc, end_column=COL["target"])
    ws.append(["", "", "", "", "", "", "", "", "", 3, 4, "extra rij zonder id"])   # an extra row
    ws.append([a, "", "", "", "", "", "", "", "", 1, 1, "dubbele rij"])            # the same item again
    wb[SHEETS["investment"]].cell(row=FIRST_ROW, column=5, value="veel")          # text where a number belongs
    wb.create_sheet("Kladblok").sheet_state = "hidden"
    wb.security.lockStructure = False
    wb.save(path)
    result = load_answers(path, model)
    where = {p.where: p.message for p in result.problems}
    assert "'drie' is geen niveau" in where[f"Vragen!J{ra}"]
    assert "formule" in where[f"Vragen!K{rb}"]
    assert "samengevoegd" in where[f"Vragen!J{rc}:K{rc}"]
    assert "zonder item-id" in where[f"Vragen!J{ws.max_row - 1}"]
    assert f"ook in rij {ra}" in where[f"Vragen!J{ws.max_row}"]
    assert f"'veel' past niet: {load_investment_model().field('hours_ict').label('nl')}" in where["Investering!E3"]
    assert "verborgen" in where["Kladblok"]
    got = result.answers
    assert got.answers[a].current is None and got.answers[a].target == answers.answers[a].target  # valid part kept
    assert got.answers[b].current == answers.answers[b].current
    cells = got.set_aside["cells"]
    assert cells[f"Vragen!J{ra}"] == "drie" and cells[f"Vragen!K{rb}"] == "=1+2" and cells["Investering!E3"] == "veel"
    untouched = model.item_ids[10]
    assert got.answers[untouched] == answers.answers[untouched]


def test_unusable_workbooks_are_refused_with_a_message(tmp_path, filled, model):
    path, _ = filled
    wb = load_workbook(path)
    wb[SHEETS["intro"]][VERSION_CELL] = 99
    wb.save(tmp_path / "oud-sjabloon.xlsx")
    with pytest.raises(AnswersFileError, match=r"Uitleg!C3.*sjabloonversie 99"):
        load_answers(tmp_path / "oud-sjabloon.xlsx", model)
    wb = load_workbook(path)
    wb[SHEETS["school"]]["C3"] = None
    wb.save(tmp_path / "geen-naam.xlsx")
    with pytest.raises(AnswersFileError, match=r"School!C3.*[Nn]aam"):
        load_answers(tmp_path / "geen-naam.xlsx", model)
    (tmp_path / "beveiligd.xlsx").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)  # an encrypted file is OLE
    with pytest.raises(AnswersFileError, match="wachtwoord"):
        load_answers(tmp_path / "beveiligd.xlsx", model)
    (tmp_path / "kapot.xlsx").write_bytes(b"PK\x03\x04 niet echt")
    with pytest.raises(AnswersFileError, match="geen bruikbaar Excel-bestand"):
        load_answers(tmp_path / "kapot.xlsx", model)
    other = load_workbook(path)
    del other[SHEETS["items"]]
    other.save(tmp_path / "ander.xlsx")
    with pytest.raises(AnswersFileError, match=r"blad .Vragen.*ontbreekt"):
        load_answers(tmp_path / "ander.xlsx", model)


def test_network_collects_workbooks_like_answers_files(tmp_path, filled, model):
    path, _ = filled
    folder = tmp_path / "net"
    folder.mkdir()
    shutil.copy(path, folder / "regenboog.xlsx")
    (folder / "oud.xls").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)
    report = collect(folder).report.set_index("bestand")
    assert report.loc["regenboog.xlsx", "status"] in (STATUS_OK, STATUS_WARN)
    assert report.loc["oud.xls", "status"] == STATUS_REFUSED and ".xls" in report.loc["oud.xls", "melding"]


def test_cli_template_and_import(tmp_path, werkmap):
    out = tmp_path / "v.xlsx"
    assert main(["template", "--xlsx", str(out), "--school", str(VO_EXAMPLE)]) == 0
    assert main(["import", str(out)]) == 0
    saved = list((werkmap / "antwoorden").glob("*.json"))
    assert [p.name for p in saved] == ["het-baken_2026-2027.json"]
    assert main(["import", str(out)]) == 2  # not overwritten without --overwrite


@pytest.mark.skipif(not SOFFICE and not os.environ.get("CI"), reason="LibreOffice (soffice) not installed")
def test_template_round_trips_through_libreoffice(tmp_path, filled, model):
    """LibreOffice opens and saves the workbook (as a user would); the answers come back the same, and the
    drop-downs and the protection survive."""
    assert SOFFICE, "CI needs LibreOffice (apt-get install libreoffice-calc)"
    path, answers = filled
    out = tmp_path / "lo"
    env = os.environ | {"HOME": str(tmp_path)}  # its own profile: no clash with a running LibreOffice
    subprocess.run([SOFFICE, "--headless", "--convert-to", "xlsx", "--outdir", str(out), str(path)], check=True,
                   capture_output=True, timeout=180, env=env)
    saved = out / path.name
    back = load_answers(saved, model)
    assert _same(back.answers, answers) and not [p for p in back.problems if p.severity == "error"]
    wb = load_workbook(saved)
    ws = wb[SHEETS["items"]]
    assert ws.protection.sheet and any(dv.type == "list" for dv in ws.data_validations.dataValidation)
    # and LibreOffice's own old format is refused with a message
    subprocess.run([SOFFICE, "--headless", "--convert-to", "xls", "--outdir", str(out), str(path)], check=True,
                   capture_output=True, timeout=180, env=env)
    with pytest.raises(AnswersFileError, match=r"\.xls"):
        load_answers(out / "regenboog.xls", model)


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_the_template_and_the_application_list_follow_their_language_and_read_back(tmp_path, lang):
    """An English template has English sheet names and an English application list English headers (no Dutch
    names left in an English export); both read back whatever the language they were written in."""
    from openpyxl import load_workbook as open_workbook

    from imworkbook.base.i18n import t
    from imworkbook.io.excel import read_inventory, sheet_names, write_inventory
    from imworkbook.io.workspace import open_example

    answers = open_example("po").answers
    template = write_template(tmp_path / "t.xlsx", answers=answers, lang=lang)
    assert open_workbook(template).sheetnames == list(sheet_names(lang).values())
    back = read_workbook(template.read_bytes(), template.name)
    assert back.answers.answers == answers.answers
    assert not [p for p in back.problems if p.code == "sheet.renamed"]

    inventory = write_inventory(tmp_path / "apps.xlsx", answers.landscape, lang=lang)
    wb = open_workbook(inventory)
    assert wb.sheetnames == [t("inv_sheet", lang), t("inv_lists_sheet", lang)]
    headers = [c.value for c in wb.worksheets[0][1]]
    assert headers[:2] == [t("inv_col_name", lang), t("inv_col_type", lang)]
    other = "nl" if lang == "en" else "en"
    assert not set(headers) & ({t(k, other) for k in ("inv_col_supplier", "inv_col_note", "inv_col_users")})
    apps, problems = read_inventory(inventory.read_bytes(), inventory.name)
    assert [a.model_dump() for a in apps] == [a.model_dump() for a in answers.landscape]
    assert problems == []
