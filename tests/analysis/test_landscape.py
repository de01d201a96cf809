"""Werkboek 4-6: application landscape, critical questions for a new app, roles (RACI). The 'done when' of the
issue on the example school, the rules re-derived, bad input named by row and column, and the apps."""

import json
import math

import shutil

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook

from imworkbook.base import paths
from imworkbook.base.errors import ContentError
from imworkbook.base.i18n import t
from imworkbook.cli import main

from imworkbook.analysis.landscape import analyse, cost_per_area, network_landscape, time_label
from imworkbook.analysis.proposals import advise, tco
from imworkbook.analysis.roles import flags, hours_check
from imworkbook.figures.landscape import coverage_heatmap, network_types, time_quadrant
from imworkbook.io.excel import read_inventory, write_inventory
from imworkbook.io.fastlane import FastLane, as_document
from imworkbook.io.reading import load_answers
from imworkbook.model.answers import Application, Proposal, new_answers
from imworkbook.model.content import TimeSettings, load_landscape_reference, load_roles_model
from imworkbook.model.content import load_investment_model

from ..conftest import PO_EXAMPLE, VO_EXAMPLE, data_copy


@pytest.fixture(scope="module")
def ref():
    return load_landscape_reference()


@pytest.fixture(scope="module")
def po(model):
    return load_answers(PO_EXAMPLE, model).answers


# --- the "done when", on the example school ---------------------------------------------------

def test_example_shows_the_las_finance_register_once_violation(po, ref):
    an = analyse(po.landscape, ref)
    types = {a.name: a.type for a in po.landscape}
    assert "facturen" in an.register_once
    assert sorted(types[n] for n in an.register_once["facturen"]) == ["financien", "las"]


def test_example_time_quadrant_follows_the_rule(po, ref):
    an = analyse(po.landscape, ref)
    low, high = ref.time.low_to, ref.time.high_from
    for app, label in zip(po.landscape, an.inventory["time"]):
        b, tech = app.business_fit, app.technical_fit
        if b is None or tech is None:
            assert label == "onbekend", app.name
        elif low < b < high or low < tech < high:
            assert label == "review", app.name
        else:
            assert label == {(True, True): "invest", (True, False): "migrate", (False, True): "tolerate",
                             (False, False): "eliminate"}[(b >= high, tech >= high)], app.name
    assert {"invest", "migrate", "eliminate", "review"} <= set(an.inventory["time"])
    fig = time_quadrant(an.inventory, rule=ref.time)
    drawn = {name for tr in fig.data for name in tr.text}
    assert drawn == {a.name for a in po.landscape if a.business_fit and a.technical_fit}


def test_example_proposal_has_an_equivalent_in_the_inventory(po, ref):
    proposal = po.proposals[0]
    advice = advise(proposal, po.landscape, ref, hourly_rate=55, years=5)
    assert advice.verdict == "eerst_uitzoeken"
    assert "KlasOuderApp" in [name for name, _ in advice.equivalents]
    assert any("KlasOuderApp" in r for r in advice.reasons)
    assert proposal.advice == advice.verdict  # saved with the school's answers


def test_example_flags_one_role_doing_demand_and_supply(po):
    roles = load_roles_model()
    found = flags(po, roles)
    mixed = [f for f in found if f.kind in ("mixed", "mixed_strong")]
    assert [f.subject for f in mixed] == ["im_coordinator"]
    assert po.school.pupils < roles.mixed_strong_from_pupils and mixed[0].kind == "mixed"
    vo = load_answers(VO_EXAMPLE).answers
    assert any(f.kind == "mixed_strong" for f in flags(vo, roles))  # 1,450 pupils: a strong warning


# --- the rules --------------------------------------------------------------------------------------------

def test_a_middling_application_is_not_invest(ref):
    """Issue 15: a fit of 3 counted as "high", so a middling 3/3 application was "Investeren"."""
    assert ref.time.low_to < 3 < ref.time.high_from  # the shipped content has a middle band around 3
    assert time_label(3, 3, ref.time) == "review"
    assert time_label(4, 4, ref.time) == "invest" and time_label(2, 2, ref.time) == "eliminate"
    assert time_label(4, 2, ref.time) == "migrate" and time_label(2, 4, ref.time) == "tolerate"
    assert time_label(4, 3, ref.time) == "review" and time_label(3, 1, ref.time) == "review"
    assert time_label(None, 5, ref.time) == "onbekend" and time_label(float("nan"), 5, ref.time) == "onbekend"


RULES = st.tuples(st.integers(1, 4), st.integers(2, 5)).filter(lambda e: e[0] < e[1]).map(
    lambda e: TimeSettings(low_to=e[0], high_from=e[1]))
FIT = st.integers(1, 5)
# "worse" in TIME: leaving Invest, entering Eliminate, or swapping Migrate and Tolerate (which would mean the
# raised fit changed the other axis's verdict); Review sits between and may be entered or left
WORSE = {("invest", x) for x in ("migrate", "tolerate", "eliminate", "review")} | {
    (x, "eliminate") for x in ("invest", "migrate", "tolerate", "review")} | {("migrate", "tolerate"),
                                                                             ("tolerate", "migrate")}


@given(rule=RULES, b=FIT, tech=FIT, raise_business=st.booleans(), step=st.integers(1, 4))
def test_raising_a_fit_never_makes_the_suggestion_worse(rule, b, tech, raise_business, step):
    before = time_label(b, tech, rule)
    after = time_label(min(b + step, 5), tech, rule) if raise_business else time_label(b, min(tech + step, 5), rule)
    assert (before, after) not in WORSE


@given(rule=RULES, b=FIT, tech=FIT)
def test_review_exactly_when_a_fit_is_middling(rule, b, tech):
    middling = any(rule.low_to < f < rule.high_from for f in (b, tech))
    assert (time_label(b, tech, rule) == "review") == middling
    if not rule.has_middle:
        assert time_label(b, tech, rule) != "review"


def test_a_reference_with_only_high_from_keeps_its_old_meaning(tmp_path):
    """A content folder from before the middle band (only ``high_from``) loads, and means what it meant."""
    folder = data_copy(tmp_path, "landscape")
    path = folder / "reference.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["time"] = {"high_from": 3}
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    old = load_landscape_reference(folder)
    assert (old.time.low_to, old.time.high_from, old.time.has_middle) == (2, 3, False)
    assert time_label(3, 3, old.time) == "invest" and time_label(2, 3, old.time) == "tolerate"
    data.pop("time")  # no time block at all: the middle band of today's defaults
    other = data_copy(tmp_path / "other", "landscape")
    (other / "reference.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    assert load_landscape_reference(other).time == TimeSettings(low_to=2, high_from=4)


@pytest.mark.parametrize("time, message", [({"low_to": 3, "high_from": 3}, "low_to (3) moet kleiner zijn"),
                                           ({"low_to": 0, "high_from": 4}, "low_to"),
                                           ({"high_from": 6}, "high_from")])
def test_a_broken_time_rule_is_named_by_check_content(tmp_path, capsys, time, message):
    shutil.copytree(paths.data_dir() / "maturity", tmp_path / "maturity")
    for part in ("investment", "raters", "i18n"):
        shutil.copytree(paths.data_dir() / part, tmp_path / part)
    path = data_copy(tmp_path / "x", "landscape")
    shutil.move(str(path), tmp_path / "landscape")
    ref_file = tmp_path / "landscape" / "reference.yaml"
    data = yaml.safe_load(ref_file.read_text(encoding="utf-8"))
    data["time"] = time
    ref_file.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(ContentError):
        load_landscape_reference(tmp_path / "landscape")
    assert main(["check-content", str(tmp_path / "maturity")]) == 2
    err = capsys.readouterr().err
    assert "reference.yaml" in err and message in err and "Traceback" not in err


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_time_chart_shows_the_middle_band_only_when_there_is_one(po, ref, lang):
    an = analyse(po.landscape, ref, lang)
    with_band = time_quadrant(an.inventory, rule=ref.time, lang=lang)
    assert t("time_review", lang) in [tr.name for tr in with_band.data]  # the legend names the grey diamonds
    notes = " ".join((a.text or "").replace("<br>", " ") for a in with_band.layout.annotations)
    assert " ".join(t("land_time_band", lang, middle="3").split()) in " ".join(notes.split())
    assert len(with_band.layout.shapes) == 4 + 3  # four corners and the three pieces of the band's cross
    no_band = TimeSettings(low_to=2, high_from=3)
    old = an.inventory.assign(time=[time_label(b, tech, no_band) for b, tech in
                                    zip(an.inventory["business_fit"], an.inventory["technical_fit"])])
    plain = time_quadrant(old, rule=no_band, lang=lang)
    assert len(plain.layout.shapes) == 4
    assert not any(t("time_review", lang) in (a.text or "") for a in plain.layout.annotations)
    assert "review" not in set(old["time"])


def test_gaps_overlaps_and_cost_are_consistent(po, ref):
    an = analyse(po.landscape, ref)
    support = an.coverage.sum(axis=1)
    assert set(an.gaps) == set(support[support == 0].index)
    assert set(an.overlaps) == set(support[support > 1].index)
    for act, names in an.overlaps.items():
        assert all(act in next(a for a in po.landscape if a.name == n).activities for n in names)
    known = sum((a.cost_year or 0) + (a.cost_once or 0) / 5 for a in po.landscape
                if (a.cost_year is not None or a.cost_once is not None) and a.activities)
    assert an.cost["cost_per_year"].sum() == pytest.approx(known)
    unknown = [a.name for a in po.landscape if a.cost_year is None and a.cost_once is None]
    assert unknown and all(any(n in u for u in an.cost["unknown_cost"]) for n in unknown)


def test_cost_is_split_equally_over_the_areas_of_an_application(ref):
    app = Application(name="X", activities=["onderwijs.lesgeven", "bedrijfsvoering.financien"], cost_year=1000, cost_once=500)
    cost = cost_per_area([app], ref)
    assert cost.loc["onderwijs", "cost_per_year"] == cost.loc["bedrijfsvoering", "cost_per_year"] == pytest.approx(550)


def _proposal(**kw):
    base = dict(name="Nieuw", type="toetsing", goal="Beter toetsen", activities=["onderwijs.toetsen"],
                technical_fit="ja", maintenance="ja", data_objects=["rooster"], processing_agreement="nvt",
                cost_once=1000, cost_implementation=500, licence_year=2000, hours_year=10)
    return Proposal(**(base | kw))


def test_advice_rules(ref):
    assert advise(_proposal(), [], ref, hourly_rate=55, years=5).verdict == "ga_door"
    assert advise(_proposal(goal=" "), [], ref, hourly_rate=55, years=5).verdict == "niet_doen"
    assert advise(_proposal(data_objects=["cijfers"], processing_agreement="nee"), [], ref, hourly_rate=55, years=5).verdict == "niet_doen"
    assert advise(_proposal(data_objects=["cijfers"], processing_agreement="weet_niet"), [], ref, hourly_rate=55, years=5).verdict == "eerst_uitzoeken"
    assert advise(_proposal(technical_fit="weet_niet"), [], ref, hourly_rate=55, years=5).verdict == "eerst_uitzoeken"
    assert advise(_proposal(licence_year=None), [], ref, hourly_rate=55, years=5).verdict == "eerst_uitzoeken"
    existing = Application(name="OudToets", type="lvs", activities=["onderwijs.toetsen"])
    advice = advise(_proposal(), [existing], ref, hourly_rate=55, years=5)
    assert advice.verdict == "eerst_uitzoeken" and advice.equivalents == [("OudToets", ["onderwijs.toetsen"])]


def test_tco_over_five_years():
    p = _proposal()
    assert tco(p, 55, 5) == pytest.approx(1000 + 500 + 5 * (2000 + 10 * 55))
    assert math.isnan(tco(_proposal(hours_year=None), 55, 5))
    assert tco(_proposal(cost_once=0, cost_implementation=0, licence_year=0, hours_year=0), 55, 5) == 0


def test_raci_flags_for_missing_r_and_accountable(model):
    roles = load_roles_model()
    a = new_answers("Test", "po", "2026-2027", pupils=100, model=model)
    a.roles.assignments = {"vraag.doelen": {"directeur": "A", "im_coordinator": "A"},  # two A, no R
                           "aanbod.beheer": {"ict_coordinator": "R"}}  # no A
    kinds = {(f.kind, f.subject) for f in flags(a, roles)}
    assert ("no_responsible", "vraag.doelen") in kinds and ("accountable", "vraag.doelen") in kinds
    assert ("accountable", "aanbod.beheer") in kinds and ("no_responsible", "aanbod.beheer") not in kinds
    assert not any(k in ("mixed", "mixed_strong") for k, _ in kinds)


def test_hours_per_role_against_the_investment(po):
    check = hours_check(po)
    invested = sum(v.get(k) or 0 for v in po.investment.areas.values() for k in ("hours_im", "hours_ict"))
    assert check.roles_hours == sum(po.roles.hours.values())
    assert check.investment_hours == pytest.approx(invested)
    assert check.difference == pytest.approx(check.roles_hours - invested)


# --- files and bad input ----------------------------------------------------------------------------------

def test_inventory_round_trips_through_excel(tmp_path, po, ref):
    path = write_inventory(tmp_path / "apps.xlsx", po.landscape, ref)
    apps, problems = read_inventory(path.read_bytes(), path.name, ref)
    assert apps == po.landscape and problems == []


def test_bad_inventory_rows_are_named_and_valid_rows_kept(tmp_path, po, ref):
    path = write_inventory(tmp_path / "apps.xlsx", po.landscape[:3], ref)
    wb = load_workbook(path)
    ws = wb[t("inv_sheet", "nl")]
    ws["A3"] = ws["A2"].value                    # a duplicate name
    ws["B4"] = "spreadsheet"                     # an unknown type
    ws.append(["Nieuw", "las", "", "bestaat.niet", "", "", "heel duur"])   # unknown activity, cost as text
    ws.append(["Goed", "Toetssysteem", "", "Toetsen en beoordelen", "", "", "1.250,50"])  # labels and Dutch numbers
    ws["M1"] = "opmerking"                       # an extra column
    ws.delete_cols(9)                            # a missing column (gebruikers)
    wb.save(path)
    apps, problems = read_inventory(path.read_bytes(), path.name, ref)
    where = {p.where: p.message for p in problems}
    assert "staat ook in rij 2" in where["Applicaties!A3"]
    assert "spreadsheet" in where["Applicaties!B4"]
    assert "bestaat.niet" in where["Applicaties!D5"] and "geen getal" in where["Applicaties!G5"]
    assert any(m.startswith("kolom 'opmerking' is onbekend") for m in where.values())
    assert any("gebruikers" in m and "ontbreekt" in m for m in where.values())
    assert [a.name for a in apps] == [po.landscape[0].name, "Goed"]
    assert apps[1].type == "toetsing" and apps[1].activities == ["onderwijs.toetsen"] and apps[1].cost_year == 1250.5


def test_a_wrong_application_in_a_file_is_set_aside_the_rest_loads(tmp_path, model):
    doc = json.loads(PO_EXAMPLE.read_text(encoding="utf-8"))
    doc["landscape"][1]["cost_year"] = "veel"
    (tmp_path / "x.json").write_text(json.dumps(doc), encoding="utf-8")
    result = load_answers(tmp_path / "x.json", model)
    assert len(result.answers.landscape) == len(doc["landscape"]) - 1
    assert result.answers.set_aside["landscape"]["1"]["cost_year"] == "veel"
    assert any("landscape[1]" in p.where and "niet gebruikt" in p.message for p in result.problems)


def test_fast_lane_reads_files_with_a_landscape_like_the_full_parser(model):
    lane = FastLane(model, load_investment_model())
    fast = lane.read(PO_EXAMPLE.read_bytes())
    assert fast is not None and fast == as_document(load_answers(PO_EXAMPLE, model).answers)
    doc = json.loads(PO_EXAMPLE.read_text(encoding="utf-8"))
    doc["landscape"][0]["business_fit"] = 9  # out of range: the full parser must decide
    assert lane.read(json.dumps(doc).encode()) is None


def test_network_view_needs_five_schools(po, ref):
    doc = as_document(po)
    few = network_landscape([doc] * 4, ref)
    assert few["types"].empty and "Te weinig" in network_types(few, ref).layout.annotations[0].text
    many = network_landscape([doc] * 6, ref)
    las = many["types"].set_index("type").loc["las"]
    assert las["schools"] == 6 and las["share"] == 1.0
    assert many["register_once"].set_index("object").loc["facturen", "schools"] == 6


def test_coverage_heatmap_marks_gaps_and_overlaps(po, ref):
    an = analyse(po.landscape, ref)
    labels = list(coverage_heatmap(an.coverage, ref).data[0].y)
    assert sum(label.endswith("✕") for label in labels) == len(an.gaps)
    assert sum("(2×)" in label for label in labels) == len(an.overlaps)


# --- the apps ---------------------------------------------------------------------------------------------

def test_landscape_app_adds_an_application_and_updates_the_findings(tmp_path):
    from imworkbook.apps.landscape import NEW, applicaties

    app = applicaties("po", folder=tmp_path)
    assert "LeerlingAdmin" in app.findings.value
    app.apps.value = NEW
    app.f_name.value = "Tweede LAS"
    app.f_type.value = "las"
    app.f_masters.value = ("leerlinggegevens",)
    app.f_cost_year.value = "1.000"
    app.save_button.click()
    saved = json.loads(app.session.path.read_text(encoding="utf-8"))
    assert saved["landscape"][-1]["name"] == "Tweede LAS" and saved["landscape"][-1]["cost_year"] == 1000
    assert "Leerlinggegevens: vastgelegd in" in app.findings.value and "Leerlinggegevens wordt" not in app.findings.value
    app.f_cost_year.value = "veel"
    app.save_button.click()
    assert "geen getal" in app.field_msgs["cost_year"].value and app.f_cost_year.value == "veel"
    path = app.export()
    assert read_inventory(path.read_bytes(), path.name)[0][-1].name == "Tweede LAS"


def test_proposal_app_saves_the_advice_with_the_school(tmp_path):
    from imworkbook.apps.proposals import NEW, nieuwe_app

    app = nieuwe_app("po", folder=tmp_path)
    assert app.advice.verdict == "eerst_uitzoeken" and "KlasOuderApp" in app.existing.value
    app.pick.value = NEW
    app.f_name.value = "Rekentuin-achtige app"
    app.f_goal.value = "Rekenen oefenen op niveau"
    app.f_activities.value = ("onderwijs.leermiddelen",)
    assert "Leerplein" in app.existing.value
    app.save_button.click()
    saved = json.loads(app.session.path.read_text(encoding="utf-8"))["proposals"]
    assert saved[-1]["name"] == "Rekentuin-achtige app" and saved[-1]["advice"] == "eerst_uitzoeken"
    assert app.printable().read_text(encoding="utf-8").count("Eerst uitzoeken") == 1


def test_roles_app_saves_a_letter_and_updates_the_flags(tmp_path):
    from imworkbook.apps.roles import rollen

    app = rollen("po", folder=tmp_path)
    assert "IM-coördinator heeft zowel vraagtaken" in app.flags.value
    for (task, role), cell in app.cells.items():  # take the supply tasks away from the IM coordinator
        if role == "im_coordinator" and task.startswith("aanbod.") and cell.value == "R":
            cell.value = ""
    assert "IM-coördinator heeft zowel" not in app.flags.value
    saved = json.loads(app.session.path.read_text(encoding="utf-8"))["roles"]["assignments"]
    assert "im_coordinator" not in saved["aanbod.beheer"]
    app.hours["directeur"].value = "veel"
    assert "geen getal" in app.hours_msgs["directeur"].value and app.hours["directeur"].value == "veel"


def test_facilitator_sees_the_network_view_of_the_example_network(tmp_path):
    from imworkbook.apps.landscape import applicaties

    app = applicaties("po", folder=tmp_path)
    app.show_network()  # the committed example network: 40 schools with an inventory in the last round
    fig = app.figs["network"]
    assert "40 scholen" in fig.layout.title.text
    shares = dict(zip(fig.data[0].y, fig.data[0].x))
    assert shares["LAS (leerlingadministratie)"] == 100
    assert any("Facturen" in y for y in fig.data[1].y)  # some schools register invoices twice
    assert "<table" in app.table.value and "LeerlingAdmin" in app.table.value


def test_second_example_proposal_is_refused_without_a_processing_agreement(ref):
    vo = load_answers(VO_EXAMPLE).answers
    proposal = vo.proposals[0]
    advice = advise(proposal, vo.landscape, ref, hourly_rate=55, years=5)
    assert advice.verdict == proposal.advice == "niet_doen"
    assert any("verwerkersovereenkomst" in r for r in advice.reasons)


@pytest.mark.parametrize("lang", ["nl", "en"])
@pytest.mark.parametrize("value", [0, 0.5, 1.125, 12.5, 1800, 2300, 1250.5, 1000.125, 1234567.25])
def test_a_number_shown_in_a_field_reads_back_as_the_same_number(lang, value):
    from imworkbook.base.numbers import format_input, parse_number

    assert parse_number(format_input(value, lang)) == value
    assert format_input(2300, "en") == "2300" and format_input(2300, "nl") == "2.300"


def test_saving_an_application_in_english_keeps_its_cost(tmp_path):
    """'2,300' on an English page used to be saved back as 2.3 (Dutch decimal comma)."""
    from imworkbook.apps.landscape import applicaties

    app = applicaties("po", folder=tmp_path, lang="en")
    before = app.current()
    app.f_note.value = "checked"
    app.save_button.click()
    after = app.current()
    assert after.note == "checked" and (after.cost_year, after.users) == (before.cost_year, before.users)
    assert not app.errors
