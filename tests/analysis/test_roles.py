"""imworkbook.analysis.roles: the RACI per task and role and its flags (the rules in the module docstring and README)."""

import math

from hypothesis import given, settings, strategies as st

from imworkbook.analysis.roles import flags, hours_check, raci_table
from imworkbook.base.i18n import t
from imworkbook.model.answers import new_answers
from imworkbook.model.content import load_roles_model

ROLES = load_roles_model()
TASKS = [t.id for t in ROLES.tasks]
ROLE_IDS = [r.id for r in ROLES.roles]
SIDE = {t.id: t.side for t in ROLES.tasks}

letters = st.dictionaries(st.sampled_from(ROLE_IDS), st.sampled_from("RACI"), max_size=len(ROLE_IDS))


@settings(max_examples=60, deadline=None)
@given(st.dictionaries(st.sampled_from(TASKS), letters, max_size=len(TASKS)), st.integers(1, 2000))
def test_every_flag_follows_its_rule(assignments, pupils):
    answers = new_answers("Proef", "po", pupils=pupils)
    answers.roles.assignments.update(assignments)
    got = flags(answers, ROLES)
    kinds = {(f.kind, f.subject) for f in got}
    for task, given_ in assignments.items():
        values = list(given_.values())
        assert (("no_responsible", task) in kinds) == (bool(values) and "R" not in values)
        assert (("accountable", task) in kinds) == (bool(values) and values.count("A") != 1)
    strong = pupils >= ROLES.mixed_strong_from_pupils
    for role in ROLE_IDS:
        sides = {SIDE[t] for t, g in assignments.items() if g.get(role) == "R"}
        both = sides == {"vraag", "aanbod"}
        assert (("mixed_strong", role) in kinds) == (both and strong)
        assert (("mixed", role) in kinds) == (both and not strong)
    order = {"mixed_strong": 0, "mixed": 1, "accountable": 2, "no_responsible": 3}
    assert [order[f.kind] for f in got] == sorted(order[f.kind] for f in got)
    assert all(f.message for f in flags(answers, ROLES, "en"))
    table = raci_table(answers, ROLES)
    assert list(table.index) == TASKS and set(ROLE_IDS) <= set(table.columns)


def test_hours_are_compared_with_the_investment():
    answers = new_answers("Proef", "po", pupils=200)
    assert hours_check(answers, "en").message == t("roles_hours_none", "en")  # nothing given: says so
    answers.roles.hours.update({ROLE_IDS[0]: 120.0, ROLE_IDS[1]: 30.0})
    check = hours_check(answers)
    assert check.roles_hours == 150 and math.isnan(check.investment_hours) and math.isnan(check.difference)
    answers.investment.areas["visie"] = {"hours_im": 40.0, "hours_ict": None}
    answers.investment.areas["rollen"] = {"hours_im": 20.0, "hours_ict": 10.0}
    check = hours_check(answers, "en")
    assert check.investment_hours == 70 and check.difference == 80
    assert "150" in check.message and "70" in check.message and "80" in check.message
