"""imworkbook.analysis.priorities: where to act first (the rule in README, its numbers in data/investment/model.yaml)."""

import math

import pandas as pd
import pytest
import yaml
from hypothesis import given, settings, strategies as st

from imworkbook.analysis.priorities import priorities
from imworkbook.analysis.proportion import compute
from imworkbook.analysis.scoring import area_scores
from imworkbook.io.reading import load_answers
from imworkbook.model.content import load_investment_model

from ..conftest import PO_EXAMPLE, VO_EXAMPLE, data_copy


def _frames(n: int, gaps, ambitions, indexes):
    ids = [f"a{i}" for i in range(n)]
    scores = pd.DataFrame({"area": ids, "short": ids, "current": [1.0] * n,
                           "target": [1.0 + (g if g == g else 0) for g in gaps], "gap": gaps}, index=ids)
    flags = ["onbekend" if i != i else "onder" if i < 0.67 else "over" if i > 1.5 else "balans" for i in indexes]
    table = pd.DataFrame({"ambition": ambitions, "index": indexes, "flag": flags}, index=ids)
    return scores, table


@pytest.mark.parametrize("example", [PO_EXAMPLE, VO_EXAMPLE])
def test_priority_rule_is_the_documented_formula(example, model):
    answers = load_answers(example, model).answers
    pr = load_investment_model().priorities
    scores, table = area_scores(answers, model), compute(answers, model).table
    got = priorities(scores, table, top=99)
    for area_id, row in got.iterrows():
        gap, amb, idx = scores.loc[area_id, "gap"], table.loc[area_id, "ambition"], table.loc[area_id, "index"]
        importance = pr.neutral_importance if pd.isna(amb) else amb
        factor = 1.0 if pd.isna(idx) else min(max(1 / idx if idx else math.inf, pr.factor_min), pr.factor_max)
        assert row["priority"] == pytest.approx(gap * importance / 5 * factor)
    expected = {a for a in scores.index if pd.notna(scores.loc[a, "gap"]) and scores.loc[a, "gap"] >= pr.min_gap}
    assert set(got.index) == expected
    assert list(got["priority"]) == sorted(got["priority"], reverse=True)
    assert len(priorities(scores, table)) == min(pr.top, len(expected))


def test_under_investment_comes_before_over_investment_with_the_same_gap():
    scores, table = _frames(2, [2.0, 2.0], [4.0, 4.0], [2.0, 0.5])
    got = priorities(scores, table)
    assert list(got.index) == ["a1", "a0"]
    assert "blijft achter" in got.loc["a1", "reason"] and "relatief veel" in got.loc["a0", "reason"]


def test_the_numbers_come_from_the_content(tmp_path):
    folder = data_copy(tmp_path, "investment")
    raw = yaml.safe_load((folder / "model.yaml").read_text(encoding="utf-8"))
    raw["priorities"] = {"min_gap": 1.5, "neutral_importance": 5, "factor_min": 1, "factor_max": 1, "top": 1}
    (folder / "model.yaml").write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    inv = load_investment_model(folder)
    scores, table = _frames(4, [1.0, 2.0, 3.0, 2.5], [math.nan, 4.0, 2.0, math.nan], [0.1, 0.1, 5.0, math.nan])
    # default content: a1 2*4/5*2 = 3.2, a3 2.5*3/5*1 = 1.5, a0 1*3/5*2 = 1.2, a2 3*2/5*0.5 = 0.6; top 3
    assert list(priorities(scores, table).index) == ["a1", "a3", "a0"]
    # changed content: a0 below the gap of 1.5; a3 2.5*5/5 = 2.5, a1 2*4/5 = 1.6, a2 3*2/5 = 1.2; top 1
    assert list(priorities(scores, table, inv=inv).index) == ["a3"]
    assert list(priorities(scores, table, inv=inv, top=9).index) == ["a3", "a1", "a2"]


finite_gap = st.one_of(st.just(math.nan), st.floats(-2, 4, allow_nan=False))
ambition = st.one_of(st.just(math.nan), st.integers(1, 5).map(float))
index = st.one_of(st.just(math.nan), st.just(0.0), st.floats(0.01, 20, allow_nan=False))


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(finite_gap, ambition, index), min_size=1, max_size=8), st.integers(1, 8))
def test_properties(rows, top):
    pr = load_investment_model().priorities
    scores, table = _frames(len(rows), *map(list, zip(*rows)))
    got = priorities(scores, table, top=top)
    eligible = [r for r in rows if r[0] == r[0] and r[0] >= pr.min_gap]
    assert len(got) == min(top, len(eligible))
    assert (got["gap"] >= pr.min_gap).all()
    assert got["factor"].between(pr.factor_min, pr.factor_max).all()
    assert list(got["priority"]) == sorted(got["priority"], reverse=True)
    assert all(isinstance(r, str) and r for r in got["reason"])
    # more gap never lowers an area's priority
    bigger = scores.assign(gap=scores["gap"] + 1)
    again = priorities(bigger, table, top=99)
    for area_id, row in priorities(scores, table, top=99).iterrows():
        assert again.loc[area_id, "priority"] >= row["priority"]
