"""The proportion app, driven like the browser drives it: by setting widget values."""

import json
import re

import ipywidgets as W

import pytest

from imworkbook.analysis.proportion import compute
from imworkbook.apps.investment import verhouding
from imworkbook.base.i18n import format_number
from imworkbook.base.numbers import format_euro
from imworkbook.io.reading import load_answers
from imworkbook.model.content import load_investment_model

from ..conftest import PO_EXAMPLE


@pytest.fixture
def app(tmp_path):
    return verhouding("po", folder=tmp_path)


def _saved(app):
    return json.loads(app.session.path.read_text(encoding="utf-8"))["investment"]


def test_opens_with_totals_charts_and_explanations(app, model):
    assert app.progress_text.value == f"<b>{len(model.areas)} van {len(model.areas)} gebieden volledig ingevuld</b>"
    expected = compute(load_answers(PO_EXAMPLE, model).answers, model).overall
    assert f"Totaalindex {format_number(expected['index'], 'nl', 2)}" in app.summary.value
    assert f"{format_euro(expected['invest_per_pupil'], 'nl')} per leerling" in app.summary.value
    assert f"{format_number(expected['hours_per_100'], 'nl', 0)} uur eigen tijd per 100 leerlingen" in app.summary.value
    assert set(app.figs) == {"quadrant", "difference", "bars"}
    form = app.forms["visie"]
    assert "Visie en ambitie:" in form.explanation.value and "per jaar" in form.total.value
    assert not app.errors


def test_dutch_and_english_numbers_are_saved_and_shown_the_dutch_way(app):
    form = app.forms["visie"]
    form.inputs["licence_per_year"].value = "1.250,50"
    assert _saved(app)["areas"]["visie"]["licence_per_year"] == 1250.5
    assert form.inputs["licence_per_year"].value == "1.250,5"
    form.inputs["external_per_year"].value = "1250.50"
    assert _saved(app)["areas"]["visie"]["external_per_year"] == 1250.5


@pytest.mark.parametrize("typed, message", [("veel", "geen getal"), ("-3", "mag niet negatief zijn")])
def test_bad_input_gets_a_message_at_the_field_and_nothing_is_saved(app, typed, message):
    before = _saved(app)
    form = app.forms["visie"]
    form.inputs["hours_im"].value = typed
    assert message in form.field_msgs["hours_im"].value and "niet opgeslagen" in form.field_msgs["hours_im"].value
    assert "imw-bad" in form.inputs["hours_im"]._dom_classes
    assert _saved(app) == before
    form.inputs["hours_im"].value = "25"  # corrected: saved, message gone
    assert form.field_msgs["hours_im"].value == "" and _saved(app)["areas"]["visie"]["hours_im"] == 25


def test_empty_field_means_unknown_and_makes_the_area_incomplete(app):
    form = app.forms["visie"]
    form.inputs["hours_ict"].value = ""  # one of the three required numbers
    assert _saved(app)["areas"]["visie"]["hours_ict"] is None
    assert "onvolledig" in form.total.value
    assert "nog niet te beoordelen" in form.explanation.value
    assert app.tabs.titles[0].endswith("…")


def test_a_change_moves_the_quadrant_point(app):
    fig = app.figs["quadrant"]
    before = {x for tr in fig.data[2:] for x in tr.y}
    app.forms["visie"].inputs["money_per_year"].value = "20000"
    after = {x for tr in app.figs["quadrant"].data[2:] for x in tr.y}
    assert before != after


def test_implausible_hours_warn_in_the_area(app):
    form = app.forms["visie"]
    form.inputs["hours_other"].value = "90.000"
    assert "van alle uren van het personeel" in form.warnings.value
    assert _saved(app)["areas"]["visie"]["hours_other"] == 90000  # a warning, not a refusal


def test_hourly_rate_setting(app):
    app.rate.value = "70"
    assert _saved(app)["hourly_rate"] == 70
    assert app.result.overall["hourly_rate"] == 70  # recomputed with the school's own rate
    app.rate.value = "duur"
    assert "geen getal" in app.setting_msgs["hourly_rate"].value and app.rate.value == "duur"
    assert "imw-bad" in app.rate._dom_classes and _saved(app)["hourly_rate"] == 70


def test_what_if_moves_index_without_saving(app):
    before = app.session.path.read_bytes()
    app.what_if.widget.selected_index = 0
    amb, eur, flag = app.what_if.sliders["rollen"]
    eur.value = 9000
    assert "was onderinvestering" in flag.value
    assert app.what_if.result.table.loc["rollen", "flag"] != app.result.table.loc["rollen", "flag"]
    assert app.session.path.read_bytes() == before
    amb.value = 1
    assert app.what_if.result.table.loc["rollen", "ambition"] == 1
    app.what_if.reset()
    assert eur.value == pytest.approx(app.result.table.loc["rollen", "invest_eur"])


def test_other_areas_are_built_when_opened(app, model):
    assert "sturing" not in app.forms
    app.tabs.selected_index = len(model.areas) - 1
    assert "sturing" in app.forms and "per jaar" in app.forms["sturing"].total.value


def test_board_summary_is_shown_and_saved_as_offline_html(app, werkmap):
    app.make_summary()
    assert any(tr.type == "table" for tr in app.summary_fig.data)
    path = app.save_summary()
    assert path.parent == werkmap / "rapporten" and path.name == "de-regenboog_2026-2027_verhouding.html"
    text = path.read_text(encoding="utf-8")
    assert not re.search(r"<script[^>]+src=\"https?:", text) and "Plotly.newPlot" in text  # opens offline
    assert "De Regenboog" in text and str(path) in app.summary_link.value


def test_a_refused_value_takes_the_tick_off_the_status_and_the_next_success_puts_it_back(app):
    form = app.forms["visie"]
    form.inputs["hours_im"].value = "30"
    assert "✓ Opgeslagen om" in app.status.value
    before = app.session.path.read_bytes()
    form.inputs["hours_im"].value = "veel"
    assert 'role="alert"' in form.field_msgs["hours_im"].value and form.inputs["hours_im"].value == "veel"
    assert "✓" not in app.status.value and "Laatst opgeslagen om" in app.status.value  # no stale success
    assert app.session.path.read_bytes() == before and app.errors
    form.inputs["hours_im"].value = "31"
    assert "✓ Opgeslagen om" in app.status.value and not app.errors
    assert form.field_msgs["hours_im"].value == "" and _saved(app)["areas"]["visie"]["hours_im"] == 31


def test_a_field_keeps_its_message_while_another_field_is_saved(app):
    form = app.forms["visie"]
    form.inputs["hours_im"].value = "veel"
    form.inputs["hours_other"].value = "12"  # a success elsewhere: the wrong value is still on screen, so is its message
    assert "geen getal" in form.field_msgs["hours_im"].value and form.inputs["hours_im"].value == "veel"
    assert _saved(app)["areas"]["visie"]["hours_other"] == 12 and "✓ Opgeslagen om" in app.status.value


def test_an_error_banner_goes_at_the_next_success(app):
    app.school.f_name.value = " "
    assert "imw-msg-error" in app.messages.value
    app.forms["visie"].inputs["hours_im"].value = "5"
    assert app.messages.value == "" and not app.errors


# --- issue 15.3: three numbers, allocation guide, levy, absolute figures, plausibility, verdict ----------------

def test_three_numbers_in_view_and_the_detail_folded_away(app):
    inv = load_investment_model()
    form = app.forms["visie"]
    main, optional = form.box.children[4].children, form.box.children[6]
    shown = {c for row in main[1:] for c in row.children[0].children[0]._dom_classes}
    assert shown == {f"imw-f-{f.id}" for f in inv.fields if f.required} == {
        "imw-f-hours_im", "imw-f-hours_ict", "imw-f-money_per_year"}
    assert optional.selected_index is None  # folded: a school can stop at three numbers per area
    folded = {c for row in optional.children[0].children[1:] for c in row.children[0].children[0]._dom_classes}
    assert folded == {f"imw-f-{f.id}" for f in inv.fields if not f.required}


def test_three_numbers_judge_an_area_and_the_breakdown_replaces_an_empty_total(tmp_path):
    from imworkbook.io.session import Session

    session = Session.create("Nieuwe School", "po", "2026-2027", pupils=200, folder=tmp_path)
    app = verhouding(session.path, folder=tmp_path)
    form = app.forms["visie"]
    form.ambition.value = 3
    for field, value in (("hours_im", "10"), ("hours_ict", "4"), ("money_per_year", "500")):
        form.inputs[field].value = value
    row = app.result.table.loc["visie"]
    assert row["complete"] and row["invest_eur"] == pytest.approx(14 * 55 + 500)
    form.inputs["money_per_year"].value = ""
    assert not app.result.table.loc["visie", "complete"]
    for field, value in (("licence_per_year", "300"), ("external_per_year", "0"), ("one_off_cost", "1000"),
                         ("implementation_cost", "0")):
        form.inputs[field].value = value
    assert app.result.table.loc["visie", "invest_eur"] == pytest.approx(14 * 55 + 300 + 1000 / 5)
    assert "5 jaar aangenomen" in form.explanation.value


def test_the_allocation_guide_sits_beside_the_inputs_and_splits_an_amount(app, model):
    from imworkbook.model.content import load_allocation

    alloc = load_allocation()
    guide = app.guide
    table = guide.widget.children[0].children[0].value
    for item in alloc.items:
        assert html_escape(item.label("nl")) in table
    assert "hoort niet bij informatiemanagement" in table
    app.tabs.selected_index = [a.id for a in model.areas].index("gegevens")  # each area says what belongs there
    assert "LAS-licentie (leerlingadministratie) 50%" in app.forms["gegevens"].guide.value
    assert "Apparaten" not in app.forms["gegevens"].guide.value  # excluded costs belong nowhere
    guide.item.value = "las"
    guide.amount.value = "8.000"
    shares = guide.split()
    assert sum(shares.values()) == pytest.approx(8000) and set(shares) == set(alloc.items[0].key)
    assert "€ 4.000" in guide.result.value  # half of the LAS licence belongs to Gegevensbeheer
    before = app.session.path.read_bytes()
    guide.amount.value = "veel"
    assert "geen getal" in guide.result.value and app.session.path.read_bytes() == before  # never saved


def html_escape(text):
    import html
    return html.escape(text)


def test_the_levy_pays_for_board_support_and_is_spread_by_hours_or_evenly(app):
    app.levy.value = "4.800"
    assert _saved(app)["levy_eur"] == 4800
    table = app.result.table
    support = {a: (app.session.answers.investment.areas[a].get("support_hours") or 0) for a in table.index}
    total = sum(support.values())
    for area_id, h in support.items():
        assert table.loc[area_id, "resources_eur"] == pytest.approx(4800 * h / total)
    app.levy_attribution.value = "even"
    assert _saved(app)["levy_attribution"] == "even"
    assert app.result.table["resources_eur"].tolist() == pytest.approx([4800 / len(table)] * len(table))
    app.levy.value = ""  # unknown: the support hours count at the hourly rate again
    assert app.result.table["resources_eur"].tolist() == pytest.approx([55 * support[a] for a in table.index])
    assert total > 0  # (the example has support hours)


def test_a_zero_too_many_is_caught_relative_to_the_school_size(app):
    form = app.forms["visie"]
    form.inputs["money_per_year"].value = "40.000"  # € 174 per pupil for one area of a school of 230
    assert "per leerling voor één gebied" in form.warnings.value and "230 leerlingen" in form.warnings.value
    assert "meer dan € 75 per leerling" in form.warnings.value
    form.inputs["money_per_year"].value = "400"
    assert "per leerling voor één gebied" not in form.warnings.value


def test_tools_in_order_says_what_the_chosen_value_means(app):
    form = app.forms["visie"]
    form.inputs["tooling"].value = 0
    assert "ontbreekt" in form.choice_help["tooling"].value and "losse bestanden" in form.choice_help["tooling"].value
    assert _saved(app)["areas"]["visie"]["tooling"] == 0


def test_everything_underfunded_is_said_at_the_top(app, model):
    for area_id in [a.id for a in model.areas]:
        app.tabs.selected_index = [a.id for a in model.areas].index(area_id)
    for form in app.forms.values():
        for field in ("hours_im", "hours_ict", "money_per_year", "hours_other", "support_hours"):
            form.inputs[field].value = "1" if field != "money_per_year" else "10"
    app.levy.value = "0"
    assert app.result.overall["verdict"] == "alles_onder"
    assert "Alles ondergefinancierd" in app.school_messages.value


def test_english_app_shows_the_guide_levy_and_per_pupil_figures(tmp_path):
    app = verhouding("po", folder=tmp_path, lang="en")
    assert "per pupil" in app.summary.value and "hours of own time per 100 pupils" in app.summary.value
    assert app.guide.widget.titles[0].startswith("Allocation key")
    assert app.levy.description.startswith("Levy") and "not free" in app.levy_help.value
    assert "per pupil (rough reference" in app.forms["visie"].total.value


@pytest.mark.parametrize("lang, money", [("nl", re.compile(r"^€ \d{1,3}(\.\d{3})*$")),
                                         ("en", re.compile(r"^€\d{1,3}(,\d{3})*$"))])
def test_what_if_sliders_show_euros_as_people_write_them(tmp_path, lang, money):
    """Issue 14: the sliders read "6,923" (no €, 6.9 in Dutch) and the reset button was clipped."""
    from imworkbook.apps.investment import verhouding

    app = verhouding("po", folder=tmp_path, lang=lang)
    app.what_if.widget.selected_index = 0
    assert app.what_if.sliders
    for area_id, (_amb, eur, _flag) in app.what_if.sliders.items():
        assert eur.readout is False  # plotted by the browser in English: its own readout is replaced
        shown = app.what_if.readouts[area_id].value
        assert money.match(shown), shown
    amb, eur, _ = next(iter(app.what_if.sliders.values()))
    eur.value = 6900.0
    assert app.what_if.readouts[next(iter(app.what_if.sliders))].value == ("€ 6.900" if lang == "nl" else "€6,900")
    reset = next(w for w in app.what_if.widget.children[0].children if isinstance(w, W.Button))
    assert reset.layout.width == "auto"


def test_an_incomplete_area_says_what_is_missing_in_one_sentence(tmp_path, model):
    from imworkbook.apps.investment import verhouding
    from imworkbook.io.session import Session

    session = Session.create("Leeg", "po", "2026-2027", folder=tmp_path, model=model)
    text = next(iter(verhouding(session.path, folder=tmp_path).forms.values())).explanation.value
    # every required number named, lower case inside the sentence, one full stop, no "… …."
    assert "uren IM (vraagkant)" in text and "uren ICT (aanbodkant)" in text and "…" not in text
    assert re.search(r"[^.]\.</div>$", text) and ".." not in text
