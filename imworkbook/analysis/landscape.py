"""The application landscape (werkboek 4): coverage, gaps, duplicates, register-once, cost, TIME. Pure pandas.

Input: the school's inventory (``Answers.landscape``, a list of :class:`~imworkbook.model.answers.Application`) and
the reference list (:class:`~imworkbook.model.content.LandscapeReference`). Rules, also in the README:

* **coverage**: an activity is supported by an application that lists it; *gaps* are activities no
  application supports; *overlap* is an activity supported by more than one application;
* **register once**: a data object is *registered* (kept as the source) in more than one application;
* **cost per area**: an application's yearly cost plus its one-off cost spread over the investment model's
  ``settings.default_depreciation_years`` (as in werkboek 2), divided equally over the areas of the activities it
  supports (unknown costs stay unknown, never 0);
* **TIME** from business fit and technical fit (1-5); content (``time`` in the reference) says where "low"
  ends (``low_to``, default 2) and "high" begins (``high_from``, default 4); in between a fit is middling.
  Invest (both high), Migrate (business high, technical low), Tolerate (business low, technical high),
  Eliminate (both low); **review** when a fit is middling on either axis (the scores do not point to one of the
  four: look closer before deciding); unknown when a fit is missing.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass

import pandas as pd

from imworkbook.analysis.disclosure import MIN_GROUP
from imworkbook.base.i18n import format_list, t
from imworkbook.model.answers import Application
from imworkbook.model.content import LandscapeReference, TimeSettings

TIME_KEYS = {"invest": "time_invest", "migrate": "time_migrate", "tolerate": "time_tolerate",
             "eliminate": "time_eliminate", "review": "time_review", "onbekend": "time_unknown"}


def time_label(business: float | None, technical: float | None, rule: TimeSettings | None = None) -> str:
    """``invest``, ``migrate``, ``tolerate``, ``eliminate``, ``review`` (middling on an axis) or ``onbekend``."""
    if business is None or technical is None or business != business or technical != technical:
        return "onbekend"
    rule = rule or TimeSettings()
    b, tech = rule.level(business), rule.level(technical)
    if "middle" in (b, tech):
        return "review"
    return {("high", "high"): "invest", ("high", "low"): "migrate", ("low", "high"): "tolerate",
            ("low", "low"): "eliminate"}[(b, tech)]


def inventory_frame(apps: list[Application], ref: LandscapeReference,
                    one_off_years: float | None = None) -> pd.DataFrame:
    """One row per application with its TIME suggestion and yearly cost (one-off costs spread over
    ``one_off_years``, by default the investment model's default depreciation period, as in werkboek 2)."""
    if one_off_years is None:
        from imworkbook.model.content import load_investment_model

        one_off_years = load_investment_model().settings.default_depreciation_years
    rows = []
    for app in apps:
        yearly = None
        if app.cost_year is not None or app.cost_once is not None:
            yearly = (app.cost_year or 0) + (app.cost_once or 0) / one_off_years
        rows.append({"name": app.name, "type": app.type, "supplier": app.supplier, "activities": list(app.activities),
                     "masters": list(app.masters), "uses": list(app.uses), "cost_per_year": yearly,
                     "users": app.users, "business_fit": app.business_fit, "technical_fit": app.technical_fit,
                     "time": time_label(app.business_fit, app.technical_fit, ref.time)})
    columns = ["name", "type", "supplier", "activities", "masters", "uses", "cost_per_year", "users", "business_fit",
               "technical_fit", "time"]
    return pd.DataFrame(rows, columns=columns).astype({"cost_per_year": float})


def coverage(apps: list[Application], ref: LandscapeReference) -> pd.DataFrame:
    """Activities (rows, in reference order) x applications (columns): True where the application supports it."""
    activities = list(ref.activities)
    matrix = pd.DataFrame(False, index=pd.Index(activities, name="activity"),
                          columns=pd.Index([a.name for a in apps], name="application"))
    for app in apps:
        for activity in app.activities:
            if activity in matrix.index:
                matrix.loc[activity, app.name] = True
    return matrix


def register_once_violations(apps: list[Application]) -> dict[str, list[str]]:
    """Data object -> the applications that each register it, for objects registered in more than one."""
    where: dict[str, list[str]] = {}
    for app in apps:
        for obj in dict.fromkeys(app.masters):
            where.setdefault(obj, []).append(app.name)
    return {obj: names for obj, names in where.items() if len(names) > 1}


def cost_per_area(apps: list[Application], ref: LandscapeReference,
                  inventory: pd.DataFrame | None = None) -> pd.DataFrame:
    """Per activity area: known yearly cost, number of applications, and applications with unknown cost.
    ``inventory``: the :func:`inventory_frame` of ``apps``, when already made."""
    known: Counter = Counter()
    count: Counter = Counter()
    unknown: dict[str, list[str]] = {a.id: [] for a in ref.areas}
    frame = inventory_frame(apps, ref) if inventory is None else inventory
    for app, cost in zip(apps, frame["cost_per_year"]):
        areas = list(dict.fromkeys(ref.area_of(a) for a in app.activities if a in ref.activities))
        for area in areas:
            count[area] += 1
            if math.isnan(cost):
                unknown[area].append(app.name)
            else:
                known[area] += cost / len(areas)
    return pd.DataFrame({"area_id": [a.id for a in ref.areas],
                         "cost_per_year": [known.get(a.id, 0.0) for a in ref.areas],
                         "applications": [count.get(a.id, 0) for a in ref.areas],
                         "unknown_cost": [unknown[a.id] for a in ref.areas]}).set_index("area_id")


@dataclass
class LandscapeAnalysis:
    inventory: pd.DataFrame
    coverage: pd.DataFrame
    gaps: list[str]  # activity ids without an application
    overlaps: dict[str, list[str]]  # activity id -> the applications that support it (more than one)
    register_once: dict[str, list[str]]  # data object id -> the applications that register it (more than one)
    cost: pd.DataFrame
    unknown_ids: list[str]  # ids in the inventory that the reference list does not know (messages)


def analyse(apps: list[Application], ref: LandscapeReference, lang: str = "nl") -> LandscapeAnalysis:
    matrix = coverage(apps, ref)
    support = matrix.sum(axis=1)
    overlaps = {act: [name for name in matrix.columns if matrix.loc[act, name]] for act in matrix.index[support > 1]}
    unknown = []
    types = {s.id for s in ref.system_types}
    objects = {d.id for d in ref.data_objects}
    for app in apps:
        if app.type not in types:
            unknown.append(t("land_unknown_type", lang, app=app.name, id=app.type))
        for a in app.activities:
            if a not in ref.activities:
                unknown.append(t("land_unknown_activity", lang, app=app.name, id=a))
        for o in [*app.masters, *app.uses]:
            if o not in objects:
                unknown.append(t("land_unknown_object", lang, app=app.name, id=o))
    inventory = inventory_frame(apps, ref)
    return LandscapeAnalysis(inventory, matrix, list(matrix.index[support == 0]), overlaps,
                             register_once_violations(apps), cost_per_area(apps, ref, inventory), unknown)


def findings(analysis: LandscapeAnalysis, ref: LandscapeReference, lang: str = "nl") -> list[str]:
    """The analysis in plain sentences, most important first: register-once, overlaps, gaps."""
    out = []
    for obj, names in analysis.register_once.items():
        out.append(t("land_finding_register_once", lang, object=ref.label("object", obj, lang),
                     apps=format_list(names, lang)))
    for act, names in analysis.overlaps.items():
        out.append(t("land_finding_overlap", lang, activity=ref.label("activity", act, lang), apps=", ".join(names)))
    if analysis.gaps:
        out.append(t("land_finding_gaps", lang, activities=", ".join(ref.label("activity", a, lang) for a in analysis.gaps)))
    return out


# --- the network view (facilitator) ---------------------------------------------------------------------

def network_landscape(documents: list[dict], ref: LandscapeReference, min_n: int = MIN_GROUP) -> dict[str, pd.DataFrame]:
    """Across schools (plain answers documents): how many schools use each system type, and how many schools
    register each data object in more than one application. Only schools with an inventory count; below
    ``min_n`` such schools nothing is returned (the frames are empty), so no school can be recognised."""
    inventories = [[Application.model_validate(a) for a in d.get("landscape") or []] for d in documents]
    inventories = [apps for apps in inventories if apps]
    n = len(inventories)
    if n < min_n:
        return {"n": pd.DataFrame({"schools": [n]}), "types": pd.DataFrame(), "register_once": pd.DataFrame()}
    types = Counter(tp for apps in inventories for tp in {a.type for a in apps})
    doubles = Counter(obj for apps in inventories for obj in register_once_violations(apps))
    type_frame = pd.DataFrame({"type": list(types), "schools": list(types.values())})
    type_frame["share"] = type_frame["schools"] / n
    twice = pd.DataFrame({"object": list(doubles), "schools": list(doubles.values())})
    twice["share"] = twice["schools"] / n if len(twice) else []
    return {"n": pd.DataFrame({"schools": [n]}),
            "types": type_frame.sort_values("schools", ascending=False, ignore_index=True),
            "register_once": twice.sort_values("schools", ascending=False, ignore_index=True)}
