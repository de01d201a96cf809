"""Does what a school puts into each area stand in proportion to its ambition? (pure pandas)

The model (also in README.md, "Verhouding tussen investering en ambitie", with a worked example):

Per area *g*, with hourly rate *r* (the school's own, else ``settings.hourly_rate``; :func:`investment_eur` is the
one place this is computed — the network comparison uses it too, with each school's own rate and levy):

* Three numbers are needed per area (``required`` in ``data/investment/model.yaml``): hours IM, hours ICT and
  money per year. The rest is optional detail: empty is not counted.
* **time** (€/year) = (hours IM + hours ICT + hours other) x r (hours other: 0 when empty)
* **money** (€/year) = the money total per year when filled in; else its breakdown
  (one-off + implementation) / depreciation years + licences/year + external/year, when all four are filled in
  (an empty depreciation period uses ``settings.default_depreciation_years``, reported as an assumption)
* **resources** (€/year) = the board's support, paid through the levy (afdracht): with a levy the school's levy
  for IM/ICT spread over the areas (by their support hours, or evenly: ``levy_attribution``); without one, the
  support hours x r. Formally assigned FTE and tools in place are shown but not counted in euros.
* **investment** = time + money + resources. An area is *complete* when time and money are known; an incomplete
  area has no investment total (its known part is shown as a running total) and is left out of the shares below.
* The set *S* = complete areas with a known ambition (1-5). Over *S*:
  **share of investment** = investment(g) / sum of investment; **share of ambition** = ambition(g) / sum of
  ambition. If the school invests nothing at all, every share of investment is 0 (and a message says so).
* **proportion index** = share of investment / share of ambition (1 = exactly in proportion).
  Flag: *onderinvestering* below ``thresholds.under``, *overinvestering* above ``thresholds.over``,
  *in balans* in between (thresholds in ``data/investment/model.yaml``).
* **overall index** = sum over *S* of min(share of investment, share of ambition): the part of the money
  that goes where the ambition is (1 = perfect proportion, 0 = none).
* **Absolute figures**: € per pupil and hours per 100 pupils per area; against the rough reference per pupil
  (``reference`` in the model, an assumption, not a norm): *laag* below ``reference.under`` x the reference,
  *hoog* above ``reference.over`` x. The **verdict** on the whole: *alles_onder* / *alles_over* when the total per
  pupil over *S* is below / above that part of the reference (then the shares say little), else *verhouding*
  (the index says where the money goes); *onbekend* without pupils or without *S*.
* With maturity (gap = desired - current level): **ambitie zonder middelen** when ambition >=
  ``high_ambition``, gap >= ``large_gap`` and onderinvestering; **kandidaat om af te schalen** when
  overinvestering, gap <= ``small_gap`` and ambition <= ``low_ambition``.

Doubling every investment changes no share, index or flag; unknown stays unknown in every column.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Mapping

import numpy as np
import pandas as pd

from imworkbook.analysis.scoring import area_scores
from imworkbook.base.i18n import format_number, t
from imworkbook.base.numbers import format_euro
from imworkbook.model.answers import Answers
from imworkbook.model.content import InvestmentModel, MaturityModel, load_investment_model

_EXPLAIN = {"onder": "prop_explain_onder", "balans": "prop_explain_balans", "over": "prop_explain_over"}
HOUR_FIELDS = ("hours_im", "hours_ict", "hours_other")
MONEY_FIELDS = ("one_off_cost", "implementation_cost", "licence_per_year", "external_per_year")  # the breakdown
VERDICT_KEY = {"alles_onder": "prop_verdict_alles_onder", "alles_over": "prop_verdict_alles_over",
               "verhouding": "prop_verdict_verhouding", "onbekend": "prop_verdict_onbekend"}
_ABS_KEY = {"laag": "prop_explain_abs_laag", "hoog": "prop_explain_abs_hoog"}


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


def levy_attribution(answers: Answers, inv: InvestmentModel | None = None) -> str:
    """How the school's levy is spread over the areas: its own choice, else the model's."""
    inv = inv or load_investment_model()
    return answers.investment.levy_attribution or inv.settings.levy_attribution


def investment_eur(x: pd.DataFrame, rate: "float | pd.Series", default_depreciation_years: float, *,
                   levy: "float | pd.Series | None" = None, attribution: "str | pd.Series" = "support_hours",
                   school: "pd.Series | None" = None, n_areas: int | None = None) -> pd.DataFrame:
    """The one rule for what an area costs per year, used by the school's own app and report and by the network.

    ``x``: one row per area (per school) with the fields of ``data/investment/model.yaml``; ``rate``: the hourly
    rate (the school's own, else the model's default) — one number or one per row; ``levy``: the school's levy
    for IM/ICT support per year (None/NaN = unknown) and ``attribution`` (``support_hours`` or ``even``), one
    value or one per row; ``school``: which rows belong to one school (None = all rows are one school);
    ``n_areas``: the number of areas an even levy is spread over (default: the rows of the school).

    Returns ``hours``, ``time_eur``, ``money_eur``, ``money_detail_eur`` (the breakdown, NaN unless all four
    are filled in), ``money_from_detail``, ``resources_eur``, ``levy_eur`` (the area's part of the levy, NaN
    without a levy), ``invest_eur`` (NaN while hours IM, hours ICT or the money are unknown) and
    ``depreciation_assumed`` (one-off costs without a depreciation period: the default period is used); and the
    known part so far: ``hours_known``, ``time_known_eur``, ``money_known_eur``, ``known_eur``.
    """
    def col(name: str) -> pd.Series:
        return x[name].astype(float) if name in x else pd.Series(math.nan, index=x.index)

    def per_row(value: Any) -> pd.Series:
        if isinstance(value, pd.Series):
            return value.reindex(x.index)
        return pd.Series(math.nan if value is None else value, index=x.index)

    out = pd.DataFrame(index=x.index)
    out["hours"] = col("hours_im") + col("hours_ict") + col("hours_other").fillna(0)
    out["time_eur"] = out["hours"] * rate
    dep_given = col("depreciation_years")
    one_off = col("one_off_cost") + col("implementation_cost")
    out["money_detail_eur"] = (one_off / dep_given.fillna(default_depreciation_years) + col("licence_per_year")
                               + col("external_per_year"))
    total = col("money_per_year")
    out["money_from_detail"] = total.isna() & out["money_detail_eur"].notna()
    out["money_eur"] = total.where(total.notna(), out["money_detail_eur"])
    # the board's support is paid through the levy: the school's levy spread over its areas, else hours x rate
    support = col("support_hours").fillna(0)
    levy_s, attr = per_row(levy).astype(float), per_row(attribution)
    group = school.reindex(x.index) if school is not None else pd.Series(0, index=x.index)
    hours_sum = support.groupby(group).transform("sum")
    rows = group.groupby(group).transform("size") if n_areas is None else pd.Series(n_areas, index=x.index)
    by_hours = (attr == "support_hours") & (hours_sum > 0)
    weight = pd.Series(np.where(by_hours, support / hours_sum.where(hours_sum > 0, 1), 1 / rows), index=x.index)
    out["levy_eur"] = levy_s * weight
    out["resources_eur"] = out["levy_eur"].where(levy_s.notna(), support * rate)
    out["invest_eur"] = out["time_eur"] + out["money_eur"] + out["resources_eur"]
    out["depreciation_assumed"] = out["money_from_detail"] & dep_given.isna() & (one_off > 0)
    # the known part (running totals and bars while an area is incomplete): empty counts as nothing yet
    out["hours_known"] = col("hours_im").fillna(0) + col("hours_ict").fillna(0) + col("hours_other").fillna(0)
    out["time_known_eur"] = out["hours_known"] * rate
    detail_known = ((col("one_off_cost").fillna(0) + col("implementation_cost").fillna(0))
                    / dep_given.fillna(default_depreciation_years)
                    + col("licence_per_year").fillna(0) + col("external_per_year").fillna(0))
    out["money_known_eur"] = total.where(total.notna(), detail_known)
    out["known_eur"] = out["time_known_eur"] + out["money_known_eur"] + out["resources_eur"]
    return out


def school_investment_eur(answers: Answers, x: pd.DataFrame, inv: InvestmentModel) -> pd.DataFrame:
    """:func:`investment_eur` for one school's areas, with its own rate and levy (what the app and report use)."""
    return investment_eur(x, hourly_rate(answers, inv), inv.settings.default_depreciation_years,
                          levy=answers.investment.levy_eur, attribution=levy_attribution(answers, inv),
                          n_areas=len(x))


def reference_per_pupil(inv: InvestmentModel, sector: str, area_ids) -> pd.Series:
    """The rough reference (euro per pupil per year) per area for a sector; NaN for an area without one."""
    ref = inv.reference.per_pupil.get(sector, {})
    return pd.Series([float(ref.get(a, math.nan)) for a in area_ids], index=list(area_ids), dtype=float)


def absolute_flag(ratio: "float | pd.Series", inv: InvestmentModel):
    """``laag`` below ``reference.under`` x the reference, ``hoog`` above ``reference.over`` x, else ``gangbaar``;
    ``onbekend`` when the ratio (per pupil / reference) is unknown."""
    r = pd.Series(ratio, dtype=float) if not isinstance(ratio, pd.Series) else ratio
    flags = np.select([r.isna(), r < inv.reference.under, r > inv.reference.over], ["onbekend", "laag", "hoog"],
                      default="gangbaar")
    return flags if isinstance(ratio, pd.Series) else str(flags[0])


def verdict(abs_ratio: float, has_index: bool, inv: InvestmentModel) -> str:
    """The verdict on the whole: everything under- or overfunded against the rough reference, else the
    proportion between the areas; unknown without a set of areas to judge. (One rule; see the module doc.)"""
    if not has_index:
        return "onbekend"
    flag = absolute_flag(abs_ratio, inv)
    return {"laag": "alles_onder", "hoog": "alles_over"}.get(flag, "verhouding")


def compute(answers: Answers, model: MaturityModel, inv: InvestmentModel | None = None, *, lang: str = "nl",
            overrides: Mapping[str, Mapping[str, float]] | None = None,
            maturity: pd.DataFrame | None = None) -> ProportionResult:
    """Investment, shares, index, flags, absolute figures, verdict and explanations per area (see the module doc).

    ``overrides`` (what-if, never saved): ``{area_id: {"ambition": 5, "invest_eur": 20000}}``
    replaces an area's ambition and/or yearly investment before the shares are computed.
    ``maturity``: the :func:`~imworkbook.analysis.scoring.area_scores` of these answers, if already computed.
    """
    inv = inv or load_investment_model()
    rate = hourly_rate(answers, inv)
    x = inputs_table(answers, model, inv)

    out = pd.DataFrame(index=x.index)
    areas = {a.id: a for a in model.areas}
    out["area"] = [areas[i].name(lang) for i in out.index]
    out["short"] = [areas[i].short(lang) for i in out.index]
    out["ambition"] = x["ambition"]
    euros = school_investment_eur(answers, x, inv)
    for col in ("hours", "time_eur", "depreciation_assumed", "money_eur", "money_detail_eur", "money_from_detail",
                "resources_eur", "levy_eur", "invest_eur", "hours_known", "time_known_eur", "money_known_eur",
                "known_eur"):
        out[col] = euros[col]
    out["fte_formal"] = x["fte_formal"]
    out["tooling"] = x["tooling"]
    out["resources_known_eur"] = out["resources_eur"]
    labels = {f.id: f.label(lang) for f in inv.fields}
    out["missing"] = [[labels["hours_im"]] * math.isnan(x.at[a, "hours_im"])
                      + [labels["hours_ict"]] * math.isnan(x.at[a, "hours_ict"])
                      + [t("prop_missing_money", lang, label=labels["money_per_year"])] * math.isnan(out.at[a, "money_eur"])
                      for a in x.index]
    out["n_missing"] = [len(m) for m in out["missing"]]
    for col in (*HOUR_FIELDS, "money_per_year", *MONEY_FIELDS, "depreciation_years", "support_hours"):
        out[f"in_{col}"] = x[col]

    for area_id, change in (overrides or {}).items():
        if "ambition" in change:
            out.loc[area_id, "ambition"] = float(change["ambition"])
        if "invest_eur" in change:
            out.loc[area_id, "invest_eur"] = float(change["invest_eur"])

    pupils = answers.school.pupils
    out["invest_per_pupil"] = out["invest_eur"] / pupils if pupils else math.nan
    out["hours_per_100"] = out["hours"] / pupils * 100 if pupils else math.nan
    out["ref_per_pupil"] = reference_per_pupil(inv, answers.school.sector, out.index)
    out["abs_ratio"] = out["invest_per_pupil"] / out["ref_per_pupil"]
    out["abs_flag"] = absolute_flag(out["abs_ratio"], inv)
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

    per_pupil = total_inv / pupils if (pupils and in_set.any()) else math.nan
    ref_total = float(out.loc[in_set, "ref_per_pupil"].sum(min_count=1)) if in_set.any() else math.nan
    abs_ratio = per_pupil / ref_total if ref_total else math.nan
    overall = {
        "index": float(np.minimum(out.loc[in_set, "share_invest"], out.loc[in_set, "share_ambition"]).sum())
        if in_set.any() else math.nan,
        "invest_eur": total_inv if in_set.any() else math.nan,
        "known_eur": float(out["known_eur"].sum()),
        "invest_per_pupil": per_pupil,
        "hours": float(out["hours"].sum()) if out["hours"].notna().any() else math.nan,
        "hours_per_100": (float(out.loc[in_set, "hours"].sum()) / pupils * 100
                          if (pupils and in_set.any()) else math.nan),
        "ref_per_pupil": ref_total, "abs_ratio": abs_ratio,
        "verdict": verdict(abs_ratio, bool(in_set.any()) and not math.isnan(abs_ratio), inv),
        "n_areas": len(out), "n_complete": int(out["complete"].sum()), "n_in_set": int(in_set.sum()),
        "hourly_rate": rate, "levy_eur": answers.investment.levy_eur,
    }
    overall["verdict_text"] = verdict_text(overall, inv, lang)
    if overall["verdict"] in ("alles_onder", "alles_over"):
        messages.append(overall["verdict_text"])
    return ProportionResult(out, overall, messages)


def verdict_text(overall: Mapping[str, Any], inv: InvestmentModel, lang: str = "nl") -> str:
    """The verdict on the whole in one or two plain sentences (the app's summary and the board report)."""
    v = overall["verdict"]
    if v == "onbekend":
        return t(VERDICT_KEY[v], lang)
    return t(VERDICT_KEY[v], lang, pp=format_euro(overall["invest_per_pupil"], lang),
             ref=format_euro(overall["ref_per_pupil"], lang), ratio=_pct(overall["abs_ratio"], lang),
             label=inv.reference.label(lang), index=format_number(overall["index"], lang, 2))
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
    if row.abs_flag in ("laag", "hoog"):
        text += " " + t(_ABS_KEY[row.abs_flag], lang, pp=format_euro(row.invest_per_pupil, lang),
                        ref=format_euro(row.ref_per_pupil, lang), label=inv.reference.label(lang))
    if row.depreciation_assumed:
        text += " " + t("prop_explain_assumed_depreciation", lang,
                        years=format_number(inv.settings.default_depreciation_years, lang, 0))
    return text


def checks(answers: Answers, result: ProportionResult, inv: InvestmentModel | None = None,
           lang: str = "nl") -> list[tuple[str | None, str, str]]:
    """Warnings about implausible values relative to the school's size: ``(area_id or None for the whole school,
    field_id, message)``; nothing is changed. Thresholds: ``plausibility`` in ``data/investment/model.yaml``."""
    inv = inv or load_investment_model()
    st, pl = inv.settings, inv.plausibility
    school = answers.school
    staff = answers.investment.staff_fte
    if staff is None and school.pupils:
        staff = school.pupils * st.staff_fte_per_pupil[school.sector]
    out: list[tuple[str | None, str, str]] = []
    table = result.table
    if not school.pupils and table["known_eur"].fillna(0).sum() > 0:
        out.append((None, "pupils", t("prop_warn_no_pupils", lang)))
    for area_id, row in table.iterrows():
        hours = row["hours_known"]
        if staff and hours > pl.max_staff_share_area * staff * st.hours_per_fte:
            out.append((area_id, "hours", t("prop_warn_hours", lang, hours=format_number(hours, lang, 0),
                                             share=_pct(hours / (staff * st.hours_per_fte), lang),
                                             staff=format_number(staff, lang, 1))))
        if school.pupils and row["known_eur"] / school.pupils > pl.max_eur_per_pupil_area[school.sector]:
            out.append((area_id, "invest_eur", t(
                "prop_warn_cost", lang, eur=format_euro(row["known_eur"], lang),
                pp=format_euro(row["known_eur"] / school.pupils, lang),
                max=format_euro(pl.max_eur_per_pupil_area[school.sector], lang),
                pupils=format_number(school.pupils, lang, 0))))
        detail, total = row["money_detail_eur"], row["in_money_per_year"]
        if detail == detail and total == total and abs(detail - total) >= 1:
            out.append((area_id, "money_per_year", t("prop_warn_detail_differs", lang,
                                                     total=format_euro(total, lang), detail=format_euro(detail, lang))))
        if row["fte_formal"] == 0 and row["hours"] > 0:
            out.append((area_id, "fte_formal", t("prop_warn_not_assigned", lang,
                                                  hours=format_number(row["hours"], lang, 0))))
    known = table["known_eur"].fillna(0).sum()
    if school.pupils and known / school.pupils > pl.max_eur_per_pupil_total[school.sector]:
        out.append((None, "invest_eur", t("prop_warn_total", lang, pp=format_euro(known / school.pupils, lang),
                                           max=format_euro(pl.max_eur_per_pupil_total[school.sector], lang))))
    return out
