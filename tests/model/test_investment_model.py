"""Issue 15.3, an investment model a school can fill in honestly: the allocation guide, three required numbers with
an optional breakdown (and the schema-3 migration), absolute figures, the levy, plausibility relative to size and
a verdict that can say "everything is underfunded"."""

import json
import math
import shutil

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from imworkbook.io.reading import load_answers
from imworkbook.io.session import Session
from imworkbook.io.writing import dumps_answers
from imworkbook.model.answers import SCHEMA_VERSION, new_answers, school_identity
from imworkbook.model.content import (REQUIRED_FIELDS, investment_problems, load_allocation, load_investment_model,
                                      load_model)
from imworkbook.analysis.network import network_frames
from imworkbook.analysis.proportion import checks, compute, investment_eur
from imworkbook.base.errors import ContentError

from ..conftest import PO_EXAMPLE, REPO, VO_EXAMPLE

OLD_FILE = REPO / "tests" / "fixtures" / "de-regenboog_schema2.json"  # De Regenboog as written by schema 2
PROPERTY = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@pytest.fixture(scope="module")
def inv():
    return load_investment_model()


def _school(model, areas: dict, pupils=230, sector="po", **investment):
    a = new_answers("Rekenschool", sector, "2026-2027", pupils=pupils, model=model)
    a.investment.areas = {k: dict(v) for k, v in areas.items()}
    for key, value in investment.items():
        setattr(a.investment, key, value)
    return a


def _three(hours_im=10, hours_ict=10, money=1000, ambition=3, **more):
    return {"ambition": ambition, "hours_im": hours_im, "hours_ict": hours_ict, "money_per_year": money, **more}


# --- 1. the allocation guide ----------------------------------------------------------------------

def test_allocation_guide_covers_the_common_systems_and_every_key_adds_up(model):
    alloc = load_allocation()
    ids = {i.id for i in alloc.items}
    assert {"las", "elo", "administratie", "ibp"} <= ids
    areas = {a.id for a in model.areas}
    for item in alloc.items:
        if item.exclude:
            assert item.key == {}
        else:
            assert sum(item.key.values()) == pytest.approx(1) and set(item.key) <= areas
    las = next(i for i in alloc.items if i.id == "las")
    assert len(las.key) > 1  # the LAS licence is spread, never booked on one area
    assert investment_problems(load_investment_model(), alloc, model) == []


@pytest.mark.parametrize("change, message", [
    (lambda d: d["items"][0]["key"].__setitem__("gegevens", 0.9), "tellen op tot"),
    (lambda d: d["items"][-1].__setitem__("key", {"visie": 1.0}), "exclude: true heeft geen key"),
    (lambda d: d["items"].append(dict(d["items"][0])), "dubbel id: las"),
])
def test_a_broken_allocation_file_is_refused_with_the_place_and_the_reason(investment_copy, change, message):
    import yaml

    path = investment_copy / "allocation.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(ContentError, match=message):
        load_allocation(investment_copy)


def test_check_content_names_an_allocation_key_for_an_area_that_does_not_exist(investment_copy, model):
    import yaml

    path = investment_copy / "allocation.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["items"][0]["key"] = {"gegevens": 0.5, "bestaat_niet": 0.5}
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    problems = investment_problems(load_investment_model(investment_copy),
                                   load_allocation(investment_copy), model)
    assert [(p.file, p.where) for p in problems] == [("investment/allocation.yaml", "items › las › key")]
    assert "bestaat_niet" in problems[0].message


# --- 2. fewer required numbers, and the migration of old files --------------------------------------

def test_three_numbers_per_area_are_required_the_rest_is_optional(inv, model):
    assert REQUIRED_FIELDS == ("hours_im", "hours_ict", "money_per_year")
    assert [f.id for f in inv.fields if f.required] == list(REQUIRED_FIELDS)
    required_before = len([f for f in inv.fields if f.in_euros])  # schema 2: every euro field was needed
    assert len(model.areas) * len(REQUIRED_FIELDS) < len(model.areas) * required_before
    r = compute(_school(model, {"visie": _three()}), model, inv).table
    assert r.loc["visie", "complete"] and r.loc["visie", "invest_eur"] == 20 * 55 + 1000


def _leaves(value, path=()):
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _leaves(v, (*path, k))
    elif isinstance(value, list):
        for n, v in enumerate(value):
            yield from _leaves(v, (*path, n))
    else:
        yield path, value


def _get(doc, path):
    for key in path:
        doc = doc[key]
    return doc


def _assert_nothing_dropped(old: dict, new: dict) -> None:
    """Every value of the old file is in the new one at the same place (schema 4 renames nothing)."""
    for path, value in _leaves(old):
        if path == ("schema_version",):
            continue
        assert _get(new, path) == value, f"{' › '.join(map(str, path))} ging verloren of veranderde"


def test_an_old_schema_2_file_loads_keeps_every_value_and_gives_the_same_figures(tmp_path, model, inv):
    old = json.loads(OLD_FILE.read_text(encoding="utf-8"))
    assert old["schema_version"] == 2
    path = tmp_path / OLD_FILE.name
    shutil.copy(OLD_FILE, path)
    result = load_answers(path, model)
    # the file was answered on question set 1.0; its items go through the mapping to 2.0 with remarks of their own
    # (tests/model/test_question_set_versions.py); here: the investment and the rest of the file
    assert [p for p in result.problems if not p.where.startswith(("answers ›", "model ›"))] == []
    new = json.loads(dumps_answers(result.answers))
    assert new["schema_version"] == SCHEMA_VERSION == 4
    old_rest = {k: v for k, v in old.items() if k not in ("answers", "model")}
    _assert_nothing_dropped(old_rest, new)
    assert new["investment"]["levy_eur"] is None and new["investment"]["levy_attribution"] is None
    # the numbers mean what they meant: the old formula (all fields, support hours at the hourly rate)
    table = compute(result.answers, model, inv).table
    for area_id, v in old["investment"]["areas"].items():
        hours = v["hours_im"] + v["hours_ict"] + v["hours_other"] + v["support_hours"]
        money = (v["one_off_cost"] + v["implementation_cost"]) / v.get("depreciation_years", 5) \
            + v["licence_per_year"] + v["external_per_year"]
        assert table.loc[area_id, "invest_eur"] == pytest.approx(hours * 55 + money)
    # and it saves as schema 4 with everything still in it
    session = Session.open(path, model)
    session.set_investment("visie", "note", "bijgewerkt")
    saved = json.loads(path.read_text(encoding="utf-8"))
    assert saved["schema_version"] == 4 and saved["investment"]["areas"]["visie"]["note"] == "bijgewerkt"
    _assert_nothing_dropped({k: v for k, v in old_rest.items() if k != "saved_at"}, saved)


def test_the_migration_check_fails_when_a_value_is_dropped():
    old = json.loads(OLD_FILE.read_text(encoding="utf-8"))
    new = json.loads(OLD_FILE.read_text(encoding="utf-8"))
    del new["investment"]["areas"]["visie"]["tooling"]
    with pytest.raises(KeyError):
        _assert_nothing_dropped(old, new)
    new = json.loads(OLD_FILE.read_text(encoding="utf-8"))
    new["investment"]["areas"]["privacy"]["support_hours"] = 0.0
    with pytest.raises(AssertionError, match="support_hours"):
        _assert_nothing_dropped(old, new)


V2_VALUE = st.one_of(st.none(), st.integers(0, 5000), st.floats(0, 5000, allow_nan=False).map(lambda v: round(v, 2)))


@PROPERTY
@given(data=st.data())
def test_any_schema_2_investment_keeps_every_value_after_migration(tmp_path_factory, model, inv, data):
    old = json.loads(OLD_FILE.read_text(encoding="utf-8"))
    areas = {}
    for area in model.areas:
        if data.draw(st.booleans()):
            fields = data.draw(st.lists(st.sampled_from([f.id for f in inv.fields if f.id != "money_per_year"
                                                         and f.unit not in ("years", "choice")]), unique=True))
            areas[area.id] = {f: data.draw(V2_VALUE) for f in fields}
            if data.draw(st.booleans()):
                areas[area.id]["tooling"] = data.draw(st.sampled_from([0, 1, 2, None]))
            if data.draw(st.booleans()):
                areas[area.id]["depreciation_years"] = data.draw(st.sampled_from([1, 3, 5.5, None]))
            if data.draw(st.booleans()):
                areas[area.id]["note"] = data.draw(st.text(max_size=30))
            if data.draw(st.booleans()):
                areas[area.id]["ambition"] = data.draw(st.sampled_from([1, 2, 3, 4, 5, None]))
    old["investment"] = {"hourly_rate": data.draw(st.sampled_from([None, 48.5, 70])),
                         "staff_fte": data.draw(st.sampled_from([None, 12.3])), "areas": areas}
    path = tmp_path_factory.mktemp("v2") / "oud.json"
    path.write_text(json.dumps(old), encoding="utf-8")
    result = load_answers(path, model)
    assert [p for p in result.problems if p.severity in ("error", "warning")] == []
    # (the file's items were answered on question set 1.0: they go through the mapping, tested on its own)
    _assert_nothing_dropped({k: v for k, v in old.items() if k not in ("answers", "model")},
                            json.loads(dumps_answers(result.answers)))


# --- 3. absolute figures ------------------------------------------------------------------------------

@PROPERTY
@given(pupils=st.integers(20, 3000), hours=st.integers(0, 400), money=st.integers(0, 50_000))
def test_per_pupil_and_hours_per_100_pupils(model, inv, pupils, hours, money):
    r = compute(_school(model, {"visie": _three(hours, hours, money)}, pupils=pupils), model, inv)
    row = r.table.loc["visie"]
    assert row["invest_per_pupil"] == pytest.approx((2 * hours * 55 + money) / pupils)
    assert row["hours_per_100"] == pytest.approx(2 * hours / pupils * 100)
    assert row["ref_per_pupil"] == inv.reference.per_pupil["po"]["visie"]
    assert r.overall["hours_per_100"] == pytest.approx(2 * hours / pupils * 100)


def test_absolute_figures_are_in_the_board_report_in_both_languages(model):
    from imworkbook.report.board import board_report

    answers = load_answers(PO_EXAMPLE, model).answers
    table = compute(answers, model).table
    nl = board_report(answers, model, lang="nl").html
    en = board_report(answers, model, lang="en").html
    assert "Per leerling" in nl and "Uren per 100 leerlingen" in nl and "grove referentie" in nl
    assert "Per pupil" in en and "Hours per 100 pupils" in en and "rough reference" in en
    from imworkbook.base.i18n import format_number
    from imworkbook.base.numbers import format_euro
    row = table.loc["gegevens"]
    assert f"<td class='n'>{format_euro(row['invest_per_pupil'], 'nl')}</td>" in nl
    assert f"<td class='n'>{format_number(row['hours_per_100'], 'nl', 0)}</td>" in nl


# --- 4. the levy --------------------------------------------------------------------------------------

@PROPERTY
@given(levy=st.integers(0, 100_000), hours=st.lists(st.integers(0, 200), min_size=8, max_size=8),
       attribution=st.sampled_from(["support_hours", "even"]))
def test_the_levy_is_spread_over_the_areas_and_adds_up(model, inv, levy, hours, attribution):
    areas = {a.id: _three(support_hours=h) for a, h in zip(model.areas, hours)}
    r = compute(_school(model, areas, levy_eur=levy, levy_attribution=attribution), model, inv).table
    assert r["resources_eur"].sum() == pytest.approx(levy)  # all of it, and no more
    if attribution == "support_hours" and sum(hours):
        assert r["resources_eur"].tolist() == pytest.approx([levy * h / sum(hours) for h in hours])
    else:
        assert r["resources_eur"].tolist() == pytest.approx([levy / len(areas)] * len(areas))


def test_without_a_levy_the_board_support_counts_at_the_hourly_rate_never_as_free(model, inv):
    areas = {"privacy": _three(support_hours=40)}
    without = compute(_school(model, areas), model, inv).table.loc["privacy"]
    assert without["resources_eur"] == 40 * 55
    known = compute(_school(model, areas, levy_eur=1000.0), model, inv).table.loc["privacy"]
    assert known["resources_eur"] == pytest.approx(1000 / 1)  # the only area with support hours gets it all
    assert "afdracht" in inv.field("support_hours").help("nl") and "gratis" not in inv.field("support_hours").label("nl")


def test_the_network_uses_the_same_figures_as_the_school(model, inv):
    """One rule (proportion.investment_eur): the network's € per pupil per area equals the school's own, with
    its own hourly rate and levy."""
    docs, own = [], {}
    for n, path in enumerate([PO_EXAMPLE, VO_EXAMPLE]):
        answers = load_answers(path, model).answers
        if n == 0:
            answers.investment.hourly_rate = 62.0
            answers.investment.levy_attribution = "even"
        docs.append(json.loads(dumps_answers(answers)))
        own[school_identity(answers.school.code, answers.school.name, answers.school.location)] = \
            compute(answers, model, inv).table["invest_per_pupil"]
    areas = network_frames(docs, model, inv).areas
    for code, series in own.items():
        mine = areas[areas["key"] == code].set_index("area_id")["invest_per_pupil"].reindex(series.index)
        assert mine.tolist() == pytest.approx(series.tolist(), nan_ok=True)


def test_investment_eur_spreads_a_levy_per_school_in_one_frame():
    import pandas as pd

    x = pd.DataFrame({"hours_im": [1, 1, 1], "hours_ict": [0, 0, 0], "money_per_year": [0, 0, 0],
                      "support_hours": [10, 30, 5]})
    out = investment_eur(x, 50, 5, levy=pd.Series([400, 400, 90]), school=pd.Series([0, 0, 1]))
    assert out["resources_eur"].tolist() == pytest.approx([100, 300, 90])


# --- 5. plausibility relative to the size of the school ----------------------------------------------

def test_the_same_amount_is_a_typo_at_a_small_school_and_normal_at_a_large_one(model, inv):
    areas = {"applicatielandschap": _three(money=30_000)}
    small = _school(model, areas, pupils=120)
    large = _school(model, areas, pupils=1500, sector="vo")
    flagged = {(a, f) for a, f, _ in checks(small, compute(small, model, inv), inv)}
    assert ("applicatielandschap", "invest_eur") in flagged
    assert not [c for c in checks(large, compute(large, model, inv), inv) if c[1] == "invest_eur"]


@PROPERTY
@given(pupils=st.integers(20, 3000), per_pupil=st.floats(1, 400), sector=st.sampled_from(["po", "vo"]))
def test_the_per_pupil_check_fires_exactly_above_the_threshold_in_content(model, inv, pupils, per_pupil, sector):
    limit = inv.plausibility.max_eur_per_pupil_area[sector]
    assume(abs(per_pupil - limit) > 1e-6)  # not on the line itself (floating point)
    school = _school(model, {"visie": _three(0, 0, per_pupil * pupils)}, pupils=pupils, sector=sector)
    warned = any(a == "visie" and f == "invest_eur" for a, f, _ in checks(school, compute(school, model, inv), inv))
    assert warned == (per_pupil > limit)


def test_hours_are_checked_against_the_staff_of_this_school(model, inv):
    areas = {"visie": _three(hours_im=600, hours_ict=0)}
    small = _school(model, areas, pupils=100)  # 6.5 fte: 600 hours is 5.6% of all staff hours
    big = _school(model, areas, pupils=1000)
    assert any(f == "hours" for _, f, _m in checks(small, compute(small, model, inv), inv))
    assert not any(f == "hours" for _, f, _m in checks(big, compute(big, model, inv), inv))


def test_a_breakdown_that_disagrees_with_the_total_is_named(model, inv):
    school = _school(model, {"visie": _three(money=1000, licence_per_year=2000, external_per_year=0, one_off_cost=0,
                                               implementation_cost=0)})
    result = compute(school, model, inv)
    assert result.table.loc["visie", "money_eur"] == 1000  # the total counts
    assert any(f == "money_per_year" and "€ 2.000" in m for _a, f, m in checks(school, result, inv))


# --- 6. a verdict that can say "everything is underfunded" ---------------------------------------------

@PROPERTY
@given(scale=st.floats(0.01, 10), ambitions=st.lists(st.integers(1, 5), min_size=8, max_size=8))
def test_everything_underfunded_or_overfunded_is_said_while_the_shares_stay_in_balance(model, inv, scale,
                                                                                          ambitions):
    """A school that spends in exact proportion to its ambition is 'in balans' in every area, whatever it
    spends; the verdict on the whole follows the euros per pupil against the rough reference."""
    pupils = 200
    ref = inv.reference.per_pupil["po"]
    total = scale * sum(ref.values()) * pupils
    areas = {a.id: _three(0, 0, total * amb / sum(ambitions), ambition=amb) for a, amb in zip(model.areas, ambitions)}
    result = compute(_school(model, areas, pupils=pupils), model, inv)
    assert (result.table["flag"] == "balans").all()
    ratio = result.overall["abs_ratio"]
    assert ratio == pytest.approx(scale)
    expected = "alles_onder" if ratio < inv.reference.under else "alles_over" if ratio > inv.reference.over \
        else "verhouding"
    assert result.overall["verdict"] == expected
    if expected == "alles_onder":
        assert "Alles ondergefinancierd" in result.overall["verdict_text"] and result.overall["verdict_text"] in \
            result.messages


def test_the_verdict_is_unknown_without_pupils_or_without_an_area_to_judge(model, inv):
    assert compute(_school(model, {"visie": _three()}, pupils=None), model, inv).overall["verdict"] == "onbekend"
    assert compute(_school(model, {}), model, inv).overall["verdict"] == "onbekend"


def test_the_reference_is_labelled_as_a_rough_assumption_in_both_languages(inv):
    assert "aanname" in inv.reference.label("nl") and "geen norm" in inv.reference.label("nl")
    assert "assumption" in inv.reference.label("en")
    for sector in ("po", "vo"):
        assert set(inv.reference.per_pupil[sector]) == {a.id for a in load_model().areas}


def test_tools_in_order_has_every_value_defined(inv):
    tooling = inv.field("tooling")
    assert [c.value for c in tooling.choices] == [0, 1, 2]
    for c in tooling.choices:
        assert c.description("nl") and c.description("en") and c.label("nl") != c.label("en")


def test_merging_raters_keeps_the_levy_one_of_them_filled_in(model):
    from imworkbook.analysis.merge import Rater, merge

    from ..analysis.test_merge import _raters

    raters = _raters(model)
    for r in raters:
        r.answers.investment.levy_eur = r.answers.investment.levy_attribution = None
    raters[1].answers.investment.levy_eur = 3100.0
    raters[1].answers.investment.levy_attribution = "even"
    merged = merge(raters, model)
    assert merged.investment.levy_eur == 3100.0 and merged.investment.levy_attribution == "even"
    assert Rater  # the public class the raters are made of


def test_the_bars_say_what_the_money_and_the_resources_are(model):
    from imworkbook.figures.proportion import investment_bars

    answers = load_answers(PO_EXAMPLE, model).answers
    table = compute(answers, model).table
    fig = investment_bars(table)
    money, resources = ([row[1] for row in fig.data[n].customdata] for n in (1, 2))
    order = list(table.index)
    assert money[order.index("visie")].startswith("licenties en diensten")  # entered as a total
    assert money[order.index("sturing")].startswith("eenmalig")  # entered as a breakdown
    assert resources[order.index("privacy")].startswith("deel van de afdracht")  # the levy pays for it
