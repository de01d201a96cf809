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
    while True:
        live = np.flatnonzero(released)
        if not len(live):
            return status
        signatures, counts = _atoms(matrix[:, live])
        bad = np.flatnonzero(signatures.any(axis=1) & (counts < min_group))
        if not len(bad):
            return status
        k = min(bad, key=lambda a: (counts[a], tuple(signatures[a])))
        own = signatures[k]
        # neighbours: every other atom, and "no released group at all" (leaving the atom out of everything)
        others = np.vstack([np.delete(signatures, k, axis=0), np.zeros_like(own)[None, :]])
        differ = others != own  # per neighbour: the groups to withhold to merge with it
        total = np.where(differ, cost[live], 0.0).sum(axis=1)
        best = min(range(len(others)), key=lambda b: (total[b], differ[b].sum()))
        if math.isinf(total[best]):  # pragma: no cover - only groups that must stay: a caller's error
            raise ValueError("geen groep om weg te laten; de regel kan hier niet worden toegepast")
        drop = live[differ[best]]
        released[drop] = False
        status[drop] = WOULD_BETRAY
        orphans()


def _atoms(matrix: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The distinct membership rows (atoms) of ``matrix`` and how many schools each has. Rows are packed into
    64-bit words and sorted with ``lexsort`` (exact, and fast for tens of thousands of schools)."""
    packed = np.packbits(matrix, axis=1)
    width = -(-packed.shape[1] // 8) * 8
    packed = np.pad(packed, ((0, 0), (0, width - packed.shape[1])))
    words = np.ascontiguousarray(packed).view(np.uint64)
    order = np.lexsort(words.T[::-1])
    ordered = words[order]
    start = np.concatenate([[True], np.any(ordered[1:] != ordered[:-1], axis=1)])
    first = np.flatnonzero(start)
    counts = np.diff(np.append(first, len(order)))
    return matrix[order[first]], counts


def round_value(value: float, unit: str) -> float:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return math.nan
    return round(float(value), 0 if unit == "euro" else 1)


FILTER_COST = {(): 3.0, ("sector",): 4.0, ("band",): 2.0, ("sector", "band"): 1.0}  # keep sector and total longest


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
    The lower and upper half of a group are its schools sorted by ``spread``, ties by key; the middle school of an
    odd group goes up.
    """
    values = [value] if isinstance(value, str) else list(value)
    spread = spread if spread is not None else values[0]
    data = frame.dropna(subset=values)
    combos = list(itertools.chain.from_iterable(itertools.combinations(filters, r) for r in range(len(filters) + 1)))
    rows = []
    # each filter's values as small integer codes, sorted by value (made once, not per family)
    codes, labels = {}, {}
    for f in filters:
        labels[f], inverse = np.unique(data[f].astype(str).to_numpy(), return_inverse=True)
        codes[f] = pd.Series(inverse.reshape(-1), index=data.index)
    families = data.groupby(list(family_by), sort=False) if family_by else [((), data)]
    for fam_key, part in families:
        fam_key = fam_key if isinstance(fam_key, tuple) else (fam_key,)
        part = part.drop_duplicates("key")
        n = len(part)
        columns = {f: codes[f].loc[part.index].to_numpy() for f in filters}
        in_cohort = part[cohort].to_numpy(dtype=bool) if cohort else np.zeros(n, dtype=bool)
        masks, costs, meta = [], [], []
        for cohort_flag in ([False, True] if cohort else [False]):
            base = in_cohort if cohort_flag else np.ones(n, dtype=bool)
            for fixed in combos:
                if fixed:  # the combinations present, as one number each (mixed radix), counted not sorted
                    sizes = [len(labels[f]) for f in fixed]
                    combined = np.zeros(int(base.sum()), dtype=np.int64)
                    for f, size in zip(fixed, sizes):
                        combined = combined * size + columns[f][base]
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
                        mask &= columns[f] == v
                    masks.append(mask)
                    costs.append(FILTER_COST.get(tuple(fixed), 1.0) * (0.5 if cohort_flag else 1.0))
                    meta.append(({f: ALL for f in filters} | {f: labels[f][v] for f, v in zip(fixed, combo)},
                                 cohort_flag))
        matrix = np.column_stack(masks) if masks else np.zeros((n, 0), dtype=bool)
        status = suppress(matrix, np.asarray(costs))
        # then the halves of the released groups (which may only take themselves out; the groups stay)
        order = np.lexsort((part["key"].astype(str).to_numpy(), part[spread].to_numpy(dtype=float)))
        kept = np.flatnonzero(status == OK)
        half_cols, half_parent = [], []
        for j in kept:
            if matrix[:, j].sum() >= MIN_HALVES:
                members = order[matrix[order, j]]
                cut = len(members) // 2
                for part_idx in (members[:cut], members[cut:]):
                    col = np.zeros(n, dtype=bool)
                    col[part_idx] = True
                    half_cols.append(col)
                    half_parent.append(j)
        half_status = {}
        if half_cols:
            both = np.column_stack([matrix[:, kept], *half_cols])
            cost = np.concatenate([np.full(len(kept), math.inf), np.ones(len(half_cols))])
            parent = np.concatenate([np.full(len(kept), -1), [int(np.flatnonzero(kept == p)[0]) for p in half_parent]])
            second = suppress(both, cost, parent)
            for h, j in enumerate(half_parent):
                half_status.setdefault(j, []).append((second[len(kept) + h], half_cols[h]))
        numbers = part[values].to_numpy(dtype=float)
        spread_values = part[spread].to_numpy(dtype=float)
        for j, (where, cohort_flag) in enumerate(meta):
            mask, state = matrix[:, j], status[j]
            row = dict(zip(family_by, fam_key)) | where
            if cohort:
                row["cohort"] = cohort_flag
            row |= {"n": int(mask.sum()), "status": state}
            means = numbers[mask].mean(axis=0) if state == OK else [math.nan] * len(values)
            for v, m in zip(values, means):
                row[v] = round_value(m, unit)
            halves = half_status.get(j)
            if state == OK and halves and all(s == OK for s, _ in halves):
                row["lower"] = round_value(spread_values[halves[0][1]].mean(), unit)
                row["upper"] = round_value(spread_values[halves[1][1]].mean(), unit)
                row["halves_status"] = OK
            else:
                row["lower"] = row["upper"] = math.nan
                row["halves_status"] = (state if state != OK else TOO_FEW if not halves else WOULD_BETRAY)
            rows.append(row)
    columns_out = [*family_by, *filters, *(["cohort"] if cohort else []), "n", *values, "lower", "upper", "status",
                   "halves_status"]
    return pd.DataFrame(rows, columns=columns_out)


def percentile_rank(values: Mapping[Hashable, float], key: Hashable, group_status: str) -> float:
    """The share of the group (0-100) at or below ``key``'s value, rounded to tens; NaN where rule 5 says no."""
    if group_status != OK or len(values) < MIN_PERCENTILE or key not in values:
        return math.nan
    own = values[key]
    share = sum(1 for v in values.values() if v <= own) / len(values) * 100
    return float(max(10, round(share / 10) * 10))  # the school itself counts, so never 0: the lowest tenth is 10
