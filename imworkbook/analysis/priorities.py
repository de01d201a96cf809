"""Where to act first: the areas with a large gap, high importance and (relatively) low investment.

Pure pandas, from the maturity scores (:func:`~imworkbook.analysis.scoring.area_scores`) and, when filled in, the
investment proportion (:func:`~imworkbook.analysis.proportion.compute`). The rule, also in the README; its numbers are
``priorities`` in ``data/investment/model.yaml`` (defaults in brackets):

* an area is a candidate when its gap (desired minus current level) is known and at least ``min_gap`` (0.5);
* importance is the area's importance (1-5) from workbook 2, or ``neutral_importance`` (3) when not filled in;
* the investment factor is 1 / index, kept between ``factor_min`` and ``factor_max`` (0.5 and 2), when the
  index is known (under-investment raises the priority, over-investment lowers it), else 1;
* priority = gap x importance / 5 x investment factor; the highest ``top`` (3) first.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from imworkbook.base.i18n import format_number, t
from imworkbook.model.content import InvestmentModel, load_investment_model


def priorities(scores: pd.DataFrame, proportion: pd.DataFrame | None = None, *, top: int | None = None,
               lang: str = "nl", inv: InvestmentModel | None = None) -> pd.DataFrame:
    """The ``top`` areas (default: the content's ``priorities.top``) to act on first, each with a plain-language
    reason (``reason``)."""
    settings = (inv or load_investment_model()).priorities
    top = settings.top if top is None else top
    df = scores[["area", "short", "current", "target", "gap"]].copy()
    cols = ["ambition", "index", "flag"]
    if proportion is not None and len(proportion):
        df = df.join(proportion[cols])
    else:
        for c in cols:
            df[c] = math.nan if c != "flag" else "onbekend"
    df = df[df["gap"].notna() & (df["gap"] >= settings.min_gap)].copy()
    importance = df["ambition"].fillna(settings.neutral_importance)
    with np.errstate(divide="ignore"):  # index 0 (nothing invested) -> factor_max, unknown -> 1
        factor = (1 / df["index"].astype(float)).clip(settings.factor_min, settings.factor_max).fillna(1.0)
    df["importance"] = importance
    df["factor"] = factor
    df["priority"] = df["gap"] * importance / 5 * factor
    df = df.sort_values(["priority", "gap"], ascending=False).head(top)
    df["reason"] = [_reason(row, lang) for row in df.itertuples()]
    return df


def _reason(row, lang: str) -> str:
    text = t("prio_gap", lang, area=row.area, gap=format_number(row.gap, lang),
             current=format_number(row.current, lang), target=format_number(row.target, lang))
    if math.isnan(row.ambition):
        text += " " + t("prio_no_importance", lang)
    else:
        text += " " + t("prio_importance", lang, ambition=int(row.ambition))
    if row.flag == "onder" or (not math.isnan(row.index) and row.index == 0):
        text += " " + t("prio_under", lang, index=format_number(row.index, lang, 2))
    elif row.flag == "over":
        text += " " + t("prio_over", lang, index=format_number(row.index, lang, 2))
    elif row.flag == "balans":
        text += " " + t("prio_balanced", lang)
    else:
        text += " " + t("prio_investment_unknown", lang)
    return text
