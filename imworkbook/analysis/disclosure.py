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

Fast, not different: the check works on *kinds* of school (alike in filter values, memberships and cohort flags)
with weights instead of on every school, keeps its atoms between steps, and a network's round is prepared once
(:func:`release_arrays`). ``tests/analysis/disclosure_reference.py`` keeps the straightforward algorithm, and
``tests/analysis/test_disclosure_fast.py`` holds this one to exactly the same tables.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass, replace
from functools import cached_property
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
             min_group: int = MIN_GROUP, weight: np.ndarray | None = None) -> np.ndarray:
    """Status per group (a column of ``matrix``: schools x groups, True = member): ``OK``, ``TOO_FEW`` (primary)
    or ``WOULD_BETRAY`` (secondary suppression). ``cost``: what withholding each group costs (``inf``: must stay);
    ``parent``: for each group the column it belongs to (its halves), or -1 — released only with that group;
    ``weight``: how many schools each row stands for (default 1: a row per school).

    After this, the released groups split the schools into atoms of 0 or ≥ ``min_group`` schools (see the module).
    The greedy order: while an atom (with at least one released group) has fewer than ``min_group`` schools, take
    the smallest (on a tie: the first by signature, in the order of :func:`_atoms`), and withhold the groups that
    merge it with its cheapest neighbour — another atom or "no released group at all" (last) — by total cost, then
    the fewest groups, then the first by signature.
    """
    matrix = np.asarray(matrix, dtype=bool)
    n_groups = matrix.shape[1]
    weight = np.ones(len(matrix), dtype=np.int64) if weight is None else np.asarray(weight, dtype=np.int64)
    parent = np.full(n_groups, -1) if parent is None else np.asarray(parent)
    cost = np.asarray(cost, dtype=float)
    status = np.where(weight @ matrix >= min_group, OK, TOO_FEW).astype(object)
    released = status == OK
    has_parent = parent >= 0
    any_parent = bool(has_parent.any())
    nested = bool((parent[parent[has_parent]] >= 0).any()) if any_parent else False

    def orphans() -> None:  # a part (a half) of a group that is not released is not released
        if not any_parent:
            return
        if nested:  # (a part of a part: one pass in column order, as it always was)
            for j in np.flatnonzero(released & has_parent):
                if not released[parent[j]]:
                    released[j] = False
                    status[j] = WOULD_BETRAY if status[parent[j]] == WOULD_BETRAY else TOO_FEW
            return
        j = np.flatnonzero(released & has_parent)
        j = j[~released[parent[j]]]
        released[j] = False
        status[j] = np.where(status[parent[j]] == WOULD_BETRAY, WOULD_BETRAY, TOO_FEW)
    orphans()
    if not released.any():
        return status
    # the atoms, as one row each (their membership of every group, only the released ones count) and their size;
    # withholding groups only merges atoms. Per atom, over its released groups: how many (`popcount`), their cost
    # (`finite`: the finite costs; `infinite`: how many must stay) and a hash (a fixed random whole number per
    # group, summed: equal for rows that are equal on the released groups; rows with equal hashes are compared)
    atoms, counts = _atoms(matrix, weight)
    atoms_f = atoms.astype(float)
    infinite = np.isinf(cost)
    finite_cost = np.where(infinite, 0.0, cost)
    # sums of costs are exact in floating point when every cost is a multiple of 1/1024 (and not huge): then any
    # order of adding gives the same total; otherwise the totals are added up as they always were
    scaled = finite_cost * 1024
    exact = bool(np.all(scaled == np.round(scaled)) and np.abs(scaled).sum() < 2.0 ** 52
                 and not np.isnan(cost).any() and not (cost == -math.inf).any())
    per_group = np.column_stack([_group_hashes(n_groups), np.ones(n_groups), finite_cost, infinite]) \
        * released[:, None]
    sums = atoms_f @ per_group  # atoms x (hash, popcount, finite cost, infinite)
    counted = np.column_stack([np.ones(n_groups), finite_cost, infinite])  # (per group, for any atom)
    alive = np.ones(len(atoms), dtype=bool)  # (an atom merged into another is no longer one)
    _merge_atoms(atoms, counts, sums, released, alive)
    while True:
        bad = np.flatnonzero(alive & (sums[:, 1] > 0) & (counts < min_group))
        if not len(bad):
            return status
        smallest = bad[counts[bad] == counts[bad].min()]
        k = smallest[_first_by_signature(atoms, smallest, released)] if len(smallest) > 1 else smallest[0]
        own = atoms[k] & released
        if exact:
            # per neighbour, the groups it differs from k in: (its released groups) + (k's) - 2 x (both), counted,
            # their finite cost and how many must stay; only k's groups are looked at
            mine = np.flatnonzero(own)
            shared = atoms_f[:, mine] @ counted[mine]
            differ = sums[:, 1:] + sums[k, 1:] - 2 * shared
            others = np.flatnonzero(alive)
            others = others[others != k]
            total = np.append(np.where(differ[others, 2] > 0, math.inf, differ[others, 1]),
                              math.inf if sums[k, 3] > 0 else sums[k, 2])  # (the zero row last)
            how_many = np.append(differ[others, 0], sums[k, 1])
            cheapest = np.flatnonzero(total == total.min())
            cheapest = cheapest[how_many[cheapest] == how_many[cheapest].min()]
            if math.isinf(total[cheapest[0]]):  # pragma: no cover - only groups that must stay: a caller's error
                raise ValueError("no group left to withhold; the rule cannot be applied here")
            tied = others[cheapest[cheapest < len(others)]]  # (the zero row only when no atom is as cheap)
            if len(tied) == 0:
                drop = mine
            else:
                best = tied[_first_by_signature(atoms, tied, released)] if len(tied) > 1 else tied[0]
                drop = np.flatnonzero(released & (atoms[best] != atoms[k]))
        else:  # (other costs: the totals added up exactly as they always were, atoms in the order of _atoms)
            live = np.flatnonzero(released)
            present = np.flatnonzero(alive)
            signatures = atoms[present][:, live]
            order = np.lexsort(_words(signatures).T[::-1])
            signatures = signatures[order]
            at = int(np.flatnonzero(present[order] == k)[0])
            others = np.vstack([np.delete(signatures, at, axis=0), np.zeros_like(signatures[at])[None, :]])
            differ = others != signatures[at]
            total = np.where(differ, cost[live], 0.0).sum(axis=1)
            best = int(np.lexsort((differ.sum(axis=1), total))[0])
            if math.isinf(total[best]):  # pragma: no cover - only groups that must stay: a caller's error
                raise ValueError("no group left to withhold; the rule cannot be applied here")
            drop = live[differ[best]]
        before = released.copy()
        released[drop] = False
        status[drop] = WOULD_BETRAY
        orphans()
        if not released.any():
            return status
        gone = np.flatnonzero(before & ~released)
        sums -= atoms_f[:, gone] @ per_group[gone]
        _merge_atoms(atoms, counts, sums, released, alive)


def _group_hashes(n_groups: int) -> np.ndarray:
    """A fixed random whole number ≥ 1 per group, small enough that any sum of them is exact in floating point."""
    return np.random.default_rng(20261130).integers(1, 2 ** 52 // max(n_groups, 1), size=n_groups).astype(float)


def _merge_atoms(atoms: np.ndarray, counts: np.ndarray, sums: np.ndarray, released: np.ndarray,
                 alive: np.ndarray) -> None:
    """Atoms that have become equal on the released groups merged into one (in place: the first by hash takes
    the others' schools, they are no longer ``alive``)."""
    present = np.flatnonzero(alive)
    order = present[np.argsort(sums[present, 0], kind="stable")]
    hashes = sums[order, 0]
    same = hashes[1:] == hashes[:-1]
    if not same.any():
        return
    new = np.concatenate([[True], ~same])
    first = order[new][np.cumsum(new) - 1]  # per atom (in hash order): the first of its hash
    joins = first != order
    if ((atoms[order[joins]] != atoms[first[joins]]) & released).any():
        # two different atoms with the same hash (very unlikely): group exactly by the rows themselves
        _, at, of = np.unique(_words(atoms[order][:, released]), axis=0, return_index=True, return_inverse=True)
        first = order[at][of.reshape(-1)]
    joins = first != order
    moved = order[joins]
    np.add.at(counts, first[joins], counts[moved])
    alive[moved] = False


def _words(matrix: np.ndarray) -> np.ndarray:
    """Each row's bits packed into 64-bit words (the order of :func:`_atoms`: ``lexsort`` on these, first word
    first)."""
    packed = np.packbits(matrix, axis=1)
    width = -(-packed.shape[1] // 8) * 8
    if width != packed.shape[1]:
        padded = np.zeros((len(packed), width), dtype=np.uint8)
        padded[:, :packed.shape[1]] = packed
        packed = padded
    return np.ascontiguousarray(packed).view(np.uint64)


def _distinct(words: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The distinct rows of ``words`` (whole numbers, e.g. from :func:`_words`): for each the first row that has it
    (in sorted order of the rows) and how many rows have it."""
    order = np.lexsort(words.T[::-1])
    ordered = words[order]
    start = np.flatnonzero(np.concatenate([[True], np.any(ordered[1:] != ordered[:-1], axis=1)]))
    return order[start], np.diff(np.append(start, len(order)))


def _first_by_signature(atoms: np.ndarray, which: np.ndarray, released: np.ndarray) -> int:
    """Which of the atoms ``which`` (distinct on the released groups) comes first in the order of :func:`_atoms`
    of their released groups (its position in ``which``)."""
    live = np.flatnonzero(released)
    first = _words(atoms[np.ix_(which, live[:64])])[:, 0]  # (the first word decides, unless its least is shared)
    smallest = np.flatnonzero(first == first.min())
    if len(smallest) == 1:
        return int(smallest[0])
    return int(np.lexsort(_words(atoms[np.ix_(which, live)]).T[::-1])[0])


def _atoms(matrix: np.ndarray, weight: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """The distinct membership rows (atoms) of ``matrix`` and how many schools each has (``weight``: how many
    schools each row stands for; default 1). Rows are packed into 64-bit words and sorted with ``lexsort``
    (exact, and fast for tens of thousands of schools)."""
    words = _words(matrix)
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
    row (e.g. ``{"item_id": ...}``). For :func:`release_arrays` the rows come as ``rows`` instead of ``frame``."""

    frame: pd.DataFrame | None
    values: list[str]
    label: dict
    spread: str | None = None
    unit: str = "level"
    cohort: str | None = None
    cost_factor: float = 1.0
    phase: int = 0  # decided after the measures of lower phases, which then stay as they are
    rows: Rows | None = None


@dataclass
class Schools:
    """The schools that checks may be about, prepared once (e.g. the schools of one round of a network): per
    filter each school's value as a number into ``labels[filter]`` (its distinct values as strings, sorted), and
    ``keys``: each school's key as a string (the halves are split by value, then by key)."""

    codes: dict[str, np.ndarray]
    labels: dict[str, np.ndarray]
    keys: np.ndarray

    @cached_property
    def rank(self) -> np.ndarray:
        """Each school's place when the keys are sorted (equal keys, equal places)."""
        return np.unique(self.keys, return_inverse=True)[1].reshape(-1)


@dataclass
class Rows:
    """A measure's rows as arrays: ``school`` (a number into :class:`Schools`), ``numbers`` (rows x the measure's
    values), ``spread`` (what the halves are split by) and ``cohort`` (booleans, or None). As with a frame, a
    school counts where all its values are known, with its first such row."""

    school: np.ndarray
    numbers: np.ndarray
    spread: np.ndarray
    cohort: np.ndarray | None = None


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
    Returns one table per measure (see :func:`release`).

    The membership matrix has a row per *kind* of school, not per school: whether a school is in a group depends
    only on its filter values, the measures it has values for and its cohort flags, so schools alike in those are
    one row with a weight (a few hundred rows instead of thousands). Only the halves (split by value) tell schools
    of one kind apart; they refine the rows where they are checked.
    """
    frames = [m.frame.dropna(subset=m.values).drop_duplicates("key") for m in measures]
    schools = pd.concat([f[["key", *filters]] for f in frames]).drop_duplicates("key").reset_index(drop=True)
    position = pd.Index(schools["key"])
    codes, labels = {}, {}
    for f in filters:
        # (the sorted distinct values, as np.unique gives them, and each school's position among them)
        inverse, labels[f] = pd.factorize(schools[f].astype(str).to_numpy(dtype=object), sort=True)
        labels[f] = np.asarray(labels[f], dtype=str)
        codes[f] = np.asarray(inverse, dtype=np.int64)
    with_rows = [replace(measure, frame=None, rows=Rows(
        position.get_indexer(frame["key"]), frame[measure.values].to_numpy(dtype=float),
        frame[measure.spread or measure.values[0]].to_numpy(dtype=float),
        frame[measure.cohort].to_numpy(dtype=bool) if measure.cohort else None))
        for measure, frame in zip(measures, frames)]
    return release_arrays(Schools(codes, labels, schools["key"].astype(str).to_numpy(dtype=object)), with_rows,
                          filters)


def release_arrays(schools: Schools, measures: Sequence[Measure], filters: Sequence[str] = ("sector", "band")
                   ) -> list[pd.DataFrame]:
    """:func:`release_together` for measures given as arrays (``measure.rows``) about ``schools``: for a caller
    that releases many families about the same schools (a network's round), so the schools are prepared once.
    The schools of the check are those with a row, in the order of their first row (measure by measure), as with
    frames."""
    return [pd.DataFrame(table) for table in release_columns(schools, measures, filters)]


def release_columns(schools: Schools, measures: Sequence[Measure], filters: Sequence[str] = ("sector", "band")
                    ) -> list[dict[str, list]]:
    """:func:`release_arrays` with each table as its columns (name -> list of values, in the order of the
    table's columns), for a caller that puts the tables of many families into one frame."""
    combos = list(itertools.chain.from_iterable(itertools.combinations(filters, r) for r in range(len(filters) + 1)))
    parts = []
    for measure in measures:  # (the first row per school, of the rows with every value known)
        rows = measure.rows
        known = ~np.isnan(rows.numbers).any(axis=1)
        school = rows.school[known]
        if len(school) and np.bincount(school).max() > 1:
            known = np.flatnonzero(known)[np.sort(np.unique(school, return_index=True)[1])]
            school = rows.school[known]
        parts.append((school, rows.numbers[known], rows.spread[known],
                      rows.cohort[known] if measure.cohort else None))
    chosen = pd.unique(np.concatenate([p[0] for p in parts])) if parts else np.zeros(0, dtype=np.int64)
    n = len(chosen)
    place_in_check = np.full(len(schools.keys), -1, dtype=np.int64)
    place_in_check[chosen] = np.arange(n)
    codes = {f: schools.codes[f][chosen] for f in filters}
    labels = schools.labels
    members_of, numbers_of, spread_of, cohort_of = [], [], [], []
    for measure, (school, values, spread, cohort) in zip(measures, parts):
        rows = place_in_check[school]
        member = np.zeros(n, dtype=bool)
        member[rows] = True
        numbers = np.full((n, len(measure.values)), np.nan)
        numbers[rows] = values
        spread_values = np.full(n, np.nan)
        spread_values[rows] = spread
        in_cohort = np.zeros(n, dtype=bool)
        if measure.cohort:
            in_cohort[rows] = cohort
        members_of.append(member)
        numbers_of.append(numbers)
        spread_of.append(spread_values)
        cohort_of.append(in_cohort)
    # the kinds of school (rows of the matrix): equal filter values, memberships and cohort flags
    kind_of, first, weight = _kinds([codes[f] for f in filters] + members_of
                                    + [c for c, m in zip(cohort_of, measures) if m.cohort])
    kind_codes = {f: codes[f][first] for f in filters}
    blocks, costs, meta = [], [], []  # meta: (measure index, the fixed filters, their value codes, cohort flag)
    for m_index, measure in enumerate(measures):
        for cohort_flag in ([False, True] if measure.cohort else [False]):
            base = members_of[m_index][first] & (cohort_of[m_index][first] if cohort_flag else True)
            for fixed in combos:
                cost = FILTER_COST.get(tuple(fixed), 1.0) * (0.5 if cohort_flag else 1.0) * measure.cost_factor
                if fixed:  # the combinations present, as one number each (mixed radix), in ascending order
                    sizes = [len(labels[f]) for f in fixed]
                    combined = np.zeros(len(first), dtype=np.int64)
                    for f, size in zip(fixed, sizes):
                        combined = combined * size + kind_codes[f]
                    present = np.unique(combined[base])
                    blocks.append(base[:, None] & (combined[:, None] == present[None, :]))
                    for number in present.tolist():
                        combo = []
                        for size in reversed(sizes):
                            number, digit = divmod(number, size)
                            combo.append(digit)
                        meta.append((m_index, fixed, tuple(reversed(combo)), cohort_flag))
                        costs.append(cost)
                else:
                    blocks.append(base[:, None])
                    meta.append((m_index, (), (), cohort_flag))
                    costs.append(cost)
    matrix = np.hstack(blocks) if blocks else np.zeros((len(first), 0), dtype=bool)
    size_of = weight @ matrix  # schools per group
    # by phase: the main variable first (an area's levels), then the ones that follow it (its items), which may
    # only take themselves out — so every area makes the same choice (e.g. all schools or the sector)
    phase_of = np.array([measures[m].phase for m, *_ in meta], dtype=int)
    costs_arr = np.asarray(costs, dtype=float)
    status = np.full(len(meta), TOO_FEW, dtype=object)
    decided = np.zeros(len(meta), dtype=bool)
    for phase in sorted(set(phase_of.tolist())):
        current = phase_of == phase
        columns = np.flatnonzero((decided & (status == OK)) | current)
        cost = np.where(decided[columns], math.inf, costs_arr[columns])
        result = suppress(matrix[:, columns], cost, weight=weight)
        status[columns[current[columns]]] = result[current[columns]]
        decided |= current
    # then the halves of the released groups (which may only take themselves out; the groups stay): the lower half
    # of a group is its first half by the measure's spread value, then key (all schools sorted once per measure);
    # `cut_at[j]`: the place in that order of its first school in the upper half
    kept = np.flatnonzero(status == OK)
    halved = kept[size_of[kept] >= MIN_HALVES]
    place_of: dict[int, np.ndarray] = {}  # per measure: each school's place in its order
    cut_at = np.zeros(len(meta), dtype=np.int64)
    lower = np.zeros((n, len(halved)), dtype=bool)  # per school and halved group: in its lower half
    if len(halved):
        key_rank = schools.rank[chosen]
        of_measure = np.array([meta[j][0] for j in halved])
        for m_index in np.unique(of_measure).tolist():
            which = np.flatnonzero(of_measure == m_index)
            groups = halved[which]
            order = np.lexsort((key_rank, spread_of[m_index]))
            place = np.empty(n, dtype=np.int64)
            place[order] = np.arange(n)
            place_of[m_index] = place
            sorted_kinds = kind_of[order]
            for j, column in zip(groups.tolist(), matrix[:, groups].T):
                cut_at[j] = np.flatnonzero(column[sorted_kinds])[size_of[j] // 2]
            lower[:, which] = matrix[:, groups][kind_of] & (place[:, None] < cut_at[groups][None, :])
    half_status: dict[int, tuple[str, str]] = {}
    if len(halved):
        # the rows: schools of one kind on the same side of every cut
        fine_first, fine_weight = _distinct(np.hstack([kind_of[:, None].astype(np.uint64), _words(lower)]))
        kinds = kind_of[fine_first]
        upper = matrix[:, halved][kinds] & ~lower[fine_first]
        halves = np.empty((len(fine_first), 2 * len(halved)), dtype=bool)
        halves[:, 0::2] = lower[fine_first]
        halves[:, 1::2] = upper
        both = np.hstack([matrix[:, kept][kinds], halves])
        cost = np.concatenate([np.full(len(kept), math.inf), np.ones(2 * len(halved))])
        where_kept = {int(j): i for i, j in enumerate(kept)}
        parent = np.concatenate([np.full(len(kept), -1), np.repeat([where_kept[int(j)] for j in halved], 2)])
        second = suppress(both, cost, parent, weight=fine_weight)
        for h, j in enumerate(halved.tolist()):
            half_status[j] = (second[len(kept) + 2 * h], second[len(kept) + 2 * h + 1])
    # the tables: means over the members in school order (as always, so the rounding is the same)
    columns_of: list[dict] = []
    rows_of: list[list[int]] = [[] for _ in measures]
    for j, (m_index, *_) in enumerate(meta):
        rows_of[m_index].append(j)
    for m_index, measure in enumerate(measures):
        rows = rows_of[m_index]
        # the members of its released groups, each in school order (positions of the True values, row by row)
        released_here = [j for j in rows if status[j] == OK]
        group_of, school_of = np.nonzero(matrix[:, released_here].T[:, kind_of])
        bounds = np.searchsorted(group_of, np.arange(len(released_here) + 1))
        members_of_group = {j: school_of[bounds[i]:bounds[i + 1]] for i, j in enumerate(released_here)}
        table: dict = {key: [value] * len(rows) for key, value in measure.label.items()}
        for f in filters:
            table[f] = [labels[f][meta[j][2][meta[j][1].index(f)]] if f in meta[j][1] else ALL for j in rows]
        if measure.cohort:
            table["cohort"] = [meta[j][3] for j in rows]
        table["n"] = [int(size_of[j]) for j in rows]
        table["status"] = [status[j] for j in rows]
        means = {v: [] for v in measure.values}
        low, high, halves_state = [], [], []
        for j in rows:
            state = status[j]
            if state == OK:
                inside = members_of_group[j]
                values = numbers_of[m_index][inside].mean(axis=0)
            else:
                values = [math.nan] * len(measure.values)
            for v, mean in zip(measure.values, values):
                means[v].append(round_value(mean, measure.unit))
            halves = half_status.get(j)
            if state == OK and halves and all(s == OK for s in halves):
                below = place_of[m_index][inside] < cut_at[j]
                low.append(round_value(spread_of[m_index][inside[below]].mean(), measure.unit))
                high.append(round_value(spread_of[m_index][inside[~below]].mean(), measure.unit))
                halves_state.append(OK)
            else:
                low.append(math.nan)
                high.append(math.nan)
                halves_state.append(state if state != OK else TOO_FEW if not halves else WOULD_BETRAY)
        table |= means
        table["lower"], table["upper"], table["halves_status"] = low, high, halves_state
        columns_of.append(table)
    return columns_of


def _kinds(columns: Sequence[np.ndarray]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Rows alike in every one of ``columns`` (whole numbers ≥ 0 or booleans, one value per row): per row its
    kind, per kind its first row and how many rows it has."""
    n = len(columns[0]) if len(columns) else 0
    key = np.zeros(n, dtype=np.int64)
    room = 1
    stacked = []
    for column in columns:
        column = np.asarray(column, dtype=np.int64)
        size = int(column.max()) + 1 if n else 1
        if room * size >= 2 ** 62:  # (too many to number in one word: start another)
            stacked.append(key)
            key, room = np.zeros(n, dtype=np.int64), 1
        key = key * size + column
        room *= size
    stacked.append(key)
    if len(stacked) == 1:
        _, first, kind, count = np.unique(stacked[0], return_index=True, return_inverse=True, return_counts=True)
    else:
        _, first, kind, count = np.unique(np.column_stack(stacked), axis=0, return_index=True, return_inverse=True,
                                          return_counts=True)
    return kind.reshape(-1), first, count


def percentile_rank(values: Mapping[Hashable, float], key: Hashable, group_status: str) -> float:
    """The share of the group (0-100) at or below ``key``'s value, rounded to tens; NaN where rule 5 says no."""
    if group_status != OK or len(values) < MIN_PERCENTILE or key not in values:
        return math.nan
    own = values[key]
    share = sum(1 for v in values.values() if v <= own) / len(values) * 100
    return float(max(10, round(share / 10) * 10))  # the school itself counts, so never 0: the lowest tenth is 10
