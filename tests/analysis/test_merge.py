"""Several raters of one school: rater roles in the file, disagreements of 2+ levels, the merged school
answer with the disagreement kept as a note, the merge app and the CLI."""

import json
import shutil

import pytest

from imworkbook.analysis.merge import MergeError, Rater, compare, merge, proposal, spread
from imworkbook.apps.merge import MergeApp
from imworkbook.base.errors import ContentError
from imworkbook.base.paths import data_dir
from imworkbook.cli import main
from imworkbook.io.collect import STATUS_DUPLICATE, STATUS_WARN, collect
from imworkbook.io.reading import load_answers
from imworkbook.io.session import Session
from imworkbook.io.writing import save_answers
from imworkbook.model.content import load_rater_roles

from ..conftest import PO_EXAMPLE

RATERS = data_dir() / "examples" / "invullers"


def _raters(model):
    out = []
    for path in sorted(RATERS.glob("*.json")):
        a = load_answers(path, model).answers
        out.append(Rater(a.rater, a))
    return out


def test_proposal_and_spread():
    assert proposal([2, 5, 2]) == 2 and proposal([3, 4]) == 3  # lower median
    assert proposal(["weet_niet", 4, None]) == 4  # 'weet niet' does not count
    assert proposal(["nvt", "nvt"]) == "nvt" and proposal([None, None]) is None and proposal(["nvt", "weet_niet"]) is None
    assert spread([1, 3]) == 2 and spread([4]) == 0 and spread(["nvt", 2, None]) == 0


def test_a_rater_role_is_saved_in_the_file_and_the_file_name(tmp_path, model):
    s = Session.create("De Linde", "po", "2026-2027", folder=tmp_path, model=model, rater="ict_coordinator")
    assert s.path.name == "de-linde_2026-2027_ict_coordinator.json"
    assert json.loads(s.path.read_text())["rater"] == "ict_coordinator"
    school = Session.create("De Linde", "po", "2026-2027", folder=tmp_path, model=model)
    assert "rater" not in json.loads(school.path.read_text())  # the school's own answer: no role


def test_a_name_instead_of_a_role_is_set_aside_not_lost(tmp_path, model):
    doc = json.loads(PO_EXAMPLE.read_text(encoding="utf-8"))
    doc["rater"] = "Jan Jansen"
    (tmp_path / "x.json").write_text(json.dumps(doc), encoding="utf-8")
    result = load_answers(tmp_path / "x.json", model)
    assert result.answers.rater is None
    assert result.answers.set_aside["fields"]["rater"] == "Jan Jansen"
    assert any(p.where == "rater" for p in result.problems)


def test_disagreements_are_items_two_or_more_levels_apart(model):
    raters = _raters(model)
    table = compare(raters, model)
    roles = load_rater_roles()
    for item_id, row in table.iterrows():
        cur = [r.answers.answer(item_id).current for r in raters]
        tgt = [r.answers.answer(item_id).target for r in raters]
        levels = lambda v: [x for x in v if isinstance(x, int)]  # noqa: E731
        far = any(len(levels(v)) > 1 and max(levels(v)) - min(levels(v)) >= roles.disagreement for v in (cur, tgt))
        assert row["disagree"] == far, item_id
    assert table.loc["visie.ambitieniveau", "disagree"]  # the example's 2 vs 5


def test_merge_takes_the_choice_keeps_who_said_what_and_loses_nothing(model):
    raters = _raters(model)
    merged = merge(raters, model, {("visie.ambitieniveau", "current"): 4})
    item = merged.answers["visie.ambitieniveau"]
    assert item.current == 4 and merged.rater is None
    for r in raters:  # each rater's own level is named in the note
        assert f"{r.answers.rater} {r.answers.answer('visie.ambitieniveau').current}" in item.note
    assert "gekozen: 4" in item.note
    notes = [r.answers.answers[i].note for r in raters for i in r.answers.answers if r.answers.answers[i].note]
    for note in notes:  # every rater's own note is in the merged file, marked with the role
        assert any(note in a.note for a in merged.answers.values())
    # an item without disagreement takes the lower median of the levels
    table = compare(raters, model)
    calm = table[~table["disagree"]].index[0]
    assert merged.answers[calm].current == table.loc[calm, "proposal_current"]
    # the differing licence costs became their median, with a note in that area
    area = merged.investment.areas["applicatielandschap"]
    values = sorted(r.answers.investment.areas["applicatielandschap"]["licence_per_year"] for r in raters)
    assert area["licence_per_year"] == values[1] and "ict_coordinator" in area["note"]


def test_files_of_another_school_or_the_same_role_twice_are_refused(model):
    raters = _raters(model)
    other = load_answers(PO_EXAMPLE, model).answers.model_copy(deep=True)
    other.school.name, other.school.code, other.rater = "Andere School", "11AA", "leraar"
    with pytest.raises(MergeError, match="andere school"):
        compare([*raters, Rater("leraar", other)], model)
    with pytest.raises(MergeError, match="twee keer"):
        compare([raters[0], Rater(raters[0].label, raters[1].answers)], model)
    with pytest.raises(MergeError, match="minstens twee"):
        compare(raters[:1], model)


def test_merge_app_from_the_example_to_the_school_file(tmp_path, model):
    app = MergeApp(tmp_path, model=model)
    assert "nog geen scholen" in app.summary.value
    app.add_example()
    assert len(app.raters) == 3 and ("visie.ambitieniveau", "current") in app.pickers
    app.pickers[("visie.ambitieniveau", "current")].value = 3
    path = app.save()
    saved = load_answers(path, model).answers
    assert path.name == "de-regenboog_2026-2027.json" and saved.rater is None
    assert saved.answers["visie.ambitieniveau"].current == 3
    with pytest.raises(FileExistsError):  # never overwritten without asking
        app.save()
    app.save_button.click()
    assert "al een antwoordenbestand" in app.result.value and app.messages.value == ""  # beside the button
    app.overwrite.value = True
    app.save()
    assert path.parent == tmp_path / "voorbeelden"  # an example's merge stays an example: never collected
    assert list(path.parent.glob("de-regenboog_2026-2027.origineel-*.json"))  # the previous file kept


def test_network_counts_a_rater_file_once_and_explains_the_others(tmp_path):
    for path in RATERS.glob("*.json"):
        shutil.copy(path, tmp_path / path.name)
    report = collect(tmp_path).report.set_index("bestand")
    assert (report["status"] == STATUS_DUPLICATE).sum() == 2
    assert report["status"].iloc[0] == STATUS_WARN and "één invuller" in report["melding"].iloc[0]
    assert all("samen" in m for m in report.loc[report["status"] == STATUS_DUPLICATE, "melding"])


def test_cli_merge(tmp_path, capsys):
    files = [str(shutil.copy(p, tmp_path / p.name)) for p in sorted(RATERS.glob("*.json"))]
    assert main(["merge", *files]) == 0
    out = tmp_path / "de-regenboog_2026-2027.json"
    assert out.exists() and "visie.ambitieniveau" in capsys.readouterr().out
    assert main(["merge", *files]) == 2  # exists: not replaced without --overwrite
    before = out.read_bytes()
    assert main(["merge", *files, "--overwrite"]) == 0  # replaced, with a backup as werkboek 7 makes (one function)
    backups = list(tmp_path.glob("de-regenboog_2026-2027.origineel-*.json"))
    assert len(backups) == 1 and backups[0].read_bytes() == before
    assert "bewaard als" in capsys.readouterr().out


def test_rater_roles_are_content_and_validated(tmp_path):
    (tmp_path / "roles.yaml").write_text("version: '1'\nroles:\n  - id: a\n    label: {nl: A, en: A}\n"
                                         "  - id: a\n    label: {nl: B, en: B}\n", encoding="utf-8")
    with pytest.raises(ContentError, match="twee keer"):
        load_rater_roles(tmp_path)


def test_replacing_the_school_file_keeps_what_the_raters_did_not_fill_in(model):
    raters = _raters(model)
    school = load_answers(PO_EXAMPLE, model).answers  # has a landscape, a proposal and roles
    for r in raters:
        r.answers.investment.areas = {}
    merged = merge(raters, model, into=school)
    assert merged.landscape == school.landscape and merged.proposals == school.proposals
    assert merged.roles == school.roles and merged.investment == school.investment
    plain = merge(raters, model)
    assert plain.landscape == [] and plain.investment.areas == {}


def test_merging_into_another_school_file_is_refused(tmp_path, model):
    """The target file name comes from the school's name; a file of that name that belongs to another school (or
    round) is never filled with these raters' answers."""
    from imworkbook.analysis.merge import Rater, merge_and_save
    from imworkbook.base.errors import ImworkbookError
    from imworkbook.io.reading import load_answers
    from imworkbook.io.writing import save_answers

    raters = [Rater(p.stem, load_answers(p, model).answers) for p in sorted(RATERS.glob("*.json"))]
    other = raters[0].answers.model_copy(deep=True)
    other.rater = None
    other.school = other.school.model_copy(update={"code": "99ZZ"})
    target = tmp_path / "doel.json"
    save_answers(other, target)
    before = target.read_bytes()
    with pytest.raises(ImworkbookError, match="Niet samengevoegd"):
        merge_and_save(raters, model, target, overwrite=True)
    assert target.read_bytes() == before and not list(tmp_path.glob("*.origineel-*"))


def test_raters_who_answer_for_different_scopes_are_not_merged(model):
    """Issue 15: one rater answering for the whole board and another for the school answer different questions."""
    raters = _raters(model)
    raters[0].answers.school.scope = "bestuur"
    raters[1].answers.school.scope = "school"
    with pytest.raises(MergeError, match=r"scope.*'school', niet voor 'bestuur'"):
        merge(raters, model)
    raters[1].answers.school.scope = None  # not said by one rater: the other's choice is kept
    for r in raters[2:]:
        r.answers.school.scope = None
    assert merge(raters, model).school.scope == "bestuur"


def test_merged_notes_fit_in_one_note(model):
    """Every rater's note is kept in the merged note, cut with '…' where together they exceed what a note holds
    (the schema's NOTE_MAX_CHARS, the one limit), so the merged file always saves and loads."""
    from imworkbook.model.answers import NOTE_MAX_CHARS

    raters = _raters(model)
    item = model.item_ids[0]
    area = model.areas[0].id
    for r in raters:
        r.answers.answers[item] = r.answers.answer(item).model_copy(update={"note": "x" * NOTE_MAX_CHARS})
        r.answers.investment.areas.setdefault(area, {})["note"] = "y" * NOTE_MAX_CHARS
    merged = merge(raters, model)
    note = merged.answers[item].note
    assert len(note) <= NOTE_MAX_CHARS and note.endswith(" …") and note.count("x") > NOTE_MAX_CHARS // 2
    assert len(merged.investment.areas[area]["note"]) == NOTE_MAX_CHARS
    from imworkbook.model.answers import Answers
    assert Answers.model_validate_json(merged.model_dump_json()) == merged
