"""TEST ORACLE — not product code. The disclosure algorithm as it was before it was made fast (commit b1ba75b):
``suppress``, ``_atoms``, ``round_value``, ``release`` and ``release_together`` from
``imworkbook/analysis/disclosure.py``, and the preparation of the released network tables (``with_cohort``,
``_items_with_groups``, ``_release_levels_and_items``, ``_released``) from ``imworkbook/analysis/network.py``, copied
verbatim (only the imports differ, and ``_released`` keeps its cache in an argument instead of the network's frames).
The product code must release exactly the same tables (tests/analysis/test_disclosure_fast.py). Do not "improve"
this file: it is the reference. The rule's constants (thresholds, costs, statuses, ``Measure``) are imported from the
product, so a change of the rule itself changes both sides."""

from __future__ import annotations

import itertools
import math
from typing import Sequence

import numpy as np
import pandas as pd

from imworkbook.analysis.disclosure import (ALL, FILTER_COST, MIN_GROUP, MIN_HALVES, OK, TOO_FEW, WOULD_BETRAY,
                                            Measure)
from imworkbook.analysis.network import GROUPS, LEVELS, NetworkData


def suppress(matrix: np.ndarray, cost: np.ndarray, parent: np.ndarray | None = None,
             min_group: int = MIN_GROUP) -> np.ndarray:
    """Status per group (a column of ``matrix``: schools x groups, True = member): ``OK``, ``TOO_FEW`` (primary)
    or ``WOULD_BETRAY`` (secondary suppression). ``cost``: what withholding each group costs (``inf``: must stay);
    ``parent``: for each group the column it belongs to (its halves), or -1 — released only with that group.

    After this, the released groups split the schools into atoms of 0 or ≥ ``min_group`` schools (see the module).
    """
    n_groups = matrix.shape[1]
    parent = np.full(n_groups, -1) if parent is None else parent
    status = np.where(matrix.sum(axis=0) >= min_group, OK, TOO_FEW).astype(object)
    released = status == OK

    def orphans() -> None:  # a part (a half) of a group that is not released is not released
        for j in np.flatnonzero(released & (parent >= 0)):
            if not released[parent[j]]:
                released[j] = False
                status[j] = WOULD_BETRAY if status[parent[j]] == WOULD_BETRAY else TOO_FEW
    orphans()
    # the finest atoms once (schools with the same membership of every candidate group); dropping groups only
    # merges atoms, so each round works on these few rows, not on every school
    fine, weight = _atoms(matrix)
    while True:
        live = np.flatnonzero(released)
        if not len(live):
            return status
        signatures, counts = _atoms(fine[:, live], weight)
        bad = np.flatnonzero(signatures.any(axis=1) & (counts < min_group))
        if not len(bad):
            return status
        k = bad[np.argmin(counts[bad])]  # the smallest (atoms come sorted by signature: a fixed order on ties)
        own = signatures[k]
        # neighbours: every other atom, and "no released group at all" (leaving the atom out of everything)
        others = np.vstack([np.delete(signatures, k, axis=0), np.zeros_like(own)[None, :]])
        differ = others != own  # per neighbour: the groups to withhold to merge with it
        total = np.where(differ, cost[live], 0.0).sum(axis=1)
        best = int(np.lexsort((differ.sum(axis=1), total))[0])  # the cheapest, then the fewest groups
        if math.isinf(total[best]):  # pragma: no cover - only groups that must stay: a caller's error
            raise ValueError("no group left to withhold; the rule cannot be applied here")
        drop = live[differ[best]]
        released[drop] = False
        status[drop] = WOULD_BETRAY
        orphans()


def _atoms(matrix: np.ndarray, weight: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """The distinct membership rows (atoms) of ``matrix`` and how many schools each has (``weight``: how many
    schools each row stands for; default 1). Rows are packed into 64-bit words and sorted with ``lexsort``
    (exact, and fast for tens of thousands of schools)."""
    packed = np.packbits(matrix, axis=1)
    width = -(-packed.shape[1] // 8) * 8
    packed = np.pad(packed, ((0, 0), (0, width - packed.shape[1])))
    words = np.ascontiguousarray(packed).view(np.uint64)
    order = np.lexsort(words.T[::-1])
    ordered = words[order]
    start = np.concatenate([[True], np.any(ordered[1:] != ordered[:-1], axis=1)])
    first = np.flatnonzero(start)
    if weight is None:
        counts = np.diff(np.append(first, len(order)))
    else:
        counts = np.add.reduceat(weight[order], first) if len(first) else np.zeros(0, dtype=int)
    return matrix[order[first]], counts


def round_value(value: float, unit: str) -> float:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return math.nan
    return round(float(value), 0 if unit == "euro" else 1)


def release(frame: pd.DataFrame, value: str | Sequence[str], *, family_by: Sequence[str] = (),
            filters: Sequence[str] = ("sector", "band"), cohort: str | None = None, spread: str | None = None,
            unit: str = "level") -> pd.DataFrame:
    """Released statistics of ``value`` (one column, or several about the same schools, e.g. current, target and
    gap) for every combination of ``filters`` (each: one value or ``ALL``), per family (``family_by``, e.g. the
    area or item) — one row per family x filter combination [x cohort], with ``n``, the rounded mean of each value,
    ``lower``/``upper`` (the halves' means of ``spread``), ``status`` and ``halves_status``.

    ``frame``: one row per school (column ``key``) per family, with the filter columns. A school counts in a
    family when every one of ``value`` is known there. ``cohort``: a boolean column; groups restricted to the
    cohort (the schools present in every round) are released alongside, and checked together with the rest.
    Variables that are sums over the same values (an area's score and its items) must be released together:
    :func:`release_together`.
    """
    values = [value] if isinstance(value, str) else list(value)
    data = frame.dropna(subset=values)
    families = data.groupby(list(family_by), sort=False) if family_by else [((), data)]
    out = []
    for fam_key, part in families:
        fam_key = fam_key if isinstance(fam_key, tuple) else (fam_key,)
        measure = Measure(part, values, dict(zip(family_by, fam_key)), spread, unit, cohort)
        out.extend(release_together([measure], filters))
    columns = [*family_by, *filters, *(["cohort"] if cohort else []), "n", *values, "lower", "upper", "status",
               "halves_status"]
    return pd.concat(out, ignore_index=True)[columns] if out else pd.DataFrame(columns=columns)


def release_together(measures: Sequence[Measure], filters: Sequence[str] = ("sector", "band")) -> list[pd.DataFrame]:
    """Release several variables of one family in one check (one membership matrix): needed when one can be
    computed from the others for the same schools — an area's score is the mean of the item levels a school gave,
    so an area released over 6 schools and its items over those 6 plus one would give that one school's area score.
    Returns one table per measure (see :func:`release`)."""
    combos = list(itertools.chain.from_iterable(itertools.combinations(filters, r) for r in range(len(filters) + 1)))
    frames = [m.frame.dropna(subset=m.values).drop_duplicates("key") for m in measures]
    schools = pd.concat([f[["key", *filters]] for f in frames]).drop_duplicates("key").reset_index(drop=True)
    n = len(schools)
    position = pd.Index(schools["key"])
    codes, labels = {}, {}
    for f in filters:
        # (the sorted distinct values, as np.unique gives them, and each school's position among them)
        inverse, labels[f] = pd.factorize(schools[f].astype(str).to_numpy(dtype=object), sort=True)
        labels[f] = np.asarray(labels[f], dtype=str)
        codes[f] = np.asarray(inverse, dtype=np.int64)
    masks, costs, meta = [], [], []  # meta: (measure index, where, cohort flag)
    members_of, numbers_of, spread_of = [], [], []
    for m_index, (measure, frame) in enumerate(zip(measures, frames)):
        rows = position.get_indexer(frame["key"])
        member = np.zeros(n, dtype=bool)
        member[rows] = True
        numbers = np.full((n, len(measure.values)), np.nan)
        numbers[rows] = frame[measure.values].to_numpy(dtype=float)
        spread_values = np.full(n, np.nan)
        spread_values[rows] = frame[measure.spread or measure.values[0]].to_numpy(dtype=float)
        in_cohort = np.zeros(n, dtype=bool)
        if measure.cohort:
            in_cohort[rows] = frame[measure.cohort].to_numpy(dtype=bool)
        members_of.append(member)
        numbers_of.append(numbers)
        spread_of.append(spread_values)
        for cohort_flag in ([False, True] if measure.cohort else [False]):
            base = member & in_cohort if cohort_flag else member
            for fixed in combos:
                if fixed:  # the combinations present, as one number each (mixed radix), counted not sorted
                    sizes = [len(labels[f]) for f in fixed]
                    combined = np.zeros(int(base.sum()), dtype=np.int64)
                    for f, size in zip(fixed, sizes):
                        combined = combined * size + codes[f][base]
                    choices = []
                    for number in np.flatnonzero(np.bincount(combined, minlength=int(np.prod(sizes)))):
                        combo = []
                        for size in reversed(sizes):
                            number, digit = divmod(int(number), size)
                            combo.append(digit)
                        choices.append(tuple(reversed(combo)))
                else:
                    choices = [()]
                for combo in choices:
                    mask = base.copy()
                    for f, v in zip(fixed, combo):
                        mask &= codes[f] == v
                    masks.append(mask)
                    costs.append(FILTER_COST.get(tuple(fixed), 1.0) * (0.5 if cohort_flag else 1.0)
                                 * measure.cost_factor)
                    meta.append((m_index, {f: ALL for f in filters} | {f: labels[f][v] for f, v in zip(fixed, combo)},
                                 cohort_flag))
    matrix = np.column_stack(masks) if masks else np.zeros((n, 0), dtype=bool)
    # by phase: the main variable first (an area's levels), then the ones that follow it (its items), which may
    # only take themselves out — so every area makes the same choice (e.g. all schools or the sector)
    phase_of = np.array([measures[m].phase for m, _, _ in meta], dtype=int)
    costs_arr = np.asarray(costs, dtype=float)
    status = np.full(len(meta), TOO_FEW, dtype=object)
    decided = np.zeros(len(meta), dtype=bool)
    for phase in sorted(set(phase_of.tolist())):
        current = phase_of == phase
        columns = np.flatnonzero((decided & (status == OK)) | current)
        cost = np.where(decided[columns], math.inf, costs_arr[columns])
        result = suppress(matrix[:, columns], cost)
        status[columns[current[columns]]] = result[current[columns]]
        decided |= current
    # then the halves of the released groups (which may only take themselves out; the groups stay)
    key_order = schools["key"].astype(str).to_numpy()
    kept = np.flatnonzero(status == OK)
    half_cols, half_parent = [], []
    orders: dict[int, np.ndarray] = {}  # per measure: all schools by its spread value, then key (sorted once)
    for j in kept:
        if matrix[:, j].sum() >= MIN_HALVES:
            m_index = meta[j][0]
            if m_index not in orders:
                orders[m_index] = np.lexsort((key_order, spread_of[m_index]))
            order = orders[m_index]
            members = order[matrix[order, j]]
            cut = len(members) // 2
            for part_idx in (members[:cut], members[cut:]):
                col = np.zeros(n, dtype=bool)
                col[part_idx] = True
                half_cols.append(col)
                half_parent.append(j)
    half_status: dict[int, list] = {}
    if half_cols:
        both = np.column_stack([matrix[:, kept], *half_cols])
        cost = np.concatenate([np.full(len(kept), math.inf), np.ones(len(half_cols))])
        where_kept = {int(j): i for i, j in enumerate(kept)}
        parent = np.concatenate([np.full(len(kept), -1), [where_kept[p] for p in half_parent]])
        second = suppress(both, cost, parent)
        for h, j in enumerate(half_parent):
            half_status.setdefault(j, []).append((second[len(kept) + h], half_cols[h]))
    out: list[list[dict]] = [[] for _ in measures]
    for j, (m_index, where, cohort_flag) in enumerate(meta):
        measure = measures[m_index]
        mask, state = matrix[:, j], status[j]
        row = dict(measure.label) | where
        if measure.cohort:
            row["cohort"] = cohort_flag
        row |= {"n": int(mask.sum()), "status": state}
        means = numbers_of[m_index][mask].mean(axis=0) if state == OK else [math.nan] * len(measure.values)
        for v, mean in zip(measure.values, means):
            row[v] = round_value(mean, measure.unit)
        halves = half_status.get(j)
        if state == OK and halves and all(s == OK for s, _ in halves):
            row["lower"] = round_value(spread_of[m_index][halves[0][1]].mean(), measure.unit)
            row["upper"] = round_value(spread_of[m_index][halves[1][1]].mean(), measure.unit)
            row["halves_status"] = OK
        else:
            row["lower"] = row["upper"] = math.nan
            row["halves_status"] = (state if state != OK else TOO_FEW if not halves else WOULD_BETRAY)
        out[m_index].append(row)
    return [pd.DataFrame(rows) for rows in out]


def with_cohort(areas: pd.DataFrame, values: Sequence[str] = LEVELS) -> pd.DataFrame:
    """``areas`` plus ``cohort``: the school has ``values`` for the area in every round of ``areas``."""
    rounds = areas["round"].nunique()
    known = areas.dropna(subset=list(values))
    present = known.groupby(["area_id", "key"])["round"].nunique()
    stayers = present[present == rounds].index
    return areas.assign(cohort=pd.MultiIndex.from_arrays([areas["area_id"], areas["key"]]).isin(stayers))


def _items_with_groups(data: NetworkData, round: str) -> pd.DataFrame:
    """The item rows of one round with sector, size band and scope (``select(data, round, frame="items")``, but
    the round's rows picked before they are joined to their school, not after)."""
    items = data.items[data.items["round"] == round]
    schools = data.schools.loc[data.schools["round"] == round, ["key", "round", *GROUPS]]
    row = pd.Index(schools["key"]).get_indexer(items["key"]) if schools["key"].is_unique else None
    if row is None or (row < 0).any():  # (a school twice in a round, or not at all: the plain join)
        return items.merge(schools, on=["key", "round"], how="left")
    groups = schools[list(GROUPS)].iloc[row].reset_index(drop=True)
    return pd.concat([items.reset_index(drop=True), groups], axis=1)


def _release_levels_and_items(data: NetworkData, round: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Per area, its levels (current, target, gap; with the cohort) and its items in ONE check: an area's score is
    the mean of the item levels a school gave, so releasing them separately could give one school's score."""
    areas = with_cohort(data.areas)
    areas = areas[areas["round"] == round]
    items = _items_with_groups(data, round).dropna(subset=["current"])
    item_groups = dict(tuple(items.groupby("item_id", sort=False)))
    levels_out, items_out = [], []
    for area_id, part in areas.dropna(subset=list(LEVELS)).groupby("area_id", sort=False):
        measures = [Measure(part, list(LEVELS), {"area_id": area_id}, "current", cohort="cohort")]
        measures += [Measure(frame, ["current"], {"item_id": item_id}, phase=1)
                     for item_id, frame in item_groups.items() if frame["area_id"].iloc[0] == area_id]
        tables = release_together(measures, GROUPS)
        levels_out.append(tables[0])
        items_out.extend(tables[1:])
    done = {t["item_id"].iloc[0] for t in items_out if len(t)}
    for item_id, frame in item_groups.items():  # items of an area no school has levels for: on their own
        if item_id not in done:
            items_out.extend(release_together([Measure(frame, ["current"], {"item_id": item_id})], GROUPS))
    level_columns = ["area_id", *GROUPS, "cohort", "n", *LEVELS, "lower", "upper", "status", "halves_status"]
    item_columns = ["item_id", *GROUPS, "n", "current", "lower", "upper", "status", "halves_status"]
    levels = pd.concat(levels_out, ignore_index=True)[level_columns] if levels_out else pd.DataFrame(
        columns=level_columns)
    items_table = pd.concat(items_out, ignore_index=True)[item_columns] if items_out else pd.DataFrame(
        columns=item_columns)
    return levels.assign(round=round), items_table.assign(round=round)


def _released(data: NetworkData, kind: str, round: str | None, cache: dict) -> pd.DataFrame:
    """What the rule releases for ``kind`` (levels, items, money), one round or all, made once per network and
    round (a screen asks for the same tables for every chart and filter; rounds are independent)."""
    rounds = sorted(data.schools["round"].unique()) if round is None else [round]
    parts = []
    for r in rounds:
        if (kind, r) not in cache:
            if kind == "money":
                part = data.areas[data.areas["round"] == r]
                cache[(kind, r)] = release(part, "invest_per_pupil", family_by=["area_id"], filters=GROUPS,
                                           unit="euro").assign(round=r)
            else:
                levels, items = _release_levels_and_items(data, r)
                cache[("levels", r)], cache[("items", r)] = levels, items
        parts.append(cache[(kind, r)])
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()
