"""The attacker: everything the CLI, the app's tables and the board report release about a network, combined.

A network with groups of 1, 4, 5 and 7 schools (and two rounds, with two schools missing from the first). The test
collects every released number over all filter combinations — the CLI's shareable workbook for every sector, the
app's tables for every sector and size band, the trend for every filter, every school's place in its group — and
maps each to the set of schools it is about (the attacker is assumed to know who is in which group and half, which
is more than a real one knows). Then it attacks, per variable and round, by linear algebra:

* any linear combination of released sums (n x mean) that involves fewer than 6 schools recovers something about
  a group of fewer than 5 others — for an outsider (up to 5 schools) and for a school that knows its own values
  (itself plus up to 4 others). The check is exact: for every set S of at most 5 schools, is there a non-zero
  combination of released sums supported on S only? (rank of the null-space basis restricted to S < |S|)

It must find nothing. The attack does not know how imworkbook.analysis.disclosure works; a statistic added later that
releases more is attacked the same way, as long as its rows are collected here (one place: ``released_numbers``).
"""

from __future__ import annotations

import itertools
import math
from collections import defaultdict

import numpy as np
import pandas as pd
import pytest
from openpyxl import load_workbook

from imworkbook.analysis.disclosure import ALL, MIN_GROUP, MIN_PERCENTILE
from imworkbook.cli import main
from imworkbook.io.fastlane import as_document
from imworkbook.model.answers import ItemAnswer, new_answers
from imworkbook.analysis.network import (SIZE_BANDS, comparison_tables, network_frames, percentiles, select,
                                         size_band, trend)

GROUPS = [("po", 80, 7), ("po", 150, 5), ("po", 300, 4), ("vo", 1200, 1)]  # sector, pupils, number of schools
ROUNDS = ("2025-2026", "2026-2027")
LEVELS = ("current", "target", "gap")


@pytest.fixture(scope="module")
def network(model, tmp_path_factory):
    rng = np.random.default_rng(7)
    folder = tmp_path_factory.mktemp("aanval")
    documents = []
    n = 0
    for sector, pupils, count in GROUPS:
        for _ in range(count):
            n += 1
            for r, round_ in enumerate(ROUNDS):
                if r == 0 and n in (3, 9):  # two schools joined in the second round
                    continue
                answers = new_answers(f"School {n:02d}", sector, round_, code=f"{n:02d}AA", pupils=pupils,
                                      model=model)
                for item in model.item_ids:
                    if rng.random() < 0.08:
                        continue  # not answered: groups differ a little per area
                    current = int(rng.integers(1, 5))
                    answers.answers[item] = ItemAnswer(current=current, target=min(5, current + int(rng.integers(0, 3))))
                documents.append(as_document(answers))
                (folder / round_).mkdir(exist_ok=True)
                (folder / round_ / f"school-{n:02d}.json").write_text(
                    __import__("json").dumps(documents[-1], ensure_ascii=False), encoding="utf-8")
    data = network_frames(documents, model, secret=b"0" * 64)
    return folder, data


def _members(data, family, round_, sector, band, cohort=False):
    """Who a released number is about (what the attacker is assumed to know)."""
    kind, ident = family
    if kind == "item":
        frame = select(data, round_, frame="items").dropna(subset=["current"])
        frame = frame[frame["item_id"] == ident]
    else:
        frame = data.areas[(data.areas["round"] == round_) & (data.areas["area_id"] == ident)]
        frame = frame.dropna(subset=list(LEVELS) if kind == "levels" else ["invest_per_pupil"])
    if sector not in (None, ALL):
        frame = frame[frame["sector"] == sector]
    if band not in (None, ALL):
        frame = frame[frame["band"] == band]
    keys = set(frame["key"])
    if cohort:
        complete = data.areas[data.areas["area_id"] == ident].dropna(subset=list(LEVELS))
        per_school = complete.groupby("key")["round"].nunique()
        keys &= set(per_school[per_school == len(ROUNDS)].index)
    return frozenset(keys)


def _halves(data, members, family, round_):
    kind, ident = family
    frame = data.areas[(data.areas["round"] == round_) & (data.areas["area_id"] == ident)] if kind != "item" else \
        select(data, round_, frame="items").query("item_id == @ident")
    values = frame[frame["key"].isin(members)].drop_duplicates("key").set_index("key")["current"]
    ordered = sorted(values.items(), key=lambda kv: (kv[1], str(kv[0])))
    cut = len(ordered) // 2
    return frozenset(k for k, _ in ordered[:cut]), frozenset(k for k, _ in ordered[cut:])


def released_numbers(folder, data, model, tmp_path) -> dict[tuple, set[frozenset]]:
    """Every released mean, as the set of schools it sums over, per family (variable and round)."""
    found: dict[tuple, set[frozenset]] = defaultdict(set)
    names = {a.name("nl"): a.id for a in model.areas}

    def add(family, round_, members, row, halves_known):
        if members:
            found[(family, round_)].add(members)
            if halves_known:
                for half in _halves(data, members, family, round_):
                    found[(family, round_)].add(half)

    def note_tables(tables, round_, sector, band):
        for row in tables["Overzicht"].to_dict("records"):
            area = names[row["gebied"]]
            if not math.isnan(row["huidig: gemiddelde"]):
                add(("levels", area), round_, _members(data, ("levels", area), round_, sector, band), row,
                    not math.isnan(row["huidig: gemiddelde onderste helft"]))
            if not math.isnan(row["€ per leerling: gemiddelde"]):
                add(("money", area), round_, _members(data, ("money", area), round_, sector, band), row, False)
        for row in tables["Per groep"].to_dict("records"):
            area = names[row["gebied"]]
            if not math.isnan(row["huidig: gemiddelde"]):
                add(("levels", area), round_, _members(data, ("levels", area), round_, row["sector"],
                                                       row["grootte (leerlingen)"]), row,
                    not math.isnan(row["huidig: gemiddelde onderste helft"]))
        for row in tables["Per item"].to_dict("records"):
            if not math.isnan(row["huidig: gemiddelde"]):
                add(("item", row["item"]), round_, _members(data, ("item", row["item"]), round_, sector, band), row,
                    not math.isnan(row["huidig: gemiddelde onderste helft"]))

    bands = [None] + [label for *_, label in SIZE_BANDS]
    for round_ in ROUNDS:
        for sector in (None, "po", "vo"):
            # the CLI's shareable workbook, read back as a participant would
            out = tmp_path / f"cli-{round_}-{sector}.xlsx"
            assert main(["compare", str(folder), "--round", round_, "--xlsx", str(out),
                         *(["--sector", sector] if sector else [])]) in (0, 1)
            book = load_workbook(out)
            tables = {name: pd.DataFrame(list(book[name].values)[1:], columns=list(book[name].values)[0])
                      for name in ("Overzicht", "Per groep", "Per item")}
            for t in tables.values():
                for c in t.columns:
                    if "gemiddelde" in c:
                        t[c] = pd.to_numeric(t[c], errors="coerce")
            note_tables(tables, round_, sector, None)
            # the app, with every size band as well
            for band in bands:
                note_tables(comparison_tables(data, model, round=round_, sector=sector, band=band), round_, sector,
                            band)
    for sector in (None, "po", "vo"):
        for band in bands:
            released = trend(data, sector, band)
            for (area, round_), row in released.iterrows():
                if not row["te_weinig"]:
                    members = _members(data, ("levels", area), round_, sector, band, cohort=True)
                    assert len(members) == row["n"]
                    add(("levels", area), round_, members, row, not math.isnan(row["lower"]))
    return found


def _smallest_exposed_set(sets: set[frozenset], max_size: int = MIN_GROUP - 1) -> frozenset | None:
    """The smallest set S (|S| <= max_size) such that some non-zero combination of the released sums involves
    exactly the schools in S and no others; None when there is none."""
    schools = sorted(set().union(*sets))
    index = {s: i for i, s in enumerate(schools)}
    rows = np.zeros((len(sets), len(schools)))
    for r, members in enumerate(sets):
        rows[r, [index[s] for s in members]] = 1
    # null space of the row space's complement: v is a released combination iff v is orthogonal to the null space N
    _, sv, vt = np.linalg.svd(rows)
    rank = int((sv > 1e-9).sum())
    null = vt[rank:].T  # columns: a basis of the vectors orthogonal to every released combination
    for size in range(1, max_size + 1):
        for subset in itertools.combinations(range(len(schools)), size):
            part = null[list(subset), :]
            if np.linalg.matrix_rank(part, tol=1e-9) < size if part.size else True:
                return frozenset(schools[i] for i in subset)
    return None


def test_nothing_released_singles_out_fewer_than_six_schools(network, model, tmp_path):
    folder, data = network
    found = released_numbers(folder, data, model, tmp_path)
    assert sum(len(v) for v in found.values()) > 20, "the attack must have numbers to work with"
    for family, sets in found.items():
        assert all(len(s) >= MIN_GROUP for s in sets), (family, sorted(map(len, sets)))
        exposed = _smallest_exposed_set(sets)
        assert exposed is None, f"{family}: a combination of released numbers is about only {sorted(exposed)}"


def test_the_attack_finds_the_differencing_of_the_issue_when_nothing_is_suppressed():
    """The attack itself works: po total (14) and po 201-500 (10) released together expose the hidden 4."""
    po = frozenset(range(14))
    band = frozenset(range(10))
    assert _smallest_exposed_set({po, band}) == frozenset(range(10, 14))
    everyone = po | {99}
    assert _smallest_exposed_set({po, everyone}) == frozenset({99})  # all schools minus po: the one vo school
    assert _smallest_exposed_set({po, frozenset(range(7)), frozenset(range(7, 14))}) is None


def test_a_place_in_the_group_only_from_ten_schools_rounded_to_tens(network):
    _, data = network
    for round_ in ROUNDS:
        group = select(data, round_, "po")
        for key in group["key"].unique():
            places = percentiles(group, key)
            shown = places[places["percentile"].notna()]
            assert (shown["n"] >= MIN_PERCENTILE).all() and (shown["percentile"] % 10 == 0).all()
        vo = select(data, round_, "vo")
        for key in vo["key"].unique():
            assert percentiles(vo, key)["percentile"].isna().all()


def test_the_example_network_sizes_are_what_the_attack_assumes(network):
    _, data = network
    last = data.schools[data.schools["round"] == ROUNDS[-1]]
    sizes = sorted(last.groupby(["sector", "band"])["key"].nunique())
    assert sizes == [1, 4, 5, 7] and set(last["band"]) == {size_band(p) for _, p, _ in GROUPS}


def test_an_area_and_its_items_are_released_in_one_check(model):
    """Found in review: an area's score is the mean of the item levels a school gave. Seven po schools, one with
    current levels but no targets: it counted in every item (n = 7) but not in the area (n = 6), and the item means
    minus the area mean gave its score. The attack here works on the item levels themselves (school x item), with
    every released area mean and item mean as a linear function of them."""
    from imworkbook.model.answers import ItemAnswer

    area = model.areas[0].id
    items = [i for i in model.item_ids if model.area_of(i).id == area]
    rng = np.random.default_rng(1)
    documents = []
    for n in range(7):
        answers = new_answers(f"School {n}", "po", "2025-2026", code=f"{n:02d}XX", pupils=150, model=model)
        for item in model.item_ids:
            current = int(rng.integers(1, 6))
            answers.answers[item] = ItemAnswer(current=current, target=None if n == 6 else min(5, current + 1))
        documents.append(as_document(answers))
    data = network_frames(documents, model, secret=b"0" * 64)
    keys = sorted(data.schools["key"].unique())
    variables = {(k, i): v for v, (k, i) in enumerate(itertools.product(keys, items))}
    rows = []
    for sector, band in itertools.product((None, "po"), (None, "101–200")):
        tables = comparison_tables(data, model, round="2025-2026", sector=sector, band=band)
        overview = tables["Overzicht"].iloc[0]
        if not math.isnan(overview["huidig: gemiddelde"]):  # the area: mean over its schools of their item mean
            row = np.zeros(len(variables))
            for k in _members(data, ("levels", area), "2025-2026", sector, band):
                for i in items:
                    row[variables[(k, i)]] = 1 / len(items)
            rows.append(row)
        per_item = tables["Per item"]
        for record in per_item[per_item["item"].isin(items)].to_dict("records"):
            if not math.isnan(record["huidig: gemiddelde"]):
                row = np.zeros(len(variables))
                for k in _members(data, ("item", record["item"]), "2025-2026", sector, band):
                    row[variables[(k, record["item"])]] = 1
                rows.append(row)
    assert rows, "something must be released"
    released = np.array(rows)
    rank = np.linalg.matrix_rank(released)
    for size in range(1, MIN_GROUP):
        for group in itertools.combinations(keys, size):
            outside = [v for (k, _), v in variables.items() if k not in group]
            # a combination that involves only `group`'s item levels exists iff dropping the other schools'
            # variables loses rank
            assert np.linalg.matrix_rank(released[:, outside]) == rank, f"exposes {group}"
