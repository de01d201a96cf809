"""Scores in pure pandas: per item, per area and overall (no widgets, no figures).

Definitions (also in README.md, "Hoe de scores worden berekend"):

* A level counts only if it is a number 1-5. "Weet niet", "n.v.t." and empty
  answers are left out of every average; they never count as zero.
* Area **current** = mean of the current levels of the area's items that have a
  current level. Area **target** likewise with target levels.
* Area **gap** = mean over the items that have *both* levels of
  ``target - current`` (a paired gap, so that an item with only a target does
  not inflate the gap). When every item has both, gap = target - current.
* **answered** = items with a current answer (a level, "weet niet" or
  "n.v.t.") and a target answer (or n.v.t. for the item).
* **Overall** current/target/gap = mean of the area scores weighted by each
  area's ``weight`` (content, default 1), over the areas that have a score; so
  every area counts equally however many items it has.
* An area or overall value without any usable level is ``NaN`` (unknown),
  never 0.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from imworkbook.base.i18n import t
from imworkbook.model.answers import Answers
from imworkbook.model.content import MaturityModel

ITEM_COLUMNS = ["area_id", "item_id", "current", "target", "current_raw", "target_raw", "note", "answered",
                "gap", "target_below_current"]


def _num(value) -> float:
    return float(value) if isinstance(value, int) else math.nan


def _is_answered(current, target) -> bool:
    return current is not None and (target is not None or current == "nvt")


def item_table(answers: Answers, model: MaturityModel) -> pd.DataFrame:
    """One row per item of the model (in model order), answered or not.

    ``current``/``target`` are floats (NaN when not a level); ``*_raw`` keep the
    answer as given (1-5, 'weet_niet', 'nvt' or None).
    """
    rows = []
    for area in model.areas:
        for item in area.items:
            a = answers.answers.get(item.id)
            cur, tgt, note = (a.current, a.target, a.note) if a is not None else (None, None, "")
            rows.append((area.id, item.id, _num(cur), _num(tgt), cur, tgt, note, _is_answered(cur, tgt)))
    df = pd.DataFrame.from_records(rows, columns=ITEM_COLUMNS[:-2])
    df["gap"] = df["target"] - df["current"]
    df["target_below_current"] = df["gap"] < 0
    return df


def _weighted_mean(values: pd.Series, weights: pd.Series) -> float:
    ok = values.notna()
    if not ok.any():
        return math.nan
    return float(np.average(values[ok], weights=weights[ok]))


def area_scores(answers: Answers, model: MaturityModel, lang: str = "nl",
                items: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per area (model order), indexed by ``area_id``.

    Columns: ``area`` (name), ``short`` (label for charts), ``weight``,
    ``current``, ``target``, ``gap``, ``n_items``, ``n_answered``,
    ``n_current``, ``n_target``, ``n_paired``, ``n_nvt``, ``n_weet_niet``,
    ``current_label``/``target_label`` (level name of the rounded score).
    """
    items = item_table(answers, model) if items is None else items
    paired = items["current"].notna() & items["target"].notna()
    g = items.assign(
        paired_gap=items["gap"].where(paired),
        is_paired=paired,
        is_nvt=items["current_raw"].eq("nvt"),
        is_wn=items["current_raw"].eq("weet_niet") | items["target_raw"].eq("weet_niet"),
    ).groupby("area_id", sort=False)
    out = pd.DataFrame({
        "current": g["current"].mean(),
        "target": g["target"].mean(),
        "gap": g["paired_gap"].mean(),
        "n_items": g.size(),
        "n_answered": g["answered"].sum(),
        "n_current": g["current"].count(),
        "n_target": g["target"].count(),
        "n_paired": g["is_paired"].sum(),
        "n_nvt": g["is_nvt"].sum(),
        "n_weet_niet": g["is_wn"].sum(),
    })
    areas = {a.id: a for a in model.areas}
    out = out.reindex([a.id for a in model.areas])
    out.index.name = "area_id"
    out.insert(0, "area", [areas[i].name(lang) for i in out.index])
    out.insert(1, "short", [areas[i].short(lang) for i in out.index])
    out.insert(2, "weight", [areas[i].weight for i in out.index])
    for col in ("current", "target"):
        out[f"{col}_label"] = [_level_label(model, v, lang) for v in out[col]]
    return out


def _level_label(model: MaturityModel, value: float, lang: str) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return t("unknown", lang)
    level = min(5, max(1, int(math.floor(value + 0.5))))
    return f"{level} {model.level_label(level, lang)}"


def overall_score(areas: pd.DataFrame) -> dict[str, float]:
    """Weighted mean of the area scores (see module docstring) and answer counts."""
    return {
        "current": _weighted_mean(areas["current"], areas["weight"]),
        "target": _weighted_mean(areas["target"], areas["weight"]),
        "gap": _weighted_mean(areas["gap"], areas["weight"]),
        "n_items": int(areas["n_items"].sum()),
        "n_answered": int(areas["n_answered"].sum()),
    }


def remarks(items: pd.DataFrame, model: MaturityModel, lang: str = "nl") -> list[str]:
    """Remarks worth showing: items whose target is below the current level (allowed), and answers that break a
    consistency rule of the model (a level that needs another item at a level it does not have)."""
    out = []
    for row in items.loc[items["target_below_current"]].itertuples():
        q = model.item(row.item_id).question(lang)
        out.append(t("remark_target_below", lang, item=row.item_id, question=q,
                     current=int(row.current), target=int(row.target)))
    as_level = lambda v: int(v) if v == v else None  # noqa: E731 - the numeric columns: NaN = not a level
    levels = {i: (as_level(c), as_level(t_)) for i, c, t_ in zip(items["item_id"], items["current"], items["target"])}
    for rule, which in model.unmet(levels):
        key = "remark_prerequisite_current" if which == "current" else "remark_prerequisite_target"
        out.append(t(key, lang, item=rule.item, requires=rule.requires,
                     level=levels[rule.item][which == "target"], needed=rule.min_level, why=rule.why(lang)))
    return out


def score_table(answers: Answers, model: MaturityModel, lang: str = "nl",
                areas: pd.DataFrame | None = None) -> pd.DataFrame:
    """A readable table for people: one row per area plus a total row, headers in ``lang``.

    ``areas``: the :func:`area_scores` of these answers, when already computed.
    """
    areas = area_scores(answers, model, lang) if areas is None else areas
    total = overall_score(areas)
    table = areas[["area", "current", "target", "gap", "n_answered", "n_items"]].copy()
    table.loc["_total"] = [t("overall", lang), total["current"], total["target"], total["gap"],
                           total["n_answered"], total["n_items"]]
    table = table.rename(columns={
        "area": t("col_area", lang), "current": t("col_current", lang), "target": t("col_target", lang),
        "gap": t("col_gap", lang), "n_answered": t("col_answered", lang), "n_items": t("col_items", lang),
    })
    return table.reset_index(drop=True).round(2)
