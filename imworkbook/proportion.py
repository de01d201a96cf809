"""Does what a school puts into each area stand in proportion to its ambition? (pure pandas)

The model (also in README.md, "Verhouding tussen investering en ambitie", with a worked example):

Per area *g*, with hourly rate *r* (the school's own, else ``settings.hourly_rate``; :func:`investment_eur` is the
one place this is computed — the network comparison uses it too, with each school's own rate):

* **time** (€/year) = (hours IM + hours ICT + hours other) x r
* **money** (€/year) = (one-off + implementation) / depreciation years + licences/year + external/year;
  an empty depreciation period uses ``settings.default_depreciation_years`` (reported as an assumption)
* **resources** (€/year) = outside support hours x r (what the school gets without paying for it);
  formally assigned FTE and tools in place are shown but not counted in euros
* **investment** = time + money + resources. Empty means *unknown*: an area is *complete* only when every
  field that counts in euros is filled in (0 is an answer); an incomplete area has no investment total
  (its known part is shown as a running total) and is left out of the shares below.
* The set *S* = complete areas with a known ambition (1-5). Over *S*:
  **share of investment** = investment(g) / sum of investment; **share of ambition** = ambition(g) / sum of
  ambition. If the school invests nothing at all, every share of investment is 0 (and a message says so).
* **proportion index** = share of investment / share of ambition (1 = exactly in proportion).
  Flag: *onderinvestering* below ``thresholds.under``, *overinvestering* above ``thresholds.over``,
  *in balans* in between (thresholds in ``data/investment/model.yaml``).
* **overall index** = sum over *S* of min(share of investment, share of ambition): the part of the money
  that goes where the ambition is (1 = perfect proportion, 0 = none).
* With maturity (gap = desired - current level): **ambitie zonder middelen** when ambition >=
  ``high_ambition``, gap >= ``large_gap`` and onderinvestering; **kandidaat om af te schalen** when
  overinvestering, gap <= ``small_gap`` and ambition <= ``low_ambition``.
* Per pupil = investment / number of pupils (unknown if the number of pupils is unknown).

Doubling every investment changes no share, index or flag; unknown stays unknown in every column.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Mapping

import numpy as np
import pandas as pd

from .answers import Answers
from .content import InvestmentModel, MaturityModel, load_investment_model
from .i18n import format_number, t
from .numbers import format_euro
from .scoring import area_scores

_EXPLAIN = {"onder": "prop_explain_onder", "balans": "prop_explain_balans", "over": "prop_explain_over"}
HOUR_FIELDS = ("hours_im", "hours_ict", "hours_other")
MONEY_FIELDS = ("one_off_cost", "implementation_cost", "licence_per_year", "external_per_year")


@dataclass
class ProportionResult:
    table: pd.DataFrame  # one row per area, indexed by area_id
    overall: dict[str, Any]
    messages: list[str] = field(default_factory=list)  # school-level messages (plain language)


def _num(values: Mapping[str, Any], key: str) -> float:
    v = values.get(key)
    return float(v) if isinstance(v, (int, float)) and not isinstance(v, bool) else math.nan


def inputs_table(answers: Answers, model: MaturityModel, inv: InvestmentModel) -> pd.DataFrame:
    """The raw inputs, one row per area (model order), NaN where unknown."""
    ids = [f.id for f in inv.fields]
    rows = []
    for area in model.areas:
        values = answers.investment.areas.get(area.id, {})
        rows.append({"area_id": area.id, "ambition": _num(values, "ambition"),
                     **{i: _num(values, i) for i in ids}})
    return pd.DataFrame(rows).set_index("area_id")


def hourly_rate(answers: Answers, inv: InvestmentModel | None = None) -> float:
    """The school's own hourly rate, else the model's (``data/investment/model.yaml``): the one rule for turning a
    school's hours into euros (investment, werkboek 5's cost over the years, the network)."""
    inv = inv or load_investment_model()
    return answers.investment.hourly_rate or inv.settings.hourly_rate


def investment_eur(x: pd.DataFrame, rate: "float | pd.Series", default_depreciation_years: float) -> pd.DataFrame:
    """The one rule for what an area costs per year, used by the school's own app and report and by the network.

    ``x``: one row per area (per school) with the hour and money fields of ``data/investment/model.yaml``;
    ``rate``: the hourly rate (the school's own, else the model's default) — one number or one per row.
    Returns ``time_eur``, ``money_eur``, ``resources_eur``, ``invest_eur`` (NaN while a field is empty) and
    ``depreciation_assumed`` (one-off costs without a depreciation period: the default period is used).
    """
    dep_given = x["depreciation_years"]
    one_off = x["one_off_cost"] + x["implementation_cost"]
    out = pd.DataFrame(index=x.index)
    out["time_eur"] = x[list(HOUR_FIELDS)].sum(axis=1, skipna=False) * rate
    out["money_eur"] = (one_off / dep_given.fillna(default_depreciation_years) + x["licence_per_year"]
                        + x["external_per_year"])
    out["resources_eur"] = x["support_hours"] * rate
    out["invest_eur"] = out[["time_eur", "money_eur", "resources_eur"]].sum(axis=1, skipna=False)
    out["depreciation_assumed"] = dep_given.isna() & (one_off > 0)
    return out


def compute(answers: Answers, model: MaturityModel, inv: InvestmentModel | None = None, *, lang: str = "nl",
            overrides: Mapping[str, Mapping[str, float]] | None = None,
            maturity: pd.DataFrame | None = None) -> ProportionResult:
    """Investment, shares, index, flags and explanations per area (see the module docstring).

    ``overrides`` (what-if, never saved): ``{area_id: {"ambition": 5, "invest_eur": 20000}}``
    replaces an area's ambition and/or yearly investment before the shares are computed.
    ``maturity``: the :func:`~imworkbook.scoring.area_scores` of these answers, if already computed.
    """
    inv = inv or load_investment_model()
    st = inv.settings
    rate = hourly_rate(answers, inv)
    x = inputs_table(answers, model, inv)
    euro_fields = [f.id for f in inv.fields if f.in_euros]

    out = pd.DataFrame(index=x.index)
    areas = {a.id: a for a in model.areas}
    out["area"] = [areas[i].name(lang) for i in out.index]
    out["short"] = [areas[i].short(lang) for i in out.index]
    out["ambition"] = x["ambition"]
    out["hours"] = x[list(HOUR_FIELDS)].sum(axis=1, skipna=False)
    euros = investment_eur(x, rate, st.default_depreciation_years)
    for col in ("time_eur", "depreciation_assumed", "money_eur", "resources_eur"):
        out[col] = euros[col]
    dep = x["depreciation_years"].fillna(st.default_depreciation_years)
    out["fte_formal"] = x["fte_formal"]
    out["tooling"] = x["tooling"]
    out["invest_eur"] = euros["invest_eur"]
    # the known part of each component (for running totals and bars while an area is incomplete)
    out["time_known_eur"] = x[list(HOUR_FIELDS)].sum(axis=1) * rate
    out["money_known_eur"] = ((x["one_off_cost"].fillna(0) + x["implementation_cost"].fillna(0)) / dep
                              + x["licence_per_year"].fillna(0) + x["external_per_year"].fillna(0))
    out["resources_known_eur"] = x["support_hours"].fillna(0) * rate
    out["known_eur"] = out[["time_known_eur", "money_known_eur", "resources_known_eur"]].sum(axis=1)
    out["n_missing"] = x[euro_fields].isna().sum(axis=1)
    out["missing"] = [[f.label(lang) for f in inv.fields if f.in_euros and math.isnan(x.at[a, f.id])]
                      for a in x.index]
    for col in (*HOUR_FIELDS, *MONEY_FIELDS, "depreciation_years", "support_hours"):
        out[f"in_{col}"] = x[col]

    for area_id, change in (overrides or {}).items():
        if "ambition" in change:
            out.loc[area_id, "ambition"] = float(change["ambition"])
        if "invest_eur" in change:
            out.loc[area_id, "invest_eur"] = float(change["invest_eur"])

    pupils = answers.school.pupils
    out["invest_per_pupil"] = out["invest_eur"] / pupils if pupils else math.nan
    out["complete"] = out["invest_eur"].notna()

    in_set = out["complete"] & out["ambition"].notna()
    total_inv = float(out.loc[in_set, "invest_eur"].sum())
    total_amb = float(out.loc[in_set, "ambition"].sum())
    messages: list[str] = []
    if not in_set.any():
        messages.append(t("prop_msg_no_set", lang))
    if in_set.any() and total_inv == 0:
        messages.append(t("prop_msg_zero_invest", lang))
        out["share_invest"] = np.where(in_set, 0.0, np.nan)
    else:
        out["share_invest"] = (out["invest_eur"] / total_inv).where(in_set) if total_inv else math.nan
    out["share_ambition"] = (out["ambition"] / total_amb).where(in_set) if total_amb else math.nan
    out["index"] = out["share_invest"] / out["share_ambition"]
    th = inv.thresholds
    out["flag"] = np.select([out["index"].isna(), out["index"] < th.under, out["index"] > th.over],
                            ["onbekend", "onder", "over"], default="balans")

    maturity = maturity if maturity is not None else area_scores(answers, model, lang)
    out["gap"] = maturity["gap"].reindex(out.index)
    c = inv.combination
    out["ambition_without_means"] = (out["ambition"] >= c.high_ambition) & (out["gap"] >= c.large_gap) & (
        out["flag"] == "onder")
    out["scale_down"] = (out["flag"] == "over") & (out["gap"] <= c.small_gap) & (out["ambition"] <= c.low_ambition)
    out["explanation"] = [explain(row, inv, lang) for row in out.itertuples()]

    overall = {
        "index": float(np.minimum(out.loc[in_set, "share_invest"], out.loc[in_set, "share_ambition"]).sum())
        if in_set.any() else math.nan,
        "invest_eur": total_inv if in_set.any() else math.nan,
        "known_eur": float(out["known_eur"].sum()),
        "invest_per_pupil": total_inv / pupils if (pupils and in_set.any()) else math.nan,
        "hours": float(out["hours"].sum()) if out["hours"].notna().any() else math.nan,
        "n_areas": len(out), "n_complete": int(out["complete"].sum()), "n_in_set": int(in_set.sum()),
        "hourly_rate": rate,
    }
    return ProportionResult(out, overall, messages)


def lower_first(label: str) -> str:
    """A label inside a sentence: ``"Uren IM (vraagkant)"`` -> ``"uren IM (vraagkant)"``; an abbreviation stays
    (``"ICT-kosten"``, ``"IM-uren"``)."""
    if len(label) > 1 and label[0].isupper() and not label[1].isupper():
        return label[0].lower() + label[1:]
    return label


def _pct(value: float, lang: str) -> str:
    return format_number(value * 100, lang, 0) + "%"


def explain(row, inv: InvestmentModel, lang: str = "nl") -> str:
    """One plain-language sentence (or two) per area, made from its numbers."""
    if not row.complete:
        names = [lower_first(m) for m in row.missing]
        missing = ", ".join(names[:3]) + (t("and_more", lang, n=len(names) - 3) if len(names) > 3 else "")
        return t("prop_explain_incomplete", lang, area=row.area, missing=missing)
    if math.isnan(row.ambition):
        return t("prop_explain_no_ambition", lang, area=row.area, eur=format_euro(row.invest_eur, lang))
    if row.flag == "onbekend":
        return t("prop_explain_unknown", lang, area=row.area)
    text = t(_EXPLAIN[row.flag], lang, area=row.area, inv=_pct(row.share_invest, lang),
             amb=_pct(row.share_ambition, lang), eur=format_euro(row.invest_eur, lang),
             index=format_number(row.index, lang, 2))
    if row.ambition_without_means:
        text += " " + t("prop_explain_without_means", lang, ambition=int(row.ambition),
                        gap=format_number(row.gap, lang))
    if row.scale_down:
        text += " " + t("prop_explain_scale_down", lang, ambition=int(row.ambition), gap=format_number(row.gap, lang))
    if row.depreciation_assumed:
        text += " " + t("prop_explain_assumed_depreciation", lang,
                        years=format_number(inv.settings.default_depreciation_years, lang, 0))
    return text


def checks(answers: Answers, result: ProportionResult, inv: InvestmentModel | None = None,
           lang: str = "nl") -> list[tuple[str, str, str]]:
    """Warnings about implausible values: ``(area_id, field_id, message)``; nothing is changed."""
    inv = inv or load_investment_model()
    st = inv.settings
    staff = answers.investment.staff_fte
    if staff is None and answers.school.pupils:
        staff = answers.school.pupils * st.staff_fte_per_pupil[answers.school.sector]
    out = []
    for area_id, row in result.table.iterrows():
        if staff and row["hours"] == row["hours"] and row["hours"] > staff * st.hours_per_fte:
            out.append((area_id, "hours", t("prop_warn_hours", lang, hours=format_number(row["hours"], lang, 0),
                                             staff=format_number(staff, lang, 1))))
        if row["known_eur"] > st.max_cost_per_area:
            out.append((area_id, "invest_eur", t("prop_warn_cost", lang, eur=format_euro(row["known_eur"], lang))))
        if row["fte_formal"] == 0 and row["hours"] > 0:
            out.append((area_id, "fte_formal", t("prop_warn_not_assigned", lang,
                                                  hours=format_number(row["hours"], lang, 0))))
    return out
