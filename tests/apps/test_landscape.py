"""Werkboek 4's form edits exactly the application it shows: a refused value is reported at its field, the
form keeps what was typed, and no other application is selected or saved (issue 11, point 3)."""

import html
import json

import pytest

from imworkbook.apps.landscape import NEW, applicaties


@pytest.fixture
def app(tmp_path):
    return applicaties("po", folder=tmp_path)


def _costs(app) -> dict[str, float | None]:
    saved = json.loads(app.session.path.read_text(encoding="utf-8"))
    return {a["name"]: a.get("cost_year") for a in saved["landscape"]}


def _new(app, name: str, cost: str) -> None:
    app.apps.value = NEW
    app.f_name.value, app.f_type.value, app.f_cost_year.value = name, "las", cost


def test_a_new_application_with_a_bad_then_a_good_cost_is_added_and_nothing_else_changes(app):
    app.save_button.click()  # the example as it is on disk: the baseline of the file
    before = _costs(app)
    assert len(before) >= 2
    _new(app, "Rooster", "veel")
    app.save_button.click()
    # refused at the field; the form still shows the new application with what was typed
    assert "geen getal: 'veel'" in html.unescape(app.field_msgs["cost_year"].value)
    assert "Kosten per jaar" in app.field_msgs["cost_year"].value and 'role="alert"' in app.field_msgs["cost_year"].value
    assert "imw-bad" in app.f_cost_year._dom_classes
    assert app.apps.value == NEW and app.editing is None
    assert (app.f_name.value, app.f_cost_year.value) == ("Rooster", "veel")
    assert "✗" in app.form_msg.value and "Opgeslagen" not in app.form_msg.value
    assert "Laatst opgeslagen om" in app.status.value and "✓" not in app.status.value  # no stale success
    assert _costs(app) == before
    app.f_cost_year.value = "1.200"
    app.save_button.click()
    assert _costs(app) == {**before, "Rooster": 1200}
    assert app.apps.value == "Rooster" and app.editing == "Rooster"
    assert app.field_msgs["cost_year"].value == "" and "imw-bad" not in app.f_cost_year._dom_classes
    assert "✓ Opgeslagen." in app.form_msg.value and "✓ Opgeslagen om" in app.status.value
    assert not app.errors and app.messages.value == ""


def test_the_form_stays_on_the_application_it_edits_after_a_refusal(app):
    first, second = [a.name for a in app.session.answers.landscape][:2]
    before = _costs(app)
    app.apps.value = second
    app.f_cost_year.value = "-5"
    app.save_button.click()
    assert "mag niet negatief zijn" in app.field_msgs["cost_year"].value
    assert app.apps.value == second and app.editing == second and app.f_cost_year.value == "-5"
    app.f_cost_year.value = "700"
    app.save_button.click()
    assert _costs(app) == {**before, second: 700}
    assert app.session.answers.landscape[0].name == first


def test_a_refusal_from_the_model_is_shown_at_its_field(app):
    _new(app, "Duur", "1.000.000.000.000")
    app.save_button.click()
    assert "Kosten per jaar" in app.field_msgs["cost_year"].value and app.apps.value == NEW
    assert "Duur" not in _costs(app)


def test_a_name_that_exists_keeps_the_form_on_the_new_application(app):
    existing = app.session.answers.landscape[0]
    _new(app, existing.name, "5")
    app.save_button.click()
    assert "er is al een applicatie" in app.field_msgs["name"].value and "✗" in app.form_msg.value
    assert app.apps.value == NEW and app.f_cost_year.value == "5"
    assert _costs(app)[existing.name] == existing.cost_year
    app.f_name.value = "Ander"
    app.save_button.click()
    assert "Ander" in _costs(app) and app.form_msg.value.count("✓") == 1 and "alert" not in app.form_msg.value


def test_an_error_banner_is_cleared_by_the_next_success(app):
    app.school.f_name.value = "   "  # refused: the banner at the school bar
    assert app.errors and "imw-msg-error" in app.messages.value and 'role="alert"' in app.messages.value
    app.f_note.value = "nagekeken"
    app.save_button.click()
    assert not app.errors and app.messages.value == "" and "✓" in app.status.value


def test_a_list_rebuilt_in_code_does_not_overwrite_the_form(app):
    _new(app, "Half ingevuld", "12")
    app.refresh_list(NEW, show=False)
    assert (app.f_name.value, app.f_cost_year.value) == ("Half ingevuld", "12")


def test_english_field_message(tmp_path):
    app = applicaties("po", folder=tmp_path, lang="en")
    _new(app, "Timetable", "lots")
    app.save_button.click()
    assert "Cost per year" in app.field_msgs["cost_year"].value and "not saved" in app.field_msgs["cost_year"].value
    assert "correct the field" in app.form_msg.value


def test_werkboek_5_a_bad_amount_is_refused_at_its_field_and_the_save_says_so_beside_the_button(tmp_path):
    from imworkbook.apps.proposals import NEW as NEW_PROPOSAL, nieuwe_app

    app = nieuwe_app("po", folder=tmp_path)
    before = app.session.path.read_bytes()
    app.pick.value = NEW_PROPOSAL
    app.f_name.value = "Oefenapp"
    app.f_costs["licence_year"].value = "duur"
    assert "geen getal" in app.cost_msgs["licence_year"].value and "imw-bad" in app.f_costs["licence_year"]._dom_classes
    app.save_button.click()
    assert "✗" in app.result.value and app.messages.value == "" and app.session.path.read_bytes() == before
    assert (app.f_name.value, app.f_costs["licence_year"].value) == ("Oefenapp", "duur")
    app.f_costs["licence_year"].value = "450"
    assert app.cost_msgs["licence_year"].value == ""
    app.save_button.click()
    saved = json.loads(app.session.path.read_text(encoding="utf-8"))["proposals"]
    assert saved[-1]["name"] == "Oefenapp" and saved[-1]["licence_year"] == 450 and "✓" in app.result.value


def test_werkboek_5_a_new_proposal_never_replaces_one_of_the_same_name(tmp_path):
    from imworkbook.apps.proposals import NEW as NEW_PROPOSAL, nieuwe_app

    app = nieuwe_app("po", folder=tmp_path)
    existing = app.session.answers.proposals[0]
    app.pick.value = NEW_PROPOSAL
    app.f_name.value = existing.name
    app.save_button.click()
    assert "er is al een voorstel" in app.name_msg.value and "imw-bad" in app.f_name._dom_classes
    saved = json.loads(app.session.path.read_text(encoding="utf-8"))["proposals"]
    assert [p for p in saved if p["name"] == existing.name][0]["goal"] == existing.goal
    app.f_name.value = "Nog een"
    app.f_goal.value = "Iets anders"  # a proposal is saved with at least one answer (an empty form has no advice)
    app.save_button.click()
    assert app.name_msg.value == "" and "✓" in app.result.value
    assert {p["name"] for p in json.loads(app.session.path.read_text(encoding="utf-8"))["proposals"]} >= {existing.name, "Nog een"}


def test_werkboek_5_renaming_a_saved_proposal_replaces_it_in_its_place(tmp_path):
    from imworkbook.apps.proposals import nieuwe_app

    app = nieuwe_app("po", folder=tmp_path)
    before = [p.name for p in app.session.answers.proposals]
    app.pick.value = before[0]
    app.f_name.value = before[0] + " (herzien)"
    app.save_button.click()
    saved = [p["name"] for p in json.loads(app.session.path.read_text(encoding="utf-8"))["proposals"]]
    assert saved == [before[0] + " (herzien)", *before[1:]]  # no copy under the old name, same place
    app.f_name.value = before[0] + " (v3)"  # and again: the form still edits the same proposal
    app.save_button.click()
    saved = [p["name"] for p in json.loads(app.session.path.read_text(encoding="utf-8"))["proposals"]]
    assert saved == [before[0] + " (v3)", *before[1:]]


def test_werkboek_5_counts_the_school_own_hourly_rate_and_the_model_period(tmp_path):
    """The advice shown and the advice saved use one rule: the school's rate (it used 55 when saving)."""
    from imworkbook.analysis.proposals import tco
    from imworkbook.apps.proposals import nieuwe_app
    from imworkbook.model.content import load_investment_model

    app = nieuwe_app("po", folder=tmp_path)
    app.session.set_investment_setting("hourly_rate", 100)
    proposal = app.session.answers.proposals[0].model_copy(
        update={"cost_once": 1000.0, "cost_implementation": 0.0, "licence_year": 100.0, "hours_year": 10.0})
    years = load_investment_model().settings.tco_years
    assert app._advise(proposal).tco == tco(proposal, 100, years) == 1000 + years * (100 + 10 * 100)
