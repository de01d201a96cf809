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


@dataclass(frozen=True)
class Group:
    """One candidate group: its label, its member schools and what suppressing it costs (higher = keep longer)."""

    label: Hashable
    members: frozenset
    cost: float = 1.0
    parent: Hashable | None = None  # released only together with this group (the halves of a group)


def suppress(groups: Sequence[Group], min_group: int = MIN_GROUP) -> dict[Hashable, str]:
    """Status per group label: ``OK``, ``TOO_FEW`` (primary) or ``WOULD_BETRAY`` (secondary suppression).

    After this, the released groups split the schools into atoms of 0 or ≥ ``min_group`` schools (see the module).
    """
    status = {g.label: (OK if len(g.members) >= min_group else TOO_FEW) for g in groups}
    schools = sorted(set().union(*(g.members for g in groups)) if groups else set(), key=str)
    if not schools:
        return status
    index = {s: i for i, s in enumerate(schools)}
    matrix = np.zeros((len(schools), len(groups)), dtype=bool)
    for j, g in enumerate(groups):
        matrix[[index[s] for s in g.members], j] = True
    cost = np.array([g.cost for g in groups], dtype=float)
    for g in groups:
        if g.parent is not None and status.get(g.parent) != OK and status[g.label] == OK:
            status[g.label] = TOO_FEW
    released = np.array([status[g.label] == OK for g in groups])
    while True:
        signatures, inverse, counts = np.unique(matrix[:, released], axis=0, return_inverse=True, return_counts=True)
        inverse = np.asarray(inverse).reshape(-1)
        bad = [k for k in range(len(signatures)) if signatures[k].any() and counts[k] < min_group]
        if not bad:
            return status
        k = min(bad, key=lambda a: (counts[a], tuple(signatures[a])))
        live = np.flatnonzero(released)
        own = signatures[k]
        # neighbours: every other atom, and "no released group at all" (leaving the atom out of everything)
        options = [signatures[b] for b in range(len(signatures)) if b != k]
        options.append(np.zeros_like(own))
        best = min((live[own != other] for other in options), key=lambda cols: (cost[cols].sum(), len(cols)))
        if math.isinf(cost[best].sum()):  # pragma: no cover - only groups that must stay: a caller's error
            raise ValueError("geen groep om weg te laten; de regel kan hier niet worden toegepast")
        for j in best:
            released[j] = False
            status[groups[j].label] = WOULD_BETRAY
        for j in np.flatnonzero(released):  # a part (a half) of a group that is not released is not released
            parent = groups[j].parent
            if parent is not None and status.get(parent) != OK:
                released[j] = False
                status[groups[j].label] = WOULD_BETRAY


def round_value(value: float, unit: str) -> float:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return math.nan
    return round(float(value), 0 if unit == "euro" else 1)


def halves(values: pd.Series) -> tuple[frozenset, frozenset]:
    """The lower and upper half of a group by value (keys in the index; the middle school of an odd group goes
    up), ties broken by key so the split is the same every time."""
    ordered = sorted(values.items(), key=lambda kv: (kv[1], str(kv[0])))
    cut = len(ordered) // 2
    return frozenset(k for k, _ in ordered[:cut]), frozenset(k for k, _ in ordered[cut:])


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
    """
    values = [value] if isinstance(value, str) else list(value)
    spread = spread if spread is not None else values[0]
    rows = []
    data = frame.dropna(subset=values)
    families = data.groupby(list(family_by), sort=False) if family_by else [((), data)]
    for fam_key, part in families:
        fam_key = fam_key if isinstance(fam_key, tuple) else (fam_key,)
        part = part.drop_duplicates("key").set_index("key", drop=False)
        candidates: list[Group] = []
        meta: dict[Hashable, dict] = {}
        cohorts = [False, True] if cohort else [False]
        for in_cohort in cohorts:
            base = part[part[cohort]] if in_cohort else part
            for fixed in itertools.chain.from_iterable(itertools.combinations(filters, r)
                                                       for r in range(len(filters) + 1)):
                for combo, members in (base.groupby(list(fixed), sort=True) if fixed else [((), base)]):
                    combo = combo if isinstance(combo, tuple) else (combo,)
                    where = {f: ALL for f in filters} | dict(zip(fixed, combo))
                    label = (*[where[f] for f in filters], in_cohort)
                    cost = FILTER_COST.get(tuple(fixed), 1.0) * (0.5 if in_cohort else 1.0)
                    candidates.append(Group(label, frozenset(members["key"]), cost))
                    meta[label] = {"where": where, "cohort": in_cohort, "members": members}
        # the groups first; then the halves of the released groups, which may only take themselves out
        status = suppress(candidates)
        kept = [Group(g.label, g.members, math.inf) for g in candidates if status[g.label] == OK]
        parts = []
        for g in kept:
            if len(g.members) >= MIN_HALVES:
                low, high = halves(meta[g.label]["members"][spread])
                parts += [Group(("lower", g.label), low, 1.0, g.label), Group(("upper", g.label), high, 1.0, g.label)]
        status |= suppress(kept + parts)
        for label, info in meta.items():
            members, state = info["members"], status[label]
            row = dict(zip(family_by, fam_key)) | info["where"]
            if cohort:
                row["cohort"] = info["cohort"]
            row |= {"n": len(members), "status": state}
            for v in values:
                row[v] = round_value(members[v].mean(), unit) if state == OK else math.nan
            half_state = (status.get(("lower", label)), status.get(("upper", label)))
            if state == OK and half_state == (OK, OK):
                low, high = halves(members[spread])
                row["lower"] = round_value(members.loc[list(low), spread].mean(), unit)
                row["upper"] = round_value(members.loc[list(high), spread].mean(), unit)
                row["halves_status"] = OK
            else:
                row["lower"] = row["upper"] = math.nan
                row["halves_status"] = (state if state != OK else TOO_FEW if half_state == (None, None)
                                        else WOULD_BETRAY)
            rows.append(row)
    columns = [*family_by, *filters, *(["cohort"] if cohort else []), "n", *values, "lower", "upper", "status",
               "halves_status"]
    return pd.DataFrame(rows, columns=columns)


def percentile_rank(values: Mapping[Hashable, float], key: Hashable, group_status: str) -> float:
    """The share of the group (0-100) at or below ``key``'s value, rounded to tens; NaN where rule 5 says no."""
    if group_status != OK or len(values) < MIN_PERCENTILE or key not in values:
        return math.nan
    own = values[key]
    share = sum(1 for v in values.values() if v <= own) / len(values) * 100
    return float(max(10, round(share / 10) * 10))  # the school itself counts, so never 0: the lowest tenth is 10
