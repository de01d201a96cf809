"""Answers files: round trip, atomic saves, and bad input that loses nothing."""

import json
import os
import shutil

import pytest
from hypothesis import given
from hypothesis import strategies as st

from imworkbook.base import storage
from imworkbook.base.errors import AnswersFileError
from imworkbook.io import reading
from imworkbook.io.reading import load_answers
from imworkbook.io.session import ConflictError
from imworkbook.io.session import Session
from imworkbook.io.workspace import list_schools
from imworkbook.io.workspace import open_example
from imworkbook.io.writing import save_answers
from imworkbook.model.answers import MAX_FILE_BYTES, _NVT, _WEET_NIET, current_round
from imworkbook.model.answers import SCHEMA_VERSION, normalize_level

from ..conftest import PO_EXAMPLE, VO_EXAMPLE, disk_fails_halfway


def _raw(path=PO_EXAMPLE) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def _write(tmp_path, data, name="school.json", encoding="utf-8") -> "os.PathLike":
    path = tmp_path / name
    text = data if isinstance(data, str) else json.dumps(data, ensure_ascii=False, indent=1)
    path.write_bytes(text.encode(encoding))
    return path


def test_examples_load_without_problems(model):
    po = load_answers(PO_EXAMPLE, model)
    vo = load_answers(VO_EXAMPLE, model)
    assert po.problems == [] and vo.problems == []
    assert po.answers.school.sector == "po" and vo.answers.school.sector == "vo"
    assert len(po.answers.answers) == model.n_items  # fully answered
    assert 0 < len(vo.answers.answers) < model.n_items  # half answered


def test_round_trip_keeps_everything(tmp_path, model):
    result = load_answers(PO_EXAMPLE, model)
    path = save_answers(result.answers, tmp_path / "copy.json")
    again = load_answers(path, model)
    assert again.answers.answers == result.answers.answers
    assert again.answers.school == result.answers.school
    assert json.loads(path.read_text())["schema_version"] == SCHEMA_VERSION


def test_session_saves_every_change_and_reopens(tmp_path, model):
    session = Session.create("Basisschool Het Anker", "po", "2026-2027", pupils=180, folder=tmp_path, model=model)
    session.set_level("visie.ambitieniveau", "current", 2)
    session.set_level("visie.ambitieniveau", "target", "4")
    session.set_note("visie.ambitieniveau", "Staat in het schoolplan.")
    on_disk = json.loads(session.path.read_text(encoding="utf-8"))
    assert on_disk["answers"]["visie.ambitieniveau"] == {"current": 2, "target": 4, "note": "Staat in het schoolplan."}
    reopened = Session.open(session.path, model)
    assert reopened.answers.answer("visie.ambitieniveau").target == 4
    assert session.path.name == "basisschool-het-anker_2026-2027.json"


def test_create_refuses_to_overwrite_an_existing_school(tmp_path, model):
    Session.create("De Linde", "po", "2026-2027", folder=tmp_path, model=model)
    with pytest.raises(FileExistsError, match="Er is al een antwoordenbestand"):
        Session.create("De Linde", "po", "2026-2027", folder=tmp_path, model=model)


def test_wrong_school_details_name_the_field(tmp_path, model):
    with pytest.raises(ValueError, match=r"school › sector: moet een van deze waarden zijn"):
        Session.create("De Linde", "mbo", "2026-2027", folder=tmp_path, model=model)
    session = Session.create("De Linde", "po", "2026-2027", folder=tmp_path, model=model)
    with pytest.raises(ValueError, match="aantal leerlingen: moet minstens 1 zijn"):
        session.update_school(pupils=-3)
    assert Session.open(session.path, model).answers.school.pupils is None


def test_setting_an_unknown_item_or_bad_level_changes_nothing(tmp_path, model):
    session = Session.create("De Linde", "po", "2026-2027", folder=tmp_path, model=model)
    before = session.path.read_bytes()
    with pytest.raises(KeyError):
        session.set_level("bestaat.niet", "current", 3)
    with pytest.raises(ValueError, match="niveau moet 1 t/m 5"):
        session.set_level("visie.ambitieniveau", "current", 7)
    assert session.path.read_bytes() == before


# --- atomic writes --------------------------------------------------------------

def _visible(folder):
    """Every file in ``folder``, hidden ones too (a temporary file, a lock)."""
    return sorted(p.name for p in folder.iterdir())


def test_interrupted_save_before_rename_leaves_old_file_intact(tmp_path, model, monkeypatch):
    session = Session.create("De Linde", "po", "2026-2027", folder=tmp_path, model=model)
    session.set_level("visie.ambitieniveau", "current", 2)
    before = session.path.read_bytes()

    def crash(*args, **kwargs):
        raise OSError("stroom uitgevallen")
    monkeypatch.setattr(storage.os, "replace", crash)
    with pytest.raises(OSError):
        session.set_level("visie.ambitieniveau", "current", 5)
    assert session.path.read_bytes() == before
    assert _visible(tmp_path) == [session.path.name]  # no temp file left behind


def test_interrupted_save_halfway_through_writing(tmp_path, model, monkeypatch):
    session = Session.create("De Linde", "po", "2026-2027", folder=tmp_path, model=model)
    before = session.path.read_bytes()
    disk_fails_halfway(monkeypatch, OSError("schijf vol"))
    with pytest.raises(OSError, match="schijf vol"):
        session.set_level("rollen.tvb_vastgelegd", "target", 3)
    assert session.path.read_bytes() == before
    assert _visible(tmp_path) == [session.path.name]


# --- bad files --------------------------------------------------------------------

def test_corrupt_json_names_line_and_is_not_overwritten(tmp_path, model):
    text = PO_EXAMPLE.read_text(encoding="utf-8")
    path = _write(tmp_path, text[: len(text) // 2])
    before = path.read_bytes()
    with pytest.raises(AnswersFileError, match=r"school.json › regel \d+, kolom \d+: geen geldig JSON"):
        Session.open(path, model)
    assert path.read_bytes() == before


@pytest.mark.parametrize("content, message", [
    ({"some": "other tool"}, "geen antwoordenbestand van imworkbook"),
    ([1, 2, 3], "geen antwoordenbestand van imworkbook"),
    ("", "bestand is leeg"),
])
def test_foreign_or_empty_files_are_refused(tmp_path, model, content, message):
    path = _write(tmp_path, content)
    with pytest.raises(AnswersFileError, match=message):
        load_answers(path, model)


def test_newer_schema_version_is_refused_with_advice(tmp_path, model):
    data = _raw() | {"schema_version": SCHEMA_VERSION + 1}
    path = _write(tmp_path, data)
    with pytest.raises(AnswersFileError, match=r"schema_version: .*nieuwere versie van imworkbook.*Werk imworkbook bij"):
        load_answers(path, model)


def test_missing_schema_version(tmp_path, model):
    data = _raw()
    del data["schema_version"]
    with pytest.raises(AnswersFileError, match="schema_version: ontbreekt"):
        load_answers(_write(tmp_path, data), model)


def test_unusable_school_header_lists_every_field(tmp_path, model):
    data = _raw() | {"round": "vorig jaar"}
    data["school"] = {"name": "", "sector": "hbo"}
    msg = str(pytest.raises(AnswersFileError, load_answers, _write(tmp_path, data), model).value)
    assert "school › name: mag niet leeg zijn" in msg
    assert "school › sector: moet een van deze waarden zijn" in msg
    assert "round: heeft niet de juiste vorm" in msg


def test_unknown_item_ids_and_bad_levels_are_set_aside_not_dropped(tmp_path, model):
    data = _raw()
    data["answers"]["visie.bestaat_niet"] = {"current": 3, "target": 4, "note": "uit een nieuwer model"}
    data["answers"]["rollen.tvb_vastgelegd"] = {"current": 9, "target": 4, "note": "typfout"}
    path = _write(tmp_path, data)
    result = load_answers(path, model)
    texts = [str(p) for p in result.problems]
    assert any("answers › visie.bestaat_niet: onbekend item-id" in t for t in texts)
    assert any("answers › rollen.tvb_vastgelegd › current: niveau moet 1 t/m 5" in t and "gekregen: 9" in t for t in texts)
    a = result.answers
    assert a.answer("rollen.tvb_vastgelegd").current is None and a.answer("rollen.tvb_vastgelegd").target == 4
    assert a.set_aside["items"]["visie.bestaat_niet"]["note"] == "uit een nieuwer model"
    assert a.set_aside["item_fields"]["rollen.tvb_vastgelegd"] == {"current": 9}
    # every other answer is loaded
    assert len(a.answers) == model.n_items
    # and what was set aside survives saving through a session
    session = Session.open(path, model)
    session.set_level("visie.ambitieniveau", "target", 5)
    saved = json.loads(path.read_text(encoding="utf-8"))
    assert saved["set_aside"]["items"]["visie.bestaat_niet"]["current"] == 3
    assert saved["set_aside"]["item_fields"]["rollen.tvb_vastgelegd"] == {"current": 9}


def test_first_save_over_a_file_with_problems_keeps_the_original(tmp_path, model):
    data = _raw()
    data["answers"]["rollen.tvb_vastgelegd"]["current"] = "veel"
    path = _write(tmp_path, data)
    original = path.read_bytes()
    session = Session.open(path, model)
    session.set_level("visie.ambitieniveau", "target", 5)
    assert session.backup_path is not None and session.backup_path.read_bytes() == original
    session.set_level("visie.ambitieniveau", "target", 4)
    assert len(list(tmp_path.glob("*.origineel-*.json"))) == 1


def test_windows_1252_file_loads_with_a_warning(tmp_path, model):
    data = _raw()
    data["school"]["name"] = "Basisschool Één"
    data["answers"]["visie.ambitieniveau"]["note"] = "Ambitie € en café"
    path = _write(tmp_path, data, encoding="cp1252")
    result = load_answers(path, model)
    assert result.encoding == "cp1252"
    assert result.answers.school.name == "Basisschool Één"
    assert result.answers.answer("visie.ambitieniveau").note == "Ambitie € en café"
    assert any(p.code == "answers.not_utf8" and p.severity == "warning" for p in result.problems)


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16"])
def test_bom_encodings_load_silently(tmp_path, model, encoding):
    path = _write(tmp_path, _raw(), encoding=encoding)
    result = load_answers(path, model)
    assert result.problems == [] and len(result.answers.answers) == model.n_items


def test_duplicate_json_keys_keep_both_values(tmp_path, model):
    text = PO_EXAMPLE.read_text(encoding="utf-8").replace(
        '"answers": {', '"answers": {\n "visie.ambitieniveau": {"current": 1, "target": 1, "note": "eerste"},', 1)
    result = load_answers(_write(tmp_path, text), model)
    assert any("visie.ambitieniveau: komt twee keer voor" in str(p) for p in result.problems)
    assert result.answers.set_aside["duplicates"][0]["value"]["note"] == "eerste"


def test_too_large_file_is_refused_without_reading(tmp_path, model, monkeypatch):
    monkeypatch.setattr(reading, "MAX_FILE_BYTES", 100)
    with pytest.raises(AnswersFileError, match="te groot"):
        load_answers(PO_EXAMPLE, model)


def test_unknown_top_level_field_is_kept(tmp_path, model):
    path = _write(tmp_path, _raw() | {"opmerking_facilitator": "graag bespreken"})
    result = load_answers(path, model)
    assert result.answers.set_aside["fields"]["opmerking_facilitator"] == "graag bespreken"


# --- examples and levels -------------------------------------------------------------

def test_open_example_copies_and_never_touches_data(tmp_path, model):
    before = PO_EXAMPLE.read_bytes()
    original = json.loads(before)["answers"]["visie.ambitieniveau"]["current"]
    changed = 1 if original != 1 else 2
    session = open_example("po", folder=tmp_path, model=model)
    session.set_level("visie.ambitieniveau", "current", changed)
    assert PO_EXAMPLE.read_bytes() == before
    assert open_example("po", folder=tmp_path, model=model).answers.answer("visie.ambitieniveau").current == changed
    reset = open_example("po", folder=tmp_path, model=model, reset=True)
    assert reset.answers.answer("visie.ambitieniveau").current == original
    with pytest.raises(ValueError, match="bestaat niet; kies 'po', 'vo'") as refused:
        open_example("mbo", folder=tmp_path, model=model)
    assert refused.value.code == "value.no_such_example"  # a name a person typed: worded in either language
    assert refused.value.text("en").startswith("example 'mbo' does not exist; choose 'po', 'vo' or one of: ")


@given(st.one_of(st.integers(1, 5), st.sampled_from(["1", " 5 ", "weet niet", "N.V.T.", "n.v.t", "", None])))
def test_normalize_level_accepts_what_people_type(value):
    result = normalize_level(value)
    assert result in (1, 2, 3, 4, 5, "weet_niet", "nvt", None)
    assert normalize_level(result) == result  # idempotent


@given(st.one_of(st.integers().filter(lambda v: not 1 <= v <= 5), st.floats(allow_nan=True).filter(
    lambda v: not (v == v and v.is_integer() and 1 <= v <= 5)), st.text().filter(
    lambda s: s.strip().lower() not in _WEET_NIET | _NVT | {"", "1", "2", "3", "4", "5"}
    and not (s.strip().isdigit() and s.strip().isascii() and 1 <= int(s.strip()) <= 5)), st.booleans()))
def test_normalize_level_rejects_everything_else_in_dutch(value):
    with pytest.raises(ValueError, match="niveau moet 1 t/m 5, 'weet niet' of 'n.v.t.' zijn"):
        normalize_level(value)


def test_current_round_follows_the_school_year():
    import datetime as dt
    assert current_round(dt.date(2026, 7, 31)) == "2025-2026"
    assert current_round(dt.date(2026, 8, 1)) == "2026-2027"


def test_list_schools_reports_broken_files_and_skips_backups(tmp_path, model):
    shutil.copy(PO_EXAMPLE, tmp_path / PO_EXAMPLE.name)
    (tmp_path / "kapot.json").write_text("{niet json", encoding="utf-8")
    (tmp_path / "x.origineel-20260101-000000.json").write_bytes(PO_EXAMPLE.read_bytes())
    schools, problems = list_schools(tmp_path, model)
    assert [s.name for s in schools] == ["De Regenboog"]
    assert len(problems) == 1 and problems[0].file == "kapot.json"


# --- found in review: odd files never crash, never lose data ------------------------------

def test_bom_then_windows_bytes_keeps_the_good_accents(tmp_path, model):
    good = json.dumps(_raw() | {"opmerking": "café"}, ensure_ascii=False).encode("utf-8")
    data = b"\xef\xbb\xbf" + good.replace("De Regenboog".encode(), "De Regenbóóg".encode("cp1252"))
    path = tmp_path / "gemengd.json"
    path.write_bytes(data)
    result = load_answers(path, model)
    assert result.answers.school.name == "De Regenbóóg"
    assert result.answers.set_aside["fields"]["opmerking"] == "café"  # valid UTF-8 left alone


@pytest.mark.parametrize("tail, message", [
    (', "x": ' + "9" * 5000, "geen bruikbaar JSON-bestand"),
    (', "x": ' + "[" * 5000 + "]" * 5000, "geen bruikbaar JSON-bestand"),
])
def test_pathological_json_is_refused_with_a_message(tmp_path, model, tail, message):
    text = json.dumps(_raw())[:-1] + tail + "}"
    with pytest.raises(AnswersFileError, match=message):
        load_answers(_write(tmp_path, text), model)


def test_unreadable_path_is_a_message_and_does_not_stop_the_list(tmp_path, model):
    (tmp_path / "map.json").mkdir()
    with pytest.raises(AnswersFileError, match="kan het bestand niet lezen"):
        load_answers(tmp_path / "map.json", model)
    shutil.copy(VO_EXAMPLE, tmp_path / VO_EXAMPLE.name)
    schools, problems = list_schools(tmp_path, model)
    assert [s.name for s in schools] == ["Het Baken"] and problems[0].file == "map.json"


def test_set_aside_values_never_overwrite_each_other(tmp_path, model):
    data = _raw() | {"notes": "tekst", "set_aside": {"item_fields": {"rollen.tvb_vastgelegd": {"current": "drie"}}}}
    data["answers"]["notes"] = {"current": 3}
    data["answers"]["rollen.tvb_vastgelegd"]["current"] = "vier"
    a = load_answers(_write(tmp_path, data), model).answers
    assert a.set_aside["fields"]["notes"] == "tekst"
    assert a.set_aside["items"]["notes"] == {"current": 3}
    assert a.set_aside["item_fields"]["rollen.tvb_vastgelegd"] == {"current": "drie", "current#2": "vier"}


def test_odd_values_survive_a_save_as_standard_json(tmp_path, model):
    """Odd values set aside come back; NaN (not JSON) comes back as the text "NaN", so the file stays standard JSON."""
    text = json.dumps(_raw())[:-1] + ', "oud": NaN, "vreemd": "a\\ud800b", "diep": ' + "[" * 300 + "]" * 300 + "}"
    path = _write(tmp_path, text)
    session = Session.open(path, model)
    session.set_level("visie.ambitieniveau", "target", 5)
    json.loads(path.read_text(encoding="utf-8"), parse_constant=lambda c: pytest.fail(f"{c} written"))
    again = load_answers(path, model).answers.set_aside["fields"]
    assert again["oud"] == "NaN" and again["vreemd"] == "a\ud800b" and len(json.dumps(again["diep"])) == 600


def test_wrong_optional_header_fields_are_set_aside_not_fatal(tmp_path, model):
    data = _raw() | {"saved_at": 123}
    data["school"] |= {"pupils": 0, "bestuur": "Stichting X"}
    result = load_answers(_write(tmp_path, data), model)
    assert result.answers.school.pupils is None and result.answers.school.name == "De Regenboog"
    assert result.answers.set_aside["fields"]["school.pupils"] == 0
    assert result.answers.set_aside["fields"]["school.bestuur"] == "Stichting X"
    assert any("school › pupils: moet minstens 1 zijn" in str(p) for p in result.problems)


@pytest.mark.parametrize("value", [0, "", False, [1]])
def test_answers_that_are_not_a_mapping_are_reported_and_kept(tmp_path, model, value):
    result = load_answers(_write(tmp_path, _raw() | {"answers": value}), model)
    assert any(p.where == "answers" for p in result.problems)
    assert result.answers.set_aside["other"]["answers"] == value


def test_two_sessions_on_one_file_keep_both_changes(tmp_path, model):
    """Two windows on one school (werkboek 1 and 2 side by side): each change is applied to what is on disk."""
    first = Session.create("De Linde", "po", "2026-2027", folder=tmp_path, model=model)
    second = Session.open(first.path, model)
    first.set_level("visie.ambitieniveau", "current", 2)
    second.set_level("rollen.tvb_vastgelegd", "current", 4)  # second had not seen first's change
    on_disk = load_answers(first.path, model).answers
    assert on_disk.answer("visie.ambitieniveau").current == 2 and on_disk.answer("rollen.tvb_vastgelegd").current == 4
    assert second.reloaded and second.answers.answer("visie.ambitieniveau").current == 2
    first.set_level("visie.ambitieniveau", "target", 3)  # and the other way round
    on_disk = load_answers(first.path, model).answers
    assert on_disk.answer("rollen.tvb_vastgelegd").current == 4 and on_disk.answer("visie.ambitieniveau").target == 3


def test_a_file_spoiled_elsewhere_is_never_overwritten(tmp_path, model):
    session = Session.create("De Linde", "po", "2026-2027", folder=tmp_path, model=model)
    session.path.write_text("{ kapot", encoding="utf-8")
    with pytest.raises(ConflictError, match="intussen ergens anders gewijzigd"):
        session.set_level("visie.ambitieniveau", "current", 2)
    assert session.path.read_text(encoding="utf-8") == "{ kapot"
    assert session.answers.answer("visie.ambitieniveau").current is None  # rolled back


def test_failed_save_rolls_the_session_back(tmp_path, model, monkeypatch):
    session = Session.create("De Linde", "po", "2026-2027", folder=tmp_path, model=model)
    monkeypatch.setattr(storage.os, "replace", lambda *a: (_ for _ in ()).throw(OSError("schijf weg")))
    with pytest.raises(OSError):
        session.set_level("visie.ambitieniveau", "current", 5)
    assert session.answers.answer("visie.ambitieniveau").current is None


def test_backups_in_the_same_second_do_not_overwrite_each_other(tmp_path, model):
    data = _raw()
    data["answers"]["rollen.tvb_vastgelegd"]["current"] = "veel"
    path = _write(tmp_path, data)
    one, two = Session.open(path, model), Session.open(path, model)
    one.set_level("visie.ambitieniveau", "target", 5)
    two._digest = storage.content_digest(path.read_bytes())  # pretend it re-read the file
    two.set_level("visie.ambitieniveau", "target", 4)
    backups = sorted(tmp_path.glob("*.origineel-*.json"))
    assert len(backups) == 2 and backups[0].read_bytes() != backups[1].read_bytes()


def test_saving_keeps_the_file_permissions(tmp_path, model):
    session = Session.create("De Linde", "po", "2026-2027", folder=tmp_path, model=model)
    os.chmod(session.path, 0o640)
    session.set_level("visie.ambitieniveau", "current", 3)
    assert (session.path.stat().st_mode & 0o777) == 0o640


def test_too_long_note_is_refused_in_dutch(tmp_path, model):
    session = Session.create("De Linde", "po", "2026-2027", folder=tmp_path, model=model)
    with pytest.raises(ValueError, match="toelichting is te lang"):
        session.set_note("visie.ambitieniveau", "x" * 5000)
    assert session.answers.answer("visie.ambitieniveau").note == ""


def test_a_large_valid_file_can_be_saved_again_by_the_tool(tmp_path, model):
    """A file within the budget, full of answers to items this model does not know (set aside, kept): changing one
    answer must not write a file the tool then refuses as too large (it did: 7.6 MB from 4.7 MB)."""
    data = _raw()
    data["answers"].update({f"oud.item_{i}": {"current": 3, "target": 4, "note": "x"} for i in range(90_000)})
    path = _write(tmp_path, json.dumps(data, separators=(",", ":")))
    assert 4e6 < path.stat().st_size <= MAX_FILE_BYTES
    session = Session.open(path, model)
    session.set_level("visie.ambitieniveau", "target", 5)
    assert path.stat().st_size <= MAX_FILE_BYTES
    again = load_answers(path, model)
    assert again.answers.answer("visie.ambitieniveau").target == 5
    assert len(again.answers.set_aside["items"]) == 90_000


def test_a_document_that_cannot_fit_is_refused_before_writing(tmp_path, model):
    session = Session.create("De Linde", "po", "2026-2027", folder=tmp_path, model=model)
    before = session.path.read_bytes()
    session.answers.set_aside["fields"] = {f"veld_{i}": "x" * 100 for i in range(60_000)}  # ~6.6 MB
    with pytest.raises(AnswersFileError, match="zou te groot worden .* hoogstens 5 MB"):
        session.set_level("visie.ambitieniveau", "target", 5)
    assert session.path.read_bytes() == before


def test_a_spreadsheet_given_as_answers_file_says_how_to_read_it(tmp_path, model):
    path = tmp_path / "vragenlijst.xlsx"
    path.write_bytes(b"PK\x03\x04")
    with pytest.raises(AnswersFileError, match="imworkbook import vragenlijst.xlsx"):
        load_answers(path, model)
