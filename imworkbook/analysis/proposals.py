"""Critical questions for a proposed application (werkboek 5): an advice with its reasons. Pure functions.

The five questions (after Kennisnet's series): 1. which goal does it serve; 2. is there already an application
for that (checked against the inventory); 3. does it fit the ICT landscape, technically and for maintenance;
4. which information does it use, and is that allowed (personal data needs a processing agreement);
5. what does it cost: one-off, implementation and licence, as a total cost of ownership over
``settings.tco_years`` of the investment model (5 in the shipped content).

Advice, also in the README:

* **niet doen** (don't) when no goal is given, or personal data would be used without a processing agreement
  ("nee");
* **eerst uitzoeken** (find out first) when an application in the inventory already supports one of its
  activities or registers data it would use, when technical fit or maintenance is not a clear "ja", when it is
  unknown whether a processing agreement exists, or when costs are missing;
* **ga door** (go ahead) otherwise.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from imworkbook.base.i18n import t
from imworkbook.base.numbers import format_euro
from imworkbook.model.answers import Application, Proposal
from imworkbook.model.content import OTHER_TYPE, LandscapeReference

ADVICE_KEYS = {"ga_door": "advice_go", "eerst_uitzoeken": "advice_find_out", "niet_doen": "advice_stop"}


def tco(proposal: Proposal, hourly_rate: float, years: int) -> float:
    """Total cost of ownership over ``years``: one-off + implementation + licences + own hours at the rate.
    NaN when a cost is not filled in (0 is a real answer)."""
    parts = [proposal.cost_once, proposal.cost_implementation, proposal.licence_year, proposal.hours_year]
    if any(p is None for p in parts):
        return math.nan
    return proposal.cost_once + proposal.cost_implementation + years * (proposal.licence_year
                                                                           + proposal.hours_year * hourly_rate)


def equivalents(proposal: Proposal, apps: list[Application]) -> list[tuple[str, list[str]]]:
    """Applications in the inventory that already support one of the proposal's activities or are of the same
    type: ``(name, [what they share])``."""
    out = []
    for app in apps:
        shared = [a for a in proposal.activities if a in app.activities]
        same_type = app.type == proposal.type and proposal.type != OTHER_TYPE
        if shared or same_type:
            out.append((app.name, shared))
    return out


QUESTIONS = 5


def answered(proposal: Proposal) -> int:
    """How many of the five questions have an answer (an empty form: 0, and then there is no advice yet)."""
    return sum((
        bool(proposal.goal.strip()),
        bool(proposal.activities),
        proposal.technical_fit is not None or proposal.maintenance is not None,
        bool(proposal.data_objects) or proposal.processing_agreement is not None,
        any(getattr(proposal, k) is not None for k in ("cost_once", "cost_implementation", "licence_year",
                                                        "hours_year")),
    ))


@dataclass
class Advice:
    verdict: str  # ga_door | eerst_uitzoeken | niet_doen
    reasons: list[str] = field(default_factory=list)
    tco: float = math.nan
    equivalents: list[tuple[str, list[str]]] = field(default_factory=list)


def advise(proposal: Proposal, apps: list[Application], ref: LandscapeReference, *, hourly_rate: float, years: int,
           lang: str = "nl") -> Advice:
    """The advice with its reasons in plain language (see the module docstring for the rules).

    ``hourly_rate``: the school's (:func:`imworkbook.analysis.proportion.hourly_rate`); ``years``: the period of the total
    cost (``settings.tco_years`` in data/investment/model.yaml)."""
    stop: list[str] = []
    check: list[str] = []
    if not proposal.goal.strip():
        stop.append(t("prop_q_no_goal", lang))
    found = equivalents(proposal, apps)
    for name, shared in found:
        activities = [ref.label("activity", a, lang) for a in shared]  # labels are sentences: lower case inside one
        what = ", ".join(x[:1].lower() + x[1:] for x in activities) or ref.label("type", proposal.type, lang)
        check.append(t("prop_q_existing", lang, app=name, what=what))
    registered = {obj: app.name for app in apps for obj in app.masters}
    for obj in proposal.data_objects:
        if obj in registered:
            check.append(t("prop_q_register_once", lang, object=ref.label("object", obj, lang), app=registered[obj]))
    for key, label in (("technical_fit", "prop_q_technical"), ("maintenance", "prop_q_maintenance")):
        if getattr(proposal, key) != "ja":
            check.append(t(label, lang))
    personal = [o for o in proposal.data_objects if any(d.id == o and d.personal for d in ref.data_objects)]
    if personal:
        names = ", ".join(ref.label("object", o, lang) for o in personal)
        if proposal.processing_agreement == "nee":
            stop.append(t("prop_q_no_agreement", lang, objects=names))
        elif proposal.processing_agreement != "ja":
            check.append(t("prop_q_agreement_unknown", lang, objects=names))
    total = tco(proposal, hourly_rate, years)
    if math.isnan(total):
        check.append(t("prop_q_costs_missing", lang))
    verdict = "niet_doen" if stop else "eerst_uitzoeken" if check else "ga_door"
    reasons = stop + check
    if not reasons:
        reasons.append(t("prop_q_all_clear", lang))
    if not math.isnan(total):
        reasons.append(t("prop_q_tco", lang, years=years, eur=format_euro(total, lang)))
    return Advice(verdict, reasons, total, found)
