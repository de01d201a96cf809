"""Is a content folder usable? Run the real computations on answers made from the content itself.

The schema (:mod:`imworkbook.model.content`) checks each file on its own; this module proves the files work together
with the code before a school or a network uses them: :func:`usability_problems` loads every content file of a
data folder (also the application landscape and the roles, which no other check reads), builds synthetic answers
documents from the content (every item answered at every level, every investment field filled in, one
application per system type covering every activity, a RACI over every task and role; and an empty document),
and runs scoring, the investment proportion with its plausibility checks, the priorities, the landscape analysis,
a proposal's advice and the RACI flags on them, in both languages and both sectors. Whatever raises becomes a
:class:`~imworkbook.base.errors.Problem` naming the content file the computation reads and, where the error says it,
the field, so ``imworkbook check-content`` refuses the folder with a message instead of a traceback later.
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable

from imworkbook.base import paths
from imworkbook.model.answers import Answers, Application, Proposal, new_answers
from imworkbook.model.content import (LANGS, SECTORS, InvestmentModel, LandscapeReference, MaturityModel, RolesModel,
                                      load_investment_model, load_landscape_reference, load_model, load_roles_model)
from imworkbook.base.errors import ContentError, Msg, Problem, reason

MATURITY = "maturity/model.yaml"
INVESTMENT = "investment/model.yaml"
LANDSCAPE = "landscape/reference.yaml"
ROLES = "roles/tasks.yaml"

# a number per unit of an investment field, different per area so that under, balanced and over all occur
_VALUE = {"hours": 40.0, "euro": 3000.0, "euro_per_year": 800.0, "years": 4.0, "fte": 0.2}


def _load(loader: Callable, folder: Path | None, problems: list[Problem]):
    try:
        return loader(folder)
    except ContentError as exc:
        problems.extend(exc.problems)
        return None


def synthetic_answers(model: MaturityModel, inv: InvestmentModel | None, ref: LandscapeReference | None,
                      roles: RolesModel | None, sector: str) -> Answers:
    """An answers document that touches every part of the content: every item, field, activity, data object,
    system type, task and role (a school that has filled in everything, with varied values)."""
    answers = new_answers("Controle", sector, pupils=350 if sector == "po" else 1200, model=model)  # both sizes
    for i, item_id in enumerate(model.item_ids):
        current = 1 + i % 5
        answers.answers[item_id] = answers.answer(item_id).model_copy(
            update={"current": current, "target": min(5, current + i % 3)})
    if inv is not None:
        for i, area in enumerate(model.areas):
            values: dict = {"ambition": 1 + i % 5}
            for f in inv.fields:
                if f.unit == "choice":
                    values[f.id] = f.choices[i % len(f.choices)].value
                else:
                    values[f.id] = _VALUE.get(f.unit, 1.0) * (1 + (i * 2) % 5) ** 2
            answers.investment.areas[area.id] = values
    if ref is not None:
        activities, objects = list(ref.activities), [d.id for d in ref.data_objects]
        for i, kind in enumerate(ref.system_types):
            answers.landscape.append(Application(
                name=f"Systeem {i + 1}", type=kind.id, activities=activities[i::len(ref.system_types)] or activities[:1],
                masters=objects[i % len(objects):][:2], uses=objects[:1], cost_year=1000.0 * (i + 1),
                cost_once=None if i % 2 else 5000.0, business_fit=1 + i % 5, technical_fit=5 - i % 5))
        answers.proposals.append(Proposal(name="Nieuw systeem", type=ref.system_types[0].id, goal="Doel",
                                          activities=activities[:2], technical_fit="ja", maintenance="weet_niet",
                                          data_objects=objects[:2], processing_agreement="weet_niet", cost_once=100,
                                          cost_implementation=50, licence_year=10, hours_year=5))
    if roles is not None:
        letters = "RACI"
        for i, task in enumerate(roles.tasks):
            answers.roles.assignments[task.id] = {r.id: letters[(i + j) % 4] for j, r in enumerate(roles.roles)}
        answers.roles.hours.update({r.id: 100.0 for r in roles.roles})
    return answers


def _field_of(exc: Exception) -> str:
    if isinstance(exc, KeyError) and exc.args:
        return str(exc.args[0])
    return ""


def _failed(file: str, what: Msg, exc: Exception) -> Problem:
    """The problem for a computation (``what``, a ``reason.compute_*``) that raised on this content."""
    if isinstance(exc, KeyError) and exc.args:
        return Problem(file, _field_of(exc), "content.cannot_compute_key", {"what": what, "key": str(exc.args[0])})
    return Problem(file, "", "content.cannot_compute", {"what": what, "error": f"{type(exc).__name__}: {exc}"})


def run_computations(answers: Answers, model: MaturityModel, inv: InvestmentModel | None,
                     ref: LandscapeReference | None, roles: RolesModel | None, lang: str) -> list[Problem]:
    """Every computation a school's screens and report make, on ``answers``; one problem per computation that
    raises (the file it reads, the field when the error names one)."""
    from imworkbook.analysis.landscape import analyse, findings
    from imworkbook.analysis.priorities import priorities
    from imworkbook.analysis.proportion import checks, compute, hourly_rate
    from imworkbook.analysis.proposals import advise
    from imworkbook.analysis.roles import flags, hours_check, raci_table
    from imworkbook.analysis.scoring import area_scores, item_table, overall_score, remarks, score_table

    problems: list[Problem] = []

    def attempt(file: str, what: Msg, run: Callable):
        try:
            return run()
        except Exception as exc:  # noqa: BLE001 - the point: any crash becomes a message about the content
            problems.append(_failed(file, what, exc))
            return None

    scores = attempt(MATURITY, reason("compute_scores"), lambda: area_scores(answers, model, lang))
    attempt(MATURITY, reason("compute_score_table"), lambda: (overall_score(scores) if scores is not None else None,
                                               remarks(item_table(answers, model), model, lang),
                                               score_table(answers, model, lang)))
    if inv is not None and scores is not None:
        result = attempt(INVESTMENT, reason("compute_proportion"),
                         lambda: compute(answers, model, inv, lang=lang, maturity=scores))
        if result is not None:
            attempt(INVESTMENT, reason("compute_investment_checks"), lambda: checks(answers, result, inv, lang))
            attempt(INVESTMENT, reason("compute_priorities"),
                    lambda: priorities(scores, result.table, lang=lang, inv=inv))
    if ref is not None:
        analysis = attempt(LANDSCAPE, reason("compute_landscape"), lambda: analyse(answers.landscape, ref, lang))
        if analysis is not None:
            attempt(LANDSCAPE, reason("compute_landscape_findings"), lambda: findings(analysis, ref, lang))
        if inv is not None:
            for proposal in answers.proposals:
                attempt(LANDSCAPE, reason("compute_proposal"), lambda: advise(
                    proposal, answers.landscape, ref, hourly_rate=hourly_rate(answers, inv),
                    years=inv.settings.tco_years, lang=lang))
    if roles is not None:
        attempt(ROLES, reason("compute_roles"), lambda: (raci_table(answers, roles), flags(answers, roles, lang),
                                                      hours_check(answers, lang)))
    return problems


def usability_problems(data: str | Path | None = None) -> list[Problem]:
    """Load every content file under ``data`` (default: the package's data folder) and run every computation on
    synthetic answers made from it (both sectors, both languages, filled in and empty); the problems, each once."""
    root = Path(data) if data is not None else paths.data_dir()
    problems: list[Problem] = []
    model = _load(load_model, root / "maturity", problems)
    inv = _load(load_investment_model, root / "investment", problems)
    ref = _load(load_landscape_reference, root / "landscape", problems)
    roles = _load(load_roles_model, root / "roles", problems)
    if model is None:
        return problems
    seen = {str(p) for p in problems}
    for sector in SECTORS:
        try:
            full = synthetic_answers(model, inv, ref, roles, sector)
        except Exception as exc:  # noqa: BLE001
            problems.append(_failed("", reason("compute_synthetic_school"), exc))
            continue
        empty = new_answers("Leeg", sector, model=model)
        for answers in (full, empty):
            for lang in LANGS:
                for problem in run_computations(answers, model, inv, ref, roles, lang):
                    if str(problem) not in seen:
                        seen.add(str(problem))
                        problems.append(problem)
    return problems

