"""Scoring: the documented formulas, checked against a plain-Python re-computation."""

import math

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from imworkbook.analysis.scoring import area_scores, item_table, overall_score, remarks, score_table
from imworkbook.model.answers import ItemAnswer, new_answers

LEVEL = st.one_of(st.none(), st.integers(1, 5), st.sampled_from(["weet_niet", "nvt"]))


def _answers(model, mapping):
    a = new_answers("Testschool", "po", "2026-2027", model=model)
    for item_id, (cur, tgt) in mapping.items():
        a.answers[item_id] = ItemAnswer(current=cur, target=tgt)
    return a


def _mean(values):
    values = [v for v in values if isinstance(v, int) and not isinstance(v, bool)]
    return sum(values) / len(values) if values else math.nan


def _same(x, y):
    return (math.isnan(x) and math.isnan(y)) or abs(x - y) < 1e-9


def test_unanswered_and_special_answers_do_not_count_as_zero(model):
    area = model.areas[0]
    ids = [i.id for i in area.items]
    a = _answers(model, {ids[0]: (2, 4), ids[1]: ("nvt", "nvt"), ids[2]: ("weet_niet", 5), ids[3]: (4, None)})
    row = area_scores(a, model).loc[area.id]
    assert row["current"] == pytest.approx(3.0)          # (2 + 4) / 2: nvt, weet niet, empty left out
    assert row["target"] == pytest.approx(4.5)           # (4 + 5) / 2
    assert row["gap"] == pytest.approx(2.0)              # only the item with both levels
    assert (row["n_answered"], row["n_current"], row["n_target"], row["n_paired"]) == (3, 2, 2, 1)
    assert (row["n_nvt"], row["n_weet_niet"]) == (1, 1)
    other = area_scores(a, model).loc[model.areas[1].id]
    assert math.isnan(other["current"]) and math.isnan(other["gap"]) and other["n_answered"] == 0


def test_empty_answers_give_unknown_not_zero(model):
    scores = area_scores(_answers(model, {}), model)
    assert scores[["current", "target", "gap"]].isna().all().all()
    total = overall_score(scores)
    assert math.isnan(total["current"]) and total["n_answered"] == 0 and total["n_items"] == model.n_items


def test_item_table_has_every_item_in_model_order(model):
    table = item_table(_answers(model, {}), model)
    assert list(table["item_id"]) == model.item_ids
    assert not table["answered"].any()


def test_target_below_current_is_a_remark_not_an_error(model):
    item = model.areas[2].items[1].id
    a = _answers(model, {item: (4, 2)})
    items = item_table(a, model)
    assert items.set_index("item_id").loc[item, "target_below_current"]
    text = remarks(items, model)
    assert len(text) == 1 and item in text[0] and "lager" in text[0]
    assert area_scores(a, model).loc[model.areas[2].id, "gap"] == pytest.approx(-2)


def test_score_table_is_readable_dutch(model):
    table = score_table(_answers(model, {model.item_ids[0]: (1, 3)}), model)
    assert list(table.columns) == ["Gebied", "Huidig", "Gewenst", "Kloof", "Beantwoord", "Items"]
    assert table.iloc[-1]["Gebied"].startswith("Totaal")
    assert len(table) == len(model.areas) + 1


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_area_scores_match_the_documented_formula(model, data):
    mapping = {i: (data.draw(LEVEL), data.draw(LEVEL)) for i in model.item_ids if data.draw(st.booleans())}
    scores = area_scores(_answers(model, mapping), model)
    for area in model.areas:
        pairs = [mapping.get(i.id, (None, None)) for i in area.items]
        row = scores.loc[area.id]
        assert _same(row["current"], _mean([c for c, _ in pairs]))
        assert _same(row["target"], _mean([t for _, t in pairs]))
        gaps = [t - c for c, t in pairs if isinstance(c, int) and isinstance(t, int)]
        assert _same(row["gap"], sum(gaps) / len(gaps) if gaps else math.nan)
        for col in ("current", "target"):
            assert math.isnan(row[col]) or 1 <= row[col] <= 5
    # overall = weighted mean of the known area scores
    known = scores["current"].dropna()
    expected = (known * scores.loc[known.index, "weight"]).sum() / scores.loc[known.index, "weight"].sum() \
        if len(known) else math.nan
    assert _same(overall_score(scores)["current"], expected)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_marking_an_unanswered_item_nvt_changes_no_score(model, data):
    mapping = {i: (data.draw(st.integers(1, 5)), data.draw(st.integers(1, 5)))
               for i in model.item_ids if data.draw(st.booleans())}
    free = [i for i in model.item_ids if i not in mapping]
    base = area_scores(_answers(model, mapping), model)
    if free:
        extra = dict(mapping) | {data.draw(st.sampled_from(free)): ("nvt", "nvt")}
        after = area_scores(_answers(model, extra), model)
        pd.testing.assert_frame_equal(base[["current", "target", "gap"]], after[["current", "target", "gap"]])
        assert after["n_answered"].sum() == base["n_answered"].sum() + 1


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(shift=st.integers(0, 2), data=st.data())
def test_raising_every_target_raises_gap_by_the_same(model, shift, data):
    currents = data.draw(st.lists(st.integers(1, 2), min_size=model.n_items, max_size=model.n_items))
    steps = data.draw(st.lists(st.integers(0, 1), min_size=model.n_items, max_size=model.n_items))
    mapping = {i: (c, c + s) for i, c, s in zip(model.item_ids, currents, steps)}
    shifted = {i: (c, t + shift) for i, (c, t) in mapping.items()}
    a, b = area_scores(_answers(model, mapping), model), area_scores(_answers(model, shifted), model)
    assert ((b["gap"] - a["gap"]) - shift).abs().max() < 1e-9
