"""Advice and checks only after answers: an empty form says "nothing filled in yet" and what to do, never a
verdict (werkboek 5: 'Niet doen') or an all-clear (werkboek 6: 'Geen bijzonderheden') about nothing."""

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from imworkbook.analysis.proposals import QUESTIONS, answered
from imworkbook.apps.proposals import nieuwe_app
from imworkbook.apps.roles import rollen
from imworkbook.io.session import Session
from imworkbook.model.answers import Proposal


@pytest.fixture
def empty_school(tmp_path, model):
    return Session.create("Leeg", "po", "2026-2027", folder=tmp_path, model=model).path


@pytest.mark.parametrize("lang, empty, verdicts", [("nl", "Nog niets ingevuld", ("Ga door", "Eerst uitzoeken",
                                                                                  "Niet doen")),
                                                   ("en", "Nothing filled in yet", ("Go ahead", "Find out first",
                                                                                    "Don't"))])
def test_werkboek_5_an_empty_form_has_no_advice_but_says_what_to_do(empty_school, tmp_path, lang, empty, verdicts):
    app = nieuwe_app(empty_school, folder=tmp_path, lang=lang)
    box = app.advice_box.value
    assert empty in box and not any(v in box for v in verdicts) and app.advice is None
    app.f_name.value = "Ouderapp"  # a name alone answers none of the five questions
    assert empty in app.advice_box.value
    app.save_button.click()  # nothing to save an advice for: refused beside the button, nothing stored
    assert empty in app.result.value and not app.session.answers.proposals
    app.f_goal.value = "Ouders sneller informeren"
    assert empty not in app.advice_box.value and any(v in app.advice_box.value for v in verdicts)
    assert f"1 {'van de' if lang == 'nl' else 'of the'} 5" in app.advice_box.value  # provisional, on 1 of 5


_filled = st.fixed_dictionaries({}, optional={
    "goal": st.sampled_from(["", "  ", "doel"]), "activities": st.lists(st.just("inschrijven"), max_size=1),
    "technical_fit": st.sampled_from(["ja", "nee", "weet_niet"]), "maintenance": st.sampled_from(["ja", "nee"]),
    "data_objects": st.lists(st.just("leerling"), max_size=1), "processing_agreement": st.sampled_from(["ja", "nvt"]),
    "cost_once": st.floats(0, 1e5), "licence_year": st.floats(0, 1e5)})


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(_filled)
def test_answered_counts_each_of_the_five_questions_once(fields):
    p = Proposal(name="x", **fields)
    expected = sum((bool(fields.get("goal", "").strip()), bool(fields.get("activities")),
                    "technical_fit" in fields or "maintenance" in fields,
                    bool(fields.get("data_objects")) or "processing_agreement" in fields,
                    "cost_once" in fields or "licence_year" in fields))
    assert answered(p) == expected and 0 <= answered(p) <= QUESTIONS


@pytest.mark.parametrize("lang, empty, clear", [("nl", "Nog niets ingevuld: 0 van 12 taken", "Geen bijzonderheden"),
                                                ("en", "Nothing filled in yet: 0 of 12 tasks", "Nothing stands out")])
def test_werkboek_6_no_all_clear_before_any_task_is_filled_in(empty_school, tmp_path, lang, empty, clear):
    app = rollen(empty_school, folder=tmp_path, lang=lang)
    assert empty in app.flags.value and clear not in app.flags.value
    task, role = next(iter(app.cells))
    app.cells[(task, role)].value = "R"
    app.cells[(task, next(r for t, r in app.cells if t == task and r != role))].value = "A"
    assert empty not in app.flags.value and clear in app.flags.value  # one task, complete: nothing stands out…
    assert ("11" in app.flags.value)  # …and it says 11 tasks are still open
