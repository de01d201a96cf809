"""Several raters of one school: compare their answers and merge them into the school's answer.

Pure functions (no widgets). Rules, also in the README:

* the files must be of the same school (school code, else name), round and question set;
* per item and per level (current, desired): the *proposal* is the lower median of the raters' levels 1-5
  ("weet niet" and "n.v.t." do not count; when nobody gave a level but all said the same, that is kept);
* raters *disagree* on an item when their levels are ``disagreement`` (content, default 2) or more apart;
  the merged answer then takes the level the school settled on (``choices``), else the proposal, and the
  disagreement is written into the item's note (who said what), so it is never lost;
* notes of the raters are kept, each marked with the rater's role;
* investment: a value all raters agree on is kept; different values become their median, with a note in
  that area; anything a rater's file had set aside is kept under ``set_aside › raters › <role>``;
* replacing the school's existing file keeps what none of the raters filled in (investment, landscape,
  proposals, roles) from that file.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from imworkbook.base.errors import ImworkbookError, Msg, Problem
from imworkbook.base.i18n import format_number, t
from imworkbook.base.storage import atomic_write_bytes, locked
from imworkbook.io.reading import load_answers
from imworkbook.io.writing import answers_bytes, backup_copy
from imworkbook.model.answers import Answers, ItemAnswer, school_identity
from imworkbook.model.answers import NOTE_MAX_CHARS
from imworkbook.model.content import MaturityModel, RaterRoles, load_investment_model, load_rater_roles

Which = str  # "current" | "target"
WHICH_KEY = {"current": "merge_current", "target": "merge_target"}


class MergeError(ImworkbookError):
    """Files that cannot be merged (another school, round or question set; the same rater twice)."""


@dataclass
class Rater:
    label: str  # the role as shown ("ICT-coördinator"), or the file name when no role is set
    answers: Answers


def _check(raters: list[Rater]) -> None:
    if len(raters) < 2:
        raise MergeError(Problem("", "", "merge.too_few_raters"))
    first = raters[0].answers
    problems = []
    for r in raters[1:]:
        a = r.answers
        if school_identity(a.school.code, a.school.name, a.school.location) != school_identity(first.school.code, first.school.name, first.school.location):
            problems.append(Problem(r.label, "school", "merge.other_school",
                                    {"school": a.school.name, "first": first.school.name}))
        if a.round != first.round:
            problems.append(Problem(r.label, "round", "merge.other_round", {"round": a.round, "first": first.round}))
        if a.school.scope and first.school.scope and a.school.scope != first.school.scope:
            problems.append(Problem(r.label, ("school", "scope"), "merge.other_scope",
                                    {"scope": a.school.scope, "first": first.school.scope, "rater": raters[0].label}))
        if a.model.id != first.model.id:
            problems.append(Problem(r.label, "model", "merge.other_model", {"model": a.model.id}))
    labels = [r.label for r in raters]
    for label in sorted({x for x in labels if labels.count(x) > 1}):
        problems.append(Problem(label, "rater", "merge.rater_twice"))
    if problems:
        raise MergeError(problems, Msg("problem.merge.title"))


def _levels(values: list[Any]) -> list[int]:
    return [v for v in values if type(v) is int]


def proposal(values: list[Any]) -> Any:
    """The lower median of the levels 1-5; without any level: the common 'weet niet'/'n.v.t.', else None."""
    levels = _levels(values)
    if levels:
        return statistics.median_low(levels)
    given = {v for v in values if v is not None}
    return given.pop() if len(given) == 1 else None


def spread(values: list[Any]) -> int:
    levels = _levels(values)
    return max(levels) - min(levels) if len(levels) >= 2 else 0


def compare(raters: list[Rater], model: MaturityModel, roles: RaterRoles | None = None) -> pd.DataFrame:
    """One row per item: each rater's current and desired level, the spread, the proposal, and whether the
    raters disagree (spread >= the content's ``disagreement``)."""
    roles = roles or load_rater_roles()
    _check(raters)
    rows = []
    for area in model.areas:
        for item in area.items:
            row: dict[str, Any] = {"item_id": item.id, "area_id": area.id}
            for which in ("current", "target"):
                values = [getattr(r.answers.answer(item.id), which) for r in raters]
                for r, v in zip(raters, values):
                    row[f"{which}:{r.label}"] = v
                row[f"spread_{which}"] = spread(values)
                row[f"proposal_{which}"] = proposal(values)
            row["disagree"] = max(row["spread_current"], row["spread_target"]) >= roles.disagreement
            rows.append(row)
    return pd.DataFrame(rows).set_index("item_id")


def _level_text(value: Any, lang: str) -> str:
    if value is None:
        return "–"
    if value in ("weet_niet", "nvt"):
        return t(value, lang)
    return str(value)


def merge(raters: list[Rater], model: MaturityModel, choices: dict[tuple[str, Which], Any] | None = None, *,
          roles: RaterRoles | None = None, lang: str = "nl", into: Answers | None = None) -> Answers:
    """The school's answer from several raters' files (see the module docstring for the rules).

    ``into``: the school's existing answers file, when the merge replaces it. What none of the raters filled in
    (the investment, the application landscape, proposals, roles) is then taken from it, so nothing is lost.
    """
    roles = roles or load_rater_roles()
    choices = choices or {}
    table = compare(raters, model, roles)
    first = raters[0].answers
    merged = first.model_copy(deep=True)
    merged.rater = None
    merged.saved_at = None
    merged.set_aside = {}
    pupils = [r.answers.school.pupils for r in raters if r.answers.school.pupils]
    merged.school.pupils = pupils[0] if pupils else None
    merged.school.code = next((r.answers.school.code for r in raters if r.answers.school.code), None)
    merged.school.scope = next((r.answers.school.scope for r in raters if r.answers.school.scope), None)
    merged.school.location = next((r.answers.school.location for r in raters if r.answers.school.location), None)

    items: dict[str, ItemAnswer] = {}
    for item_id, row in table.iterrows():
        values = {w: choices.get((item_id, w), row[f"proposal_{w}"]) for w in ("current", "target")}
        notes = []
        for which in ("current", "target"):
            if row[f"spread_{which}"] >= roles.disagreement:
                said = ", ".join(f"{r.label} {_level_text(row[f'{which}:{r.label}'], lang)}" for r in raters)
                notes.append(t("merge_note_disagree", lang, which=t(WHICH_KEY[which], lang), said=said,
                               chosen=_level_text(values[which], lang)))
        for r in raters:
            own = r.answers.answer(item_id).note.strip()
            if own:
                notes.append(f"[{r.label}] {own}")
        note = "\n".join(notes)
        if len(note) > NOTE_MAX_CHARS:
            note = note[:NOTE_MAX_CHARS - 2] + " …"
        answer = ItemAnswer(current=_clean(values["current"]), target=_clean(values["target"]), note=note)
        if not answer.is_empty():
            items[item_id] = answer
    merged.answers = items
    merged.investment = _merge_investment(raters, lang)
    kept = {r.label: r.answers.set_aside for r in raters if r.answers.set_aside}
    if kept:
        merged.set_aside = {"raters": kept}
    if into is not None:
        if not merged.investment.areas:
            merged.investment = into.investment.model_copy(deep=True)
        for key in ("landscape", "proposals"):
            if not getattr(merged, key):
                setattr(merged, key, [x.model_copy(deep=True) for x in getattr(into, key)])
        if not (merged.roles.assignments or merged.roles.hours):
            merged.roles = into.roles.model_copy(deep=True)
        if into.set_aside:
            merged.set_aside = merged.set_aside | {"school_file": into.set_aside}
    return Answers.model_validate(merged.model_dump())


def _clean(value: Any) -> Any:
    if value is None or value != value:  # NaN from pandas
        return None
    return int(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else value


def _merge_investment(raters: list[Rater], lang: str):
    inv_model = load_investment_model()
    first = raters[0].answers.investment.model_copy(deep=True)
    for key in ("hourly_rate", "staff_fte", "levy_eur", "levy_attribution"):  # the first rater who filled it in
        setattr(first, key, next((getattr(r.answers.investment, key) for r in raters
                                  if getattr(r.answers.investment, key) is not None), None))
    areas: dict[str, dict[str, Any]] = {}
    area_ids = sorted({a for r in raters for a in r.answers.investment.areas})
    fields = ["ambition", *[f.id for f in inv_model.fields]]
    labels = {"ambition": t("ambition", lang), **{f.id: f.label(lang) for f in inv_model.fields}}
    for area_id in area_ids:
        out: dict[str, Any] = {}
        notes = []
        for field in fields:
            given = [(r.label, r.answers.investment.areas.get(area_id, {}).get(field)) for r in raters]
            values = [v for _, v in given if v is not None]
            if not values:
                continue
            if len(set(values)) == 1:
                out[field] = values[0]
                continue
            middle = statistics.median_low(values) if field in ("ambition", "tooling") else statistics.median(values)
            out[field] = middle
            said = ", ".join(f"{label} {format_number(v, lang, 2)}" for label, v in given if v is not None)
            notes.append(t("merge_note_investment", lang, field=labels[field].lower(), said=said, chosen=format_number(middle, lang, 2)))
        own = [f"[{r.label}] {n}" for r in raters
               if (n := str(r.answers.investment.areas.get(area_id, {}).get("note") or "").strip())]
        note = "\n".join([*notes, *own])
        if note:
            out["note"] = note[:NOTE_MAX_CHARS]
        if out:
            areas[area_id] = out
    first.areas = areas
    return first


def rater_label(answers: Answers, file_name: str, roles: RaterRoles | None = None, lang: str = "nl") -> str:
    """How a rater is shown: the role's label, else (no role in the file) the file name."""
    roles = roles or load_rater_roles()
    return roles.label(answers.rater, lang) if answers.rater else file_name


@dataclass
class Saved:
    path: Path
    merged: Answers
    backup: Path | None  # the copy of the file the merge replaced, if there was one


def merge_and_save(raters: list[Rater], model: MaturityModel, path: Path, *, overwrite: bool = False,
                   choices: dict[tuple[str, Which], Any] | None = None, roles: RaterRoles | None = None,
                   lang: str = "nl") -> Saved:
    """Merge and write the school's file — the one way, for werkboek 7 and ``imworkbook merge`` alike.

    An existing file is replaced only with ``overwrite`` (else :class:`FileExistsError`); it is first copied to
    ``<name>.origineel-<time>.json`` and what no rater filled in is taken from it (see :func:`merge`).
    """
    path = Path(path)
    first = raters[0].answers
    with locked(path):  # read, copy and replace as one step: a window saving meanwhile waits, nothing is lost
        existing = backup = None
        if path.exists():
            if not overwrite:
                raise FileExistsError(2, "bestaat al", str(path))
            existing = load_answers(path, model).answers
            if (school_identity(existing.school.code, existing.school.name, existing.school.location), existing.round) != \
                    (school_identity(first.school.code, first.school.name, first.school.location), first.round):
                raise ImworkbookError(Problem(path.name, "", "merge.target_other_school", {
                    "school": existing.school.name, "code": existing.school.code or Msg("reason.no_code"),
                    "round": existing.round, "first": first.school.name,
                    "first_code": first.school.code or Msg("reason.no_code"), "first_round": first.round}))
            backup = backup_copy(path)
        merged = merge(raters, model, choices, roles=roles, lang=lang, into=existing)
        atomic_write_bytes(path, answers_bytes(merged))
    return Saved(path, merged, backup)
