"""Statistical disclosure control: the one place that decides which numbers about other schools may be released.

The rule (docs/privacy.md explains it for a network; the numbers are constants here):

1. **Minimum group** — a number is released only for a group of at least ``MIN_GROUP`` (6) schools: 5 others for
   a school that is itself in the group and knows its own values.
2. **Secondary suppression** — a group of ≥ 6 can still betray a smaller one by subtraction (the po total minus
   one po size band; all schools minus po). All groups that can ever be released for one variable in one round —
   every combination of the filters the app and the CLI offer, the cohort of schools present in every round, the
   halves — are considered *together*, whatever one screen or file shows. Schools that belong to exactly the same
   released groups form an *atom*; every sum an attacker can compute from released (n, mean) pairs, by any linear
   combination, is constant on atoms, so if every atom has 0 or ≥ ``MIN_GROUP`` schools no combination singles out
   fewer than 6 schools (5 besides an insider). Where an atom is smaller, the cheapest set of groups that merges it
   with a neighbour (or leaves it out of every released group) is suppressed, and the check repeats.
3. **No order statistics** — a median, quartile or P10/P90 of a small group is a school's own value (with 5 schools
   they pin all five). Instead of quantiles the spread is released as the mean of the lower and of the upper half
   (by value) of a group of at least ``MIN_HALVES`` (12), so each half has ≥ 6 schools; the halves take part in
   rule 2 like any other group.
4. **Rounded** — means of levels to one decimal, euros per pupil to whole euros; ``n`` is exact.
5. **A school's place among its peers** (percentile) only in a released group of at least ``MIN_PERCENTILE`` (10)
   schools, rounded to tens.

Everything that shows or exports a network number draws it from :func:`release` (figures, tables, exports and the
board report), so a new statistic cannot bypass the rule. Layer 1: pure pandas/numpy.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass
from typing import Hashable, Mapping, Sequence

import numpy as np
import pandas as pd

MIN_OTHERS = 5  # the promise: every released number is about at least 5 schools, also for one that looks from inside
MIN_GROUP = MIN_OTHERS + 1
MIN_HALVES = 2 * MIN_GROUP
MIN_PERCENTILE = 10
ALL = "alle"  # the filter value "no filter"

OK = "ok"
TOO_FEW = "te weinig scholen"
WOULD_BETRAY = "zou een kleinere groep verraden"


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


# what withholding a group costs, by the filters it fixes: keep sector and total longest; scope (school, location,
# board) is a finer split than sector, so a group by scope goes before the same group without it
FILTER_COST = {(): 3.0, ("sector",): 4.0, ("band",): 2.0, ("sector", "band"): 1.0,
               ("scope",): 2.5, ("sector", "scope"): 3.0, ("band", "scope"): 1.0, ("sector", "band", "scope"): 0.5}


@dataclass
class Measure:
    """One variable of a family, with the schools it is about: ``frame`` has one row per school (``key``), the
    filter columns and ``values`` (a school counts when all of them are known); ``label`` goes into every output
    row (e.g. ``{"item_id": ...}``)."""

    frame: pd.DataFrame
    values: list[str]
    label: dict
    spread: str | None = None
    unit: str = "level"
    cohort: str | None = None
    cost_factor: float = 1.0
    phase: int = 0  # decided after the measures of lower phases, which then stay as they are


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


def percentile_rank(values: Mapping[Hashable, float], key: Hashable, group_status: str) -> float:
    """The share of the group (0-100) at or below ``key``'s value, rounded to tens; NaN where rule 5 says no."""
    if group_status != OK or len(values) < MIN_PERCENTILE or key not in values:
        return math.nan
    own = values[key]
    share = sum(1 for v in values.values() if v <= own) / len(values) * 100
    return float(max(10, round(share / 10) * 10))  # the school itself counts, so never 0: the lowest tenth is 10
