"""Roles, tasks, responsibilities and authorities (werkboek 6): a RACI per task and role, with flags. Pure.

Flags, also in the README:

* **demand and supply in one role**: a role that carries out (R) an IM (demand) task and also an ICT
  (supply) task: it decides which information is needed and also which technology provides it. (Being
  accountable, A, for both is a school leader's normal job and is not flagged.) A warning; a *strong* warning from ``mixed_strong_from_pupils`` pupils
  (content, default 400), because a larger school can and should separate them;
* a task **without a Responsible**; a task **without exactly one Accountable** (none, or more than one);
* **hours**: the hours per year given per role against the IM and ICT hours of werkboek 2 (all areas).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

from imworkbook.base.i18n import format_number, t
from imworkbook.model.answers import Answers
from imworkbook.model.content import RolesModel



def raci_table(answers: Answers, roles: RolesModel) -> pd.DataFrame:
    """Tasks (rows, with their side) x roles (columns): the letter or ''."""
    rows = []
    for task in roles.tasks:
        given = answers.roles.assignments.get(task.id, {})
        rows.append({"task_id": task.id, "side": task.side, **{r.id: given.get(r.id, "") for r in roles.roles}})
    return pd.DataFrame(rows).set_index("task_id")


@dataclass
class Flag:
    kind: str  # mixed | mixed_strong | no_responsible | accountable
    subject: str  # a role id or a task id
    message: str


def flags(answers: Answers, roles: RolesModel, lang: str = "nl") -> list[Flag]:
    """Every flag of the school's RACI, strongest first."""
    table = raci_table(answers, roles)
    role_label = {r.id: r.label(lang) for r in roles.roles}
    task_label = {tk.id: tk.label(lang) for tk in roles.tasks}
    out: list[Flag] = []
    pupils = answers.school.pupils or 0
    for role in roles.roles:
        holds = table[table[role.id] == "R"]  # doing both; being accountable for both is a leader's normal job
        demand = holds[holds["side"] == "vraag"].index.tolist()
        supply = holds[holds["side"] == "aanbod"].index.tolist()
        if demand and supply:
            strong = pupils >= roles.mixed_strong_from_pupils
            key = "roles_flag_mixed_strong" if strong else "roles_flag_mixed"
            out.append(Flag("mixed_strong" if strong else "mixed", role.id,
                            t(key, lang, role=role_label[role.id], demand=len(demand), supply=len(supply),
                              pupils=pupils, limit=roles.mixed_strong_from_pupils)))
    assigned = [tk for tk in roles.tasks if answers.roles.assignments.get(tk.id)]
    for task in roles.tasks:
        letters = list(answers.roles.assignments.get(task.id, {}).values())
        if task not in assigned:
            continue  # an empty row is 'not filled in yet', shown as progress, not flagged twice
        if "R" not in letters:
            out.append(Flag("no_responsible", task.id, t("roles_flag_no_r", lang, task=task_label[task.id])))
        if letters.count("A") != 1:
            out.append(Flag("accountable", task.id, t("roles_flag_a", lang, task=task_label[task.id],
                                                       n=letters.count("A"))))
    order = {"mixed_strong": 0, "mixed": 1, "accountable": 2, "no_responsible": 3}
    return sorted(out, key=lambda f: order[f.kind])


@dataclass
class HoursCheck:
    roles_hours: float  # the hours per year given per role (sum)
    investment_hours: float  # IM + ICT hours of werkboek 2 (NaN when none filled in)
    difference: float
    message: str


def hours_check(answers: Answers, lang: str = "nl") -> HoursCheck:
    """The hours per role against the IM and ICT hours in the investment (werkboek 2)."""
    given = sum(answers.roles.hours.values())
    values = [v.get(k) for v in answers.investment.areas.values() for k in ("hours_im", "hours_ict")]
    known = [v for v in values if isinstance(v, (int, float))]
    invested = float(sum(known)) if known else math.nan
    diff = given - invested if known else math.nan
    if not answers.roles.hours:
        message = t("roles_hours_none", lang)
    elif math.isnan(invested):
        message = t("roles_hours_no_investment", lang, hours=format_number(given, lang, 0))
    else:
        message = t("roles_hours_compare", lang, roles=format_number(given, lang, 0),
                    invest=format_number(invested, lang, 0), diff=format_number(abs(diff), lang, 0),
                    more=t("roles_hours_more" if diff > 0 else "roles_hours_less", lang) if diff else "")
    return HoursCheck(given, invested, diff, message)
