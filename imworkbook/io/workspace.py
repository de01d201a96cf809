"""The examples and the user's own schools in the werkmap."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


from imworkbook.base import paths
from imworkbook.base.errors import AnswersFileError, Invalid, Problem
from imworkbook.base.errors import reason_of
from imworkbook.base.storage import atomic_write_bytes
from imworkbook.io.reading import load_answers
from imworkbook.io.session import Session
from imworkbook.model.content import MaturityModel, load_model


EXAMPLES_SUBFOLDER = "voorbeelden"  # your working copies of the examples: <antwoorden>/voorbeelden/


# --- examples and the user's schools ------------------------------------------

def examples_dir() -> Path:
    return paths.data_dir() / "examples"


def list_examples() -> list[Path]:
    return sorted(examples_dir().glob("*.json"))


def open_example(which: str = "po", folder: str | Path | None = None,
                 model: MaturityModel | None = None, reset: bool = False) -> Session:
    """Open an example school as your own working copy (the file in ``data/`` is never changed).

    ``which`` is ``"po"``, ``"vo"`` or the name of an example file. The first
    time, the example is copied into ``<folder>/voorbeelden/`` (``folder``: the
    answers folder, ``werkmap/antwoorden``); later calls open that copy (with
    your changes) unless ``reset=True``. The copy is not one of your schools:
    :func:`list_schools` and the collection step read ``antwoorden/*.json``
    only, and :func:`imworkbook.io.collect.collect` skips a ``voorbeelden/``
    folder ("voorbeeld; niet meegeteld"), so an example never counts as a
    network school.
    """
    model = model or load_model()
    candidates = list_examples()
    chosen = [p for p in candidates if p.stem == which or p.name == which]
    if not chosen:
        for p in candidates:
            if load_answers(p, model).answers.school.sector == which:
                chosen = [p]
                break
    if not chosen:
        raise Invalid("value.no_such_example", given=repr(which), names=[p.stem for p in candidates])
    folder = (Path(folder) if folder is not None else paths.answers_dir()) / EXAMPLES_SUBFOLDER
    target = folder / chosen[0].name
    if reset or not target.exists():
        folder.mkdir(parents=True, exist_ok=True)
        atomic_write_bytes(target, chosen[0].read_bytes())
    return Session.open(target, model)


def open_school(path: str | Path, model: MaturityModel | None = None) -> Session:
    """Open a saved answers file (see :func:`list_schools`)."""
    return Session.open(path, model)


@dataclass(frozen=True)
class SchoolFile:
    path: Path
    name: str
    sector: str
    round: str
    saved_at: str | None
    rater: str | None = None
    code: str | None = None
    location: str | None = None  # vo locations share a BRIN (answers.school_identity)


def list_schools(folder: str | Path | None = None,
                 model: MaturityModel | None = None) -> tuple[list[SchoolFile], list[Problem]]:
    """The answers files in the werkmap, newest first, and the problems with unreadable ones."""
    folder = Path(folder) if folder is not None else paths.answers_dir()
    found: list[SchoolFile] = []
    problems: list[Problem] = []
    for path in sorted(folder.glob("*.json")):
        if ".origineel-" in path.name:
            continue
        try:
            a = load_answers(path, model).answers
        except AnswersFileError as exc:
            problems.extend(exc.problems)
            continue
        except Exception as exc:  # one odd file must never stop the user from opening the others
            problems.append(Problem(path.name, "", "file.unreadable", {"why": reason_of(exc)}))
            continue
        found.append(SchoolFile(path, a.school.name, a.school.sector, a.round, a.saved_at, a.rater, a.school.code,
                                    a.school.location))
    found.sort(key=lambda s: (s.saved_at or "", s.path.stat().st_mtime), reverse=True)
    return found, problems
