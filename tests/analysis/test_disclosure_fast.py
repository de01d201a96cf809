"""The fast disclosure check releases exactly what the straightforward one did.

``disclosure_reference.py`` holds the algorithm as it was (the test oracle, copied verbatim). Random small networks
— random sectors, size bands and scopes, several measures with missing values, cohorts, phases, group sizes around
the thresholds 6 and 12, ties in the values — must give identical tables (same rows, statuses, n, rounded means and
halves, same dtypes) from the product and from the oracle: for one check (``release_together``), for the suppression
itself (``suppress``, with weights, halves and awkward costs), and for a whole network's released levels, items and
money over all rounds.
"""

from __future__ import annotations

import math
import os

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from imworkbook.analysis import disclosure, network
from imworkbook.analysis.disclosure import TOO_FEW, Measure, release, release_together, suppress

from . import disclosure_reference as oracle

# to test harder: DISCLOSURE_EXAMPLES=5000 (the fast check was compared with thousands of examples per test)
MANY = int(os.environ.get("DISCLOSURE_EXAMPLES", "150"))
EXAMPLES = settings(max_examples=MANY, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SECTORS = ("po", "vo", "so")
BANDS = ("≤100", "101–200", "201–500", "501–1000")
SCOPES = ("school", "vestiging", "bestuur")


def _no_school(found: list[Measure]) -> bool:
    """No school has values for any measure: the straightforward check failed there (an empty matrix)."""
    return all(m.frame.dropna(subset=m.values).empty for m in found)


def _same(ours: list[pd.DataFrame], theirs: list[pd.DataFrame]) -> None:
    assert len(ours) == len(theirs)
    for a, b in zip(ours, theirs):
        pd.testing.assert_frame_equal(a, b, check_exact=True)


def _schools(rng: np.random.Generator, n: int, spread: float) -> pd.DataFrame:
    """``n`` schools, most of them in a few groups (so that group sizes fall around 6 and 12)."""
    weights = rng.dirichlet(np.full(3, spread))
    return pd.DataFrame({
        "key": [f"k{i:03d}" if rng.random() < 0.9 else f"K{i}" for i in rng.permutation(n)],
        "sector": rng.choice(SECTORS, n, p=weights),
        "band": rng.choice(BANDS, n, p=rng.dirichlet(np.full(4, spread))),
        "scope": rng.choice(SCOPES, n, p=rng.dirichlet(np.full(3, spread)))})


def _values(rng: np.random.Generator, n: int, missing: float, coarse: bool) -> np.ndarray:
    """Levels with many ties (coarse) or arbitrary reals; some missing."""
    values = rng.integers(2, 11, n) / 2 if coarse else rng.uniform(0, 5, n)
    values[rng.random(n) < missing] = np.nan
    return values


@st.composite
def measures(draw):
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    n = draw(st.integers(0, 70))
    schools = _schools(rng, n, draw(st.sampled_from([0.3, 1.0, 5.0])))
    filters = draw(st.sampled_from([("sector", "band"), ("sector", "band", "scope"), ("sector",), (),
                                    ("band", "scope")]))
    out = []
    for m in range(draw(st.integers(1, 4))):
        frame = schools.copy()
        missing = draw(st.sampled_from([0.0, 0.1, 0.4]))
        coarse = draw(st.booleans())
        values = ["current", "target", "gap"] if m == 0 and draw(st.booleans()) else ["current"]
        for v in values:
            frame[v] = _values(rng, n, missing, coarse)
        cohort = None
        if draw(st.booleans()):
            frame["cohort"] = rng.random(n) < draw(st.sampled_from([0.5, 0.9]))
            cohort = "cohort"
        if n and draw(st.booleans()):  # a school twice in a frame (the first row counts)
            frame = pd.concat([frame, frame.sample(min(3, n), random_state=seed % 1000)], ignore_index=True)
        frame = frame.sample(frac=1, random_state=seed % 997).reset_index(drop=True) if draw(st.booleans()) else frame
        out.append(Measure(frame, values, {"item_id": f"i{m}"} if m else {"area_id": "a"},
                           spread=draw(st.sampled_from([None, values[-1]])),
                           unit=draw(st.sampled_from(["level", "euro"])), cohort=cohort,
                           cost_factor=draw(st.sampled_from([1.0, 1.0, 0.5, 0.3, 1 / 3])),
                           phase=draw(st.sampled_from([0, m, 1]))))
    return out, filters


@EXAMPLES
@given(measures())
def test_release_together_is_the_straightforward_check(case):
    found, filters = case
    if _no_school(found):
        with pytest.raises(IndexError):
            oracle.release_together(found, filters)
        assert all((table["status"] == TOO_FEW).all() and (table["n"] == 0).all()
                   for table in release_together(found, filters))
        return
    _same(release_together(found, filters), oracle.release_together(found, filters))


@EXAMPLES
@given(measures())
def test_also_when_every_hash_collides(case):
    """Atoms are found by a hash of their groups and then compared; with one hash for every group (collisions
    everywhere) the comparison has to sort them out, and the result stays the same."""
    found, filters = case
    assume(not _no_school(found))
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(disclosure, "_group_hashes", lambda n: np.ones(n))
        ours = release_together(found, filters)
    _same(ours, oracle.release_together(found, filters))


@st.composite
def matrices(draw):
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    rows, groups = draw(st.integers(1, 40)), draw(st.integers(1, 30))  # (the old one failed on empty matrices)
    matrix = rng.random((rows, groups)) < draw(st.sampled_from([0.2, 0.5, 0.8]))
    weight = rng.integers(1, draw(st.sampled_from([2, 4, 9])), rows)
    cost = rng.choice(draw(st.sampled_from([[0.5, 1.0, 2.0, 3.0], [0.25, 1.0], [0.1, 0.3, 1 / 3, 0.7], [1.0]])),
                      groups)
    cost[rng.random(groups) < draw(st.sampled_from([0.0, 0.2]))] = math.inf
    parent = None
    if draw(st.booleans()):  # halves: a part of a group, released only with it (also a part of a part)
        parent = np.where(rng.random(groups) < 0.5, rng.integers(0, groups, groups), -1)
        parent[parent == np.arange(groups)] = -1
    return matrix, cost, parent, weight, draw(st.sampled_from([2, 6]))


@EXAMPLES
@given(matrices())
def test_suppress_with_weights_is_the_straightforward_suppression(case):
    """A row standing for w schools decides as w equal rows did."""
    matrix, cost, parent, weight, min_group = case
    try:
        expected = oracle.suppress(np.repeat(matrix, weight, axis=0), cost, parent, min_group)
    except ValueError:  # only groups that must stay: the caller's error, the same in both
        with pytest.raises(ValueError):
            suppress(matrix, cost, parent, min_group, weight=weight)
        return
    assert list(suppress(matrix, cost, parent, min_group, weight=weight)) == list(expected)
    assert list(suppress(np.repeat(matrix, weight, axis=0), cost, parent, min_group)) == list(expected)


def _network(seed: int, n: int, rounds: int, spread: float, twice: bool = False) -> network.NetworkData:
    rng = np.random.default_rng(seed)
    base = _schools(rng, n, spread)
    names = [f"{2024 + r}-{2025 + r}" for r in range(rounds)]
    school_rows, item_rows = [], []
    area_items = {"a1": ["a1.1", "a1.2", "a1.3"], "a2": ["a2.1", "a2.2"], "a3": ["a3.1"]}
    for r, round_ in enumerate(names):
        present = base[rng.random(n) < (0.85 if r else 0.95)].copy()
        moved = rng.random(len(present)) < 0.1  # some schools change band between rounds
        present.loc[moved, "band"] = rng.choice(BANDS, int(moved.sum()))
        school_rows.append(present.assign(round=round_))
        for key in present["key"]:
            for area, items in area_items.items():
                if rng.random() < 0.1:
                    continue
                for item in items:
                    if rng.random() < 0.15:
                        continue
                    current = float(rng.integers(1, 6))
                    target = math.nan if rng.random() < 0.1 else float(min(5, current + rng.integers(0, 3)))
                    item_rows.append((key, round_, item, current if rng.random() > 0.05 else math.nan, target,
                                      area))
    schools = pd.concat(school_rows, ignore_index=True)[["key", "round", "sector", "band", "scope"]]
    if twice and len(schools):  # a school twice in a round: released from frames, as before
        schools = pd.concat([schools, schools.iloc[[len(schools) // 2]]], ignore_index=True)
    items = pd.DataFrame(item_rows, columns=["key", "round", "item_id", "current", "target", "area_id"])
    items["gap"] = items["target"] - items["current"]
    areas = items.groupby(["key", "round", "area_id"], sort=False)[["current", "target", "gap"]].mean().reset_index()
    areas["invest_per_pupil"] = np.where(rng.random(len(areas)) < 0.3, np.nan,
                                         rng.integers(0, 40, len(areas)) * 12.5)
    areas = areas.merge(schools, on=["key", "round"], how="left")
    return network.NetworkData(schools, items, areas)


@settings(max_examples=max(10, MANY // 4), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(0, 2**32 - 1), st.integers(3, 60), st.integers(1, 3), st.sampled_from([0.3, 1.0, 5.0]),
       st.sampled_from([False, False, False, True]))
def test_a_networks_released_tables_are_those_of_the_straightforward_check(seed, n, rounds, spread, twice):
    data = _network(seed, n, rounds, spread, twice)
    cache: dict = {}
    for kind in ("levels", "items", "money"):
        for round_ in [None, *sorted(data.schools["round"].unique())]:
            data._released.clear()
            ours = network._released(data, kind, round_)
            theirs = oracle._released(data, kind, round_, cache)
            pd.testing.assert_frame_equal(ours, theirs, check_exact=True)


def test_release_of_a_family_is_the_straightforward_release():
    """``release`` (the money, a place in the group) with families by an integer and by a string."""
    rng = np.random.default_rng(5)
    frame = _schools(rng, 80, 1.0)
    frame = pd.concat([frame.assign(area_id=a, number=i, value=_values(rng, 80, 0.2, i % 2 == 0))
                       for i, a in enumerate(["x", "y", "z"])], ignore_index=True)
    for family in (["area_id"], ["number"], []):
        for filters in (("sector", "band"), ("sector", "band", "scope"), ()):
            ours = release(frame, "value", family_by=family, filters=filters, unit="euro")
            theirs = oracle.release(frame, "value", family_by=family, filters=filters, unit="euro")
            pd.testing.assert_frame_equal(ours, theirs, check_exact=True)


def test_the_cohort_also_with_a_missing_area_or_key():
    data = _network(11, 40, 3, 1.0)
    areas = data.areas.copy()
    pd.testing.assert_frame_equal(network.with_cohort(areas), oracle.with_cohort(areas), check_exact=True)
    assert network.with_cohort(areas)["cohort"].any() and not network.with_cohort(areas)["cohort"].all()
    for column in ("area_id", "key"):
        gaps = areas.copy()
        gaps.loc[gaps.index[::7], column] = None
        pd.testing.assert_frame_equal(network.with_cohort(gaps), oracle.with_cohort(gaps), check_exact=True)


def test_a_round_compared_also_with_pd_na():
    column = pd.Series(["2025-2026", pd.NA, "2026-2027"], dtype=object)
    assert list(network._equals(column, "2025-2026")) == [True, False, False]
    assert list(network._equals(column.astype("string"), "2026-2027")) == [False, False, True]
