"""The questionnaire app, driven the way the browser drives it: by setting widget values."""

import json
import re

import pytest

from imworkbook.apps.base import EMPTY, NEW
from imworkbook.apps.questionnaire import MaturityApp, vragenlijst

from ..conftest import PO_EXAMPLE


@pytest.fixture
def app(tmp_path):
    return vragenlijst("po", folder=tmp_path)


def test_opens_the_example_with_progress_and_both_charts(app, model):
    assert app.session.answers.school.name == "De Regenboog"
    assert app.progress_text.value == f"<b>{model.n_items} van {model.n_items} beantwoord</b>"
    assert len(app.radar_fig.data) == 2 and len(app.gap_fig.data) >= 1
    assert app.tabs.titles[0].endswith("✓")
    assert app.cards  # first area built
    assert not app.errors


def test_changing_an_answer_saves_rescoring_and_redraws(app, model):
    item = model.areas[0].items[0].id
    card = app.cards[item]
    new = 1 if card.current.value != 1 else 5
    old_r = app.radar_fig.data[0].r[0]
    card.current.value = new
    assert json.loads(app.session.path.read_text())["answers"][item]["current"] == new
    assert app.radar_fig.data[0].r[0] != old_r
    assert app.radar_fig.data[0].r[0] == pytest.approx(app.scores().iloc[0]["current"], abs=0.01)
    assert "Opgeslagen" in app.status.value
    assert 'class="cur"' in card.levels.value or "cur tgt" in card.levels.value


def test_clearing_an_answer_updates_progress(app, model):
    card = app.cards[model.areas[0].items[1].id]
    card.current.value = EMPTY
    assert app.progress_text.value.startswith(f"<b>{model.n_items - 1} van")
    n = len(model.areas[0].items)
    assert app.tabs.titles[0].endswith(f"({n - 1}/{n})")


def test_nvt_for_current_also_sets_target(app, model):
    card = app.cards[model.areas[0].items[2].id]
    card.target.value = EMPTY
    card.current.value = "nvt"
    assert card.target.value == "nvt"
    assert app.session.answers.answer(card.item_id).target == "nvt"


def test_note_is_saved(app, model):
    card = app.cards[model.areas[0].items[3].id]
    card.note.value = "Besproken in het MT"
    assert json.loads(app.session.path.read_text())["answers"][card.item_id]["note"] == "Besproken in het MT"


def test_other_areas_are_built_when_opened(app, model):
    last = model.areas[-1].items[0].id
    assert last not in app.cards
    app.tabs.selected_index = len(model.areas) - 1
    assert last in app.cards


def test_target_below_current_shows_a_remark(app, model):
    card = app.cards[model.areas[0].items[0].id]
    card.current.value, card.target.value = 4, 2
    assert "lager" in card.remark.value


def test_a_level_that_breaks_a_consistency_rule_shows_the_rule_as_a_remark(app, model):
    """Issue 15: e.g. a vision the board adopted (3) while there is no vision (1): allowed, but worth a question."""
    rule = next(r for r in model.prerequisites if model.area_of(r.item).id == model.areas[0].id
                and model.area_of(r.requires).id == model.areas[0].id)
    app.cards[rule.requires].current.value = rule.min_level - 1
    card = app.cards[rule.item]
    card.current.value = rule.from_level
    assert rule.why("nl") in card.remark.value
    app.cards[rule.requires].current.value = rule.min_level
    card.current.value = rule.from_level - 1
    card.current.value = rule.from_level
    assert rule.why("nl") not in card.remark.value


def test_picking_needs_open_so_arrow_keys_do_not_switch_school(app):
    example = next(v for _, v in app.school.picker.options if str(v).startswith("example:"))
    app.school.picker.value = example
    assert app.session.answers.school.name == "De Regenboog"  # not yet switched
    assert not app.school.open_button.disabled
    app.school.open_button.click()
    assert app.session.answers.school.name == "Het Baken"
    assert app.school.open_button.disabled


def test_charts_are_chart_outputs_that_follow_every_change(app, model):
    """One Output widget per chart holds the chart as HTML for the app's plotly.js (no FigureWidget: that ships
    plotly.js with every chart); a change replaces the output with the new figure, also when its traces change."""
    from imworkbook.apps.plot import output_spec

    out = app.radar_box.children[0]
    spec = output_spec(out.outputs[0])
    assert [tr["type"] for tr in spec["data"]] == [tr.type for tr in app.radar_fig.data]
    assert spec["config"]["displaylogo"] is False and spec["layout"]["width"] == app.radar_fig.layout.width
    card = app.cards[model.areas[0].items[0].id]
    card.current.value = 3 if card.current.value != 3 else 2
    assert app.radar_box.children[0] is out and len(out.outputs) == 1  # the same widget, a new figure
    assert output_spec(out.outputs[0])["data"][0]["r"][0] == pytest.approx(app.scores().iloc[0]["current"], abs=0.01)
    app.school.picker.value = next(v for _, v in app.school.picker.options if str(v).startswith("example:"))
    app.school.open_button.click()  # half-filled school: the gap chart names the areas without a gap above it
    gap = output_spec(app.gap_box.children[0].outputs[0])
    assert len(gap["data"]) == len(app.gap_fig.data)
    assert [a["name"] for a in gap["layout"]["annotations"]] == ["note"]
    assert "Dialoog" in app.gap_fig.layout.annotations[0].text


def test_score_table_in_the_app_uses_decimal_commas(app):
    assert "Totaal (gewogen gemiddelde)" in app.table.value
    assert re.search(r">\d,\d<", app.table.value)


def test_new_school_from_the_picker(app, tmp_path):
    app.school.picker.value = NEW
    assert app.school.new_box.layout.display == "flex"
    app.school.n_name.value, app.school.n_sector.value, app.school.n_pupils.value = "Kindcentrum De Tol", "po", 140
    app.school.create()
    assert app.session.path == tmp_path / f"kindcentrum-de-tol_{app.session.answers.round}.json"
    assert app.progress_text.value.startswith("<b>0 van")
    assert "Nog geen antwoorden" in app.radar_fig.layout.annotations[0].text


def test_errors_in_callbacks_are_shown_in_the_app(app):
    app.school.f_pupils.value = 0  # allowed: unknown
    app.school.f_name.value = "   "  # not allowed
    assert app.errors, "the error should be visible in the app"
    assert "naam van de school: mag niet leeg zijn" in app.messages.value
    assert json.loads(app.session.path.read_text())["school"]["name"] == "De Regenboog"


def test_without_arguments_opens_the_most_recent_school(tmp_path):
    first = vragenlijst("vo", folder=tmp_path)
    first.cards[next(iter(first.cards))].note.value = "laatst gewerkt"
    again = vragenlijst(folder=tmp_path)
    assert again.session.path == first.session.path


def test_broken_file_in_werkmap_is_reported_not_fatal(tmp_path):
    (tmp_path / "kapot.json").write_text("{", encoding="utf-8")
    app = MaturityApp(folder=tmp_path)
    assert "kapot.json" in app.school.notice.value


def test_english(tmp_path):
    app = vragenlijst("po", folder=tmp_path, lang="en")
    assert "answered" in app.progress_text.value
    assert app.radar_fig.data[0].name == "Current level"
    assert PO_EXAMPLE.exists()


def test_refused_change_is_put_back_on_screen(app, model):
    card = app.cards[model.areas[0].items[0].id]
    saved = card.note.value
    card.note.value = "x" * 5000
    assert "te lang" in card.msg.value and app.messages.value == ""  # at the item, not at the top of the page
    assert card.note.value == saved
    app.school.f_code.value = "X" * 30  # too long: refused, field restored, later changes still possible
    assert app.school.f_code.value == "99XA"
    app.school.f_sector.value = "vo"
    assert json.loads(app.session.path.read_text())["school"]["sector"] == "vo"


def test_backup_notice_is_shown_after_the_first_save(tmp_path, model):
    data = json.loads(PO_EXAMPLE.read_text(encoding="utf-8"))
    data["answers"][model.item_ids[0]]["current"] = "veel"
    path = tmp_path / "school.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    app = vragenlijst(path, folder=tmp_path)
    assert "veel" in app.school.notice.value
    app.cards[model.item_ids[1]].note.value = "nieuw"
    assert "origineel" in app.school.notice.value


def test_a_change_made_in_another_window_is_kept_and_shown(app, model):
    other = vragenlijst(app.session.path, folder=app.folder)
    other.cards[model.item_ids[0]].note.value = "uit het andere venster"
    app.cards[model.item_ids[1]].note.value = "van mij"
    saved = json.loads(app.session.path.read_text())["answers"]
    assert saved[model.item_ids[0]]["note"] == "uit het andere venster" and saved[model.item_ids[1]]["note"] == "van mij"
    assert app.cards[model.item_ids[0]].note.value == "uit het andere venster"  # shown here too
    assert "ander venster" in app.status.value and not app.errors


@pytest.mark.parametrize("code, words", [(28, "de schijf is vol"), (30, "alleen-lezen")])
def test_a_disk_that_refuses_the_save_is_a_dutch_message_and_the_answer_is_put_back(app, model, monkeypatch, code,
                                                                                   words):
    import os

    from imworkbook.base import storage

    card = app.cards[model.areas[0].items[0].id]
    before, saved = card.current.value, app.session.path.read_bytes()

    def refuse(*args, **kwargs):
        raise OSError(code, os.strerror(code), str(app.session.path))
    monkeypatch.setattr(storage.tempfile, "mkstemp", refuse)
    card.current.value = 1 if before != 1 else 5
    assert words in card.msg.value and "Errno" not in card.msg.value  # beside the item changed
    assert app.session.path.name in card.msg.value
    assert card.current.value == before and app.session.path.read_bytes() == saved
