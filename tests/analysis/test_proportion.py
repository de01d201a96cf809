"""The investment-proportion model: the README's worked example, properties, bad input."""

import json
import math
import re
import warnings

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from imworkbook.analysis.proportion import MONEY_FIELDS, checks, compute
from imworkbook.io.reading import load_answers
from imworkbook.io.session import Session
from imworkbook.model.answers import SCHEMA_VERSION, new_answers
from imworkbook.model.content import load_investment_model

from ..conftest import PO_EXAMPLE, REPO, VO_EXAMPLE

EURO_FIELDS = ["hours_im", "hours_ict", "hours_other", "one_off_cost", "implementation_cost",
               "licence_per_year", "external_per_year", "support_hours"]


@pytest.fixture(scope="module")
def inv():
    return load_investment_model()


def _school(model, areas: dict, pupils=230):
    a = new_answers("Rekenschool", "po", "2026-2027", pupils=pupils, model=model)
    a.investment.areas = {k: dict(v) for k, v in areas.items()}
    return a


WORKED = {  # README: "Rekenvoorbeeld"
    "applicatielandschap": dict(ambition=5, hours_im=20, hours_ict=60, hours_other=10, one_off_cost=6000,
                                depreciation_years=4, implementation_cost=2000, licence_per_year=1200,
                                external_per_year=1500, support_hours=10),
    "privacy": dict(ambition=2, hours_im=40, hours_ict=40, hours_other=30, one_off_cost=0, implementation_cost=0,
                    licence_per_year=600, external_per_year=3500, support_hours=24),
}


def test_worked_example_matches_the_formulas_and_the_readme(model, inv):
    r = compute(_school(model, WORKED), model, inv).table
    rate = inv.settings.hourly_rate
    a_inv = 90 * rate + (6000 + 2000) / 4 + 1200 + 1500 + 10 * rate
    b_inv = 110 * rate + 600 + 3500 + 24 * rate
    assert r.loc["applicatielandschap", "invest_eur"] == pytest.approx(a_inv)
    assert r.loc["privacy", "invest_eur"] == pytest.approx(b_inv)
    share_a, share_b = a_inv / (a_inv + b_inv), b_inv / (a_inv + b_inv)
    idx_a, idx_b = share_a / (5 / 7), share_b / (2 / 7)
    assert r.loc["applicatielandschap", "index"] == pytest.approx(idx_a)
    assert r.loc["privacy", "index"] == pytest.approx(idx_b)
    assert (r.loc["applicatielandschap", "flag"], r.loc["privacy", "flag"]) == ("onder", "over")
    overall = compute(_school(model, WORKED), model, inv).overall["index"]
    assert overall == pytest.approx(min(share_a, 5 / 7) + min(share_b, 2 / 7))
    assert math.isnan(r.loc["visie", "invest_eur"]) and r.loc["visie", "flag"] == "onbekend"
    # the README states these results
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("### Rekenvoorbeeld"):]
    for number in (a_inv, b_inv):
        assert f"{number:,.0f}".replace(",", ".") in section
    for number in (idx_a, idx_b, overall):
        assert f"{number:.2f}".replace(".", ",") in section


def test_example_schools_show_every_kind_of_finding(model, inv):
    r = compute(load_answers(PO_EXAMPLE, model).answers, model, inv).table
    assert set(r["flag"]) == {"onder", "balans", "over"}
    assert r["ambition_without_means"].any()
    assert all(isinstance(e, str) and r.loc[i, "area"] in e for i, e in r["explanation"].items())


@pytest.mark.parametrize("path", [PO_EXAMPLE, VO_EXAMPLE], ids=["po", "vo"])
def test_example_schools_are_realistic_for_their_size(model, inv, path):
    """Issue 15: € 198 per pupil on IM alone was too high. The examples pass the plausibility checks relative to
    their size, and the whole lies within the rough reference band (no 'alles onder/over')."""
    answers = load_answers(path, model).answers
    result = compute(answers, model, inv)
    size_checks = [c for c in checks(answers, result, inv) if c[1] in ("hours", "invest_eur", "money_per_year")]
    assert size_checks == []
    assert result.overall["verdict"] == "verhouding"
    assert inv.reference.under < result.overall["abs_ratio"] < inv.reference.over
    assert answers.investment.levy_eur  # the board's support is paid through the levy, not 'gratis'
    # no licence booked entirely on one area: every area's money stays under the per-area plausibility line
    per_area = result.table["money_eur"].fillna(0) / answers.school.pupils
    assert (per_area < inv.plausibility.max_eur_per_pupil_area[answers.school.sector]).all()


LEVELS = st.one_of(st.none(), st.floats(0, 500, allow_nan=False).map(lambda v: round(v, 1)))


@st.composite
def schools(draw, model):
    areas = {}
    for area in model.areas:
        if draw(st.booleans()):
            values = {f: draw(LEVELS) for f in EURO_FIELDS}
            values["ambition"] = draw(st.one_of(st.none(), st.integers(1, 5)))
            areas[area.id] = values
    return areas


def _scaled(areas, factor):
    return {a: {k: (v * factor if (k != "ambition" and v is not None) else v) for k, v in values.items()}
            for a, values in areas.items()}


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_doubling_every_investment_changes_no_share_or_flag(model, inv, data):
    areas = data.draw(schools(model))
    one = compute(_school(model, areas), model, inv).table
    two = compute(_school(model, _scaled(areas, 2)), model, inv).table
    for col in ("share_invest", "share_ambition", "index"):
        assert ((one[col] - two[col]).abs().fillna(0) < 1e-9).all() and (one[col].isna() == two[col].isna()).all()
    assert (one["flag"] == two["flag"]).all()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_unknown_stays_unknown_and_never_breaks_arithmetic(model, inv, data):
    areas = data.draw(schools(model))
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no division-by-zero or invalid-value warnings either
        r = compute(_school(model, areas), model, inv).table
    for area_id, row in r.iterrows():
        values = areas.get(area_id, {})
        # the three required numbers: hours IM, hours ICT and money (the total, here always empty, else the
        # breakdown of four amounts); the optional fields (hours other, support hours) never make it unknown
        if any(values.get(f) is None for f in ("hours_im", "hours_ict", *MONEY_FIELDS)):
            assert math.isnan(row["invest_eur"]) and math.isnan(row["index"]) and row["flag"] == "onbekend"
        else:
            assert not math.isnan(row["invest_eur"])
        if row["flag"] != "onbekend":
            assert row["share_invest"] >= 0 and row["share_ambition"] > 0


def test_zero_total_investment_has_a_defined_result_and_a_message(model, inv):
    zero = {f: 0 for f in EURO_FIELDS}
    result = compute(_school(model, {"visie": zero | {"ambition": 3}, "rollen": zero | {"ambition": 5}}), model, inv)
    assert list(result.table.loc[["visie", "rollen"], "flag"]) == ["onder", "onder"]
    assert list(result.table.loc[["visie", "rollen"], "index"]) == [0.0, 0.0]
    assert result.overall["index"] == 0.0
    assert any("investeert" in m and "niets" in m for m in result.messages)


def test_no_ambition_has_a_defined_result_and_a_message(model, inv):
    result = compute(_school(model, {"visie": {f: 10 for f in EURO_FIELDS}}), model, inv)
    assert math.isnan(result.overall["index"]) and result.table.loc["visie", "flag"] == "onbekend"
    assert result.messages and "belang" in result.messages[0]
    assert "belang is nog niet ingevuld" in result.table.loc["visie", "explanation"]


@pytest.mark.parametrize("delta, flag_a", [(0.0, "balans"), (-1e-6, "onder")])
def test_flags_flip_exactly_at_the_configured_thresholds(model, inv, delta, flag_a):
    custom = inv.model_copy(update={"thresholds": inv.thresholds.model_copy(update={"under": 0.5, "over": 1.5})})
    zero = {f: 0 for f in EURO_FIELDS}
    # same ambition: index_a = 2a / (a + b); a = 1, b = 3 gives exactly 0.5 and 1.5
    areas = {"visie": zero | {"ambition": 3, "licence_per_year": 1000 * (1 + delta)},
             "rollen": zero | {"ambition": 3, "licence_per_year": 3000}}
    r = compute(_school(model, areas), model, custom).table
    assert r.loc["visie", "flag"] == flag_a
    assert r.loc["rollen", "flag"] == ("balans" if delta == 0 else "over")


def test_thresholds_come_from_content_not_code(model, inv):
    areas = {"visie": {f: 0 for f in EURO_FIELDS} | {"ambition": 3, "licence_per_year": 1000},
             "rollen": {f: 0 for f in EURO_FIELDS} | {"ambition": 3, "licence_per_year": 1200}}
    loose = compute(_school(model, areas), model, inv).table["flag"].tolist()
    strict = inv.model_copy(update={"thresholds": inv.thresholds.model_copy(update={"under": 0.95, "over": 1.05})})
    tight = compute(_school(model, areas), model, strict).table["flag"].tolist()
    assert loose[:2] == ["balans", "balans"] and tight[:2] == ["onder", "over"]


def test_what_if_overrides_move_index_without_touching_answers(model, inv):
    answers = load_answers(PO_EXAMPLE, model).answers
    before = answers.model_dump_json()
    base = compute(answers, model, inv).table
    what_if = compute(answers, model, inv, overrides={"rollen": {"invest_eur": 8000}}).table
    assert what_if.loc["rollen", "index"] > base.loc["rollen", "index"]
    assert answers.model_dump_json() == before


def test_hourly_rate_of_the_school_is_used(model, inv):
    areas = {"visie": {f: 0 for f in EURO_FIELDS} | {"hours_im": 10, "ambition": 3}}
    school = _school(model, areas)
    assert compute(school, model, inv).table.loc["visie", "time_eur"] == 10 * inv.settings.hourly_rate
    school.investment.hourly_rate = 70
    assert compute(school, model, inv).table.loc["visie", "time_eur"] == 700


def test_per_pupil_is_unknown_without_pupils(model, inv):
    areas = {"visie": {f: 1 for f in EURO_FIELDS} | {"ambition": 3}}
    assert math.isnan(compute(_school(model, areas, pupils=None), model, inv).table.loc["visie", "invest_per_pupil"])


# --- input and bad input ------------------------------------------------------------------

def test_session_accepts_dutch_and_english_numbers(tmp_path, model):
    s = Session.create("De Linde", "po", "2026-2027", folder=tmp_path, model=model)
    s.set_investment("visie", "licence_per_year", "1.250,50")
    s.set_investment("visie", "external_per_year", "1250.50")
    s.set_investment("visie", "ambition", 4)
    saved = json.loads(s.path.read_text(encoding="utf-8"))["investment"]["areas"]["visie"]
    assert saved == {"licence_per_year": 1250.5, "external_per_year": 1250.5, "ambition": 4}


@pytest.mark.parametrize("value, message", [
    ("veel", "geen getal"), ("-5", "mag niet negatief zijn"), (-5, "mag niet negatief zijn"),
    ("2.000.000.000", "onmogelijk groot"), (True, "geen getal"),
])
def test_session_rejects_bad_numbers_in_dutch_and_keeps_the_file(tmp_path, model, value, message):
    s = Session.create("De Linde", "po", "2026-2027", folder=tmp_path, model=model)
    s.set_investment("visie", "licence_per_year", 100)
    before = s.path.read_bytes()
    with pytest.raises(ValueError, match=message):
        s.set_investment("visie", "licence_per_year", value)
    assert s.path.read_bytes() == before


def test_implausible_values_give_warnings_not_errors(tmp_path, model, inv):
    areas = {"visie": {f: 0 for f in EURO_FIELDS} | {"ambition": 3, "hours_other": 100_000,
                                                    "licence_per_year": 20_000_000, "fte_formal": 0}}
    school = _school(model, areas, pupils=200)
    found = checks(school, compute(school, model, inv), inv)
    kinds = {(a, f) for a, f, _ in found}
    assert ("visie", "hours") in kinds and ("visie", "invest_eur") in kinds and ("visie", "fte_formal") in kinds
    assert (None, "invest_eur") in kinds  # and the whole school: more per pupil than all of ICT usually costs
    assert any("van alle uren van het personeel" in m for _, _, m in found)


def test_schema_1_file_loads_with_investment_unknown_and_saves_as_the_current_schema(tmp_path, model):
    data = json.loads(PO_EXAMPLE.read_text(encoding="utf-8"))
    data["schema_version"] = 1
    del data["investment"]
    path = tmp_path / "oud.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    result = load_answers(path, model)
    assert result.problems == [] and result.answers.investment.areas == {}
    assert len(result.answers.answers) == model.n_items  # nothing of the old file lost
    r = compute(result.answers, model)
    assert (r.table["flag"] == "onbekend").all()
    s = Session.open(path, model)
    s.set_investment("visie", "ambition", 3)
    assert json.loads(path.read_text(encoding="utf-8"))["schema_version"] == SCHEMA_VERSION


def test_bad_investment_values_in_a_file_are_named_and_set_aside(tmp_path, model):
    data = json.loads(PO_EXAMPLE.read_text(encoding="utf-8"))
    data["investment"]["areas"]["visie"]["licence_per_year"] = "heel veel"
    data["investment"]["areas"]["rollen"]["hours_im"] = -4
    data["investment"]["areas"]["bestaat_niet"] = {"hours_im": 3}
    path = tmp_path / "school.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    result = load_answers(path, model)
    text = [str(p) for p in result.problems]
    assert any("investment › areas › visie › licence_per_year: geen getal" in t for t in text)
    assert any("investment › areas › rollen › hours_im: mag niet negatief zijn" in t for t in text)
    aside = result.answers.set_aside
    assert aside["investment_fields"]["visie"]["licence_per_year"] == "heel veel"
    assert aside["investment"]["bestaat_niet"] == {"hours_im": 3}
    assert result.answers.investment.areas["visie"]["ambition"] == data["investment"]["areas"]["visie"]["ambition"]


def test_readme_formulas_section_exists():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert re.search(r"## Verhouding tussen investering en ambitie", readme)
