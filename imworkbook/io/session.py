"""A school's open answers file that saves every change as a compare-and-swap."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Callable, Iterable, Literal

from pydantic import ValidationError

from imworkbook.base import paths
from imworkbook.base.numbers import parse_number
from imworkbook.base.storage import atomic_write_bytes, content_digest, locked, read_if_exists
from imworkbook.model.content import MaturityModel, load_investment_model, load_model
from imworkbook.base.errors import (AnswersFileError, ImworkbookError, Invalid, InvalidInput, Msg, Problem,
                                    from_pydantic)
from imworkbook.model.answers import (FIELD_NAMES_NL, Answers, Application, Investment, ItemAnswer, Proposal, School,
                                      Which, file_name, new_answers, normalize_ambition, normalize_investment,
                                      normalize_level)
from imworkbook.io.reading import _parse_bytes, load_answers
from imworkbook.io.writing import answers_bytes, backup_copy


class ConflictError(ImworkbookError):
    """The file changed on disk since this session read or wrote it and cannot be merged with this change."""


# --- a session that saves on every change -------------------------------------

class Session:
    """An open answers file that saves itself after every change.

    Use :func:`open_school`, :func:`open_example` or :meth:`Session.create`.

    Every change is a compare-and-swap on the file's content, under the file's lock (:mod:`imworkbook.base.storage`):
    the session remembers the SHA-256 of what it last read or wrote. If the file on disk is still exactly that,
    the change is written. If another window, process or sync tool changed it in the meantime, the file is read
    again and only this session's own change is applied on top of it, so both changes are kept (``reloaded``
    tells the app to show what the other one changed). A file that cannot be read again cleanly is never
    overwritten (:class:`ConflictError`). A change is kept in the session only once it is on disk: when saving
    fails, the session stays as it was and the error is raised.
    """

    def __init__(self, answers: Answers, path: Path, model: MaturityModel,
                 problems: Iterable[Problem] = (), backup_first: bool = False, digest: str | None = None):
        self.answers = answers
        self.path = Path(path)
        self.model = model
        self.problems = list(problems)
        self._backup_first = backup_first
        self.backup_path: Path | None = None
        self._digest = digest  # of the bytes this session last read or wrote; None: the file does not exist yet
        self.reloaded = False  # set when a save had to merge a change made elsewhere (see _write)

    # constructors ---------------------------------------------------------------
    @classmethod
    def open(cls, path: str | Path, model: MaturityModel | None = None) -> "Session":
        model = model or load_model()
        result = load_answers(path, model)
        return cls(result.answers, Path(path), model, result.problems, backup_first=result.has_problems,
                   digest=result.digest)

    @classmethod
    def create(cls, name: str, sector: str, round: str | None = None, *, code: str | None = None,
               pupils: int | None = None, folder: str | Path | None = None,
               model: MaturityModel | None = None, rater: str | None = None,
               scope: str | None = None) -> "Session":
        model = model or load_model()
        answers = new_answers(name, sector, round, code=code, pupils=pupils, model=model, rater=rater, scope=scope)
        folder = Path(folder) if folder is not None else paths.answers_dir()
        path = folder / file_name(answers.school.name, answers.round, answers.rater)
        if path.exists():
            raise FileExistsError(f"Er is al een antwoordenbestand voor {answers.school.name} in ronde "
                                  f"{answers.round}: {path.name}. Open dat bestand in plaats van een nieuw te maken.")
        session = cls(answers, path, model)
        session.save()
        return session

    # changes --------------------------------------------------------------------
    def _change(self, apply: Callable[[Answers], None]) -> None:
        """Apply a change and save it as a compare-and-swap (see the class); only then is it the session's state."""
        self._write(apply)

    def save(self) -> Path:
        """Write the session's state as it is (used when a file is created). Refused with :class:`ConflictError`
        when the file was changed elsewhere: there is no single change to re-apply then."""
        self._write(None)
        return self.path

    def _write(self, apply: Callable[[Answers], None] | None) -> None:
        candidate = self.answers.model_copy(deep=True)
        if apply is not None:
            apply(candidate)
        with locked(self.path):
            disk = read_if_exists(self.path)
            reloaded = False
            if content_digest(disk) != self._digest:
                if apply is None or disk is None:
                    raise self._conflict()
                try:
                    fresh = _parse_bytes(disk, self.path.name, self.model)
                except AnswersFileError:
                    raise self._conflict() from None
                if fresh.has_problems:
                    raise self._conflict()  # no longer a clean file: do not touch it
                candidate = fresh.answers
                apply(candidate)
                reloaded = True
            data = answers_bytes(candidate)
            if self._backup_first and disk is not None:
                self.backup_path = backup_copy(self.path)
                self.problems.append(Problem(self.path.name, "", "answers.backup_kept",
                                             {"backup": self.backup_path.name}, "note"))
            self._backup_first = False
            atomic_write_bytes(self.path, data)
        self.answers, self._digest = candidate, content_digest(data)
        self.reloaded = self.reloaded or reloaded

    def _conflict(self) -> ConflictError:
        return ConflictError(Problem(self.path.name, "", "answers.changed_elsewhere"))

    def _check_item(self, item_id: str) -> None:
        if item_id not in self.model.item_ids:
            raise KeyError(f"unknown item id: {item_id!r}")

    def set_level(self, item_id: str, which: Which, value: Any) -> None:
        """Set the current or target level (1-5, 'weet_niet', 'nvt' or None) and save."""
        if which not in ("current", "target"):
            raise ValueError(f"which must be 'current' or 'target'; got {which!r}")  # a caller's mistake, not UI text
        self._check_item(item_id)
        level = normalize_level(value)
        self._change(lambda a: setattr(a.answers.setdefault(item_id, ItemAnswer()), which, level))

    def set_note(self, item_id: str, text: str) -> None:
        self._check_item(item_id)
        text = text or ""
        limit = ItemAnswer.model_fields["note"].metadata[0].max_length
        if len(text) > limit:
            raise Invalid("value.note_too_long", length=len(text), limit=limit)
        self._change(lambda a: setattr(a.answers.setdefault(item_id, ItemAnswer()), "note", text))

    def _check_area(self, area_id: str) -> None:
        if area_id not in {a.id for a in self.model.areas}:
            raise KeyError(f"unknown area: {area_id!r}")

    def set_investment(self, area_id: str, field_id: str, value: Any) -> None:
        """Set one investment input of an area (text like ``"1.250,50"`` is parsed) and save.

        ``field_id`` is a field of ``data/investment/model.yaml``, ``"ambition"`` (1-5) or ``"note"``.
        Raises :class:`~imworkbook.base.errors.Invalid` (a ``ValueError``, worded in either language) for text,
        negative or impossible values.
        """
        self._check_area(area_id)
        if field_id == "ambition":
            number: Any = normalize_ambition(value)
        elif field_id == "note":
            number = value or ""
        else:
            fields = {f.id: f for f in load_investment_model().fields}
            if field_id not in fields:
                raise KeyError(f"unknown field: {field_id!r}")
            number = normalize_investment(fields[field_id], value)
        self._change(lambda a: a.investment.areas.setdefault(area_id, {}).__setitem__(field_id, number))

    def set_investment_setting(self, key: Literal["hourly_rate", "staff_fte", "levy_eur", "levy_attribution"],
                               value: Any) -> None:
        """The school's own hourly rate, staff size, levy for IM/ICT support or how the levy is spread over the
        areas (``None`` = use the default / the estimate / not known)."""
        if key not in ("hourly_rate", "staff_fte", "levy_eur", "levy_attribution"):
            raise KeyError(f"unknown setting: {key!r}")
        number = (value or None) if key == "levy_attribution" else parse_number(value)
        try:
            Investment.model_validate({key: number})
        except ValidationError as exc:
            raise InvalidInput([p.replace(where="") for p in from_pydantic(exc, "", {key: number})]) from None
        self._change(lambda a: setattr(a.investment, key, number))

    def set_application(self, app: "Application | dict", replace: str | None = None) -> None:
        """Add a new application to the inventory (``replace=None``), or replace the one named ``replace``. Names
        are unique (case does not count), also against what another window saved in the meantime."""
        try:
            app = app if isinstance(app, Application) else Application.model_validate(app)
        except ValidationError as exc:
            raise InvalidInput(from_pydantic(exc, "", app)) from None

        def apply(a: Answers) -> None:  # on the list being changed (it may have been read again)
            if any(x.name.lower() == app.name.lower() and x.name != replace for x in a.landscape):
                raise Invalid("value.application_exists", name=repr(app.name))
            position = next((i for i, x in enumerate(a.landscape) if replace is not None and x.name == replace), None)
            if position is None:
                a.landscape.append(app)
            else:
                a.landscape[position] = app
        self._change(apply)

    def delete_application(self, name: str) -> None:
        self._change(lambda a: setattr(a, "landscape", [x for x in a.landscape if x.name != name]))

    def save_proposal(self, proposal: "Proposal", replace: str | None = None) -> None:
        """Keep a proposal (with its advice) in the file. It replaces the one named ``replace`` (a renamed proposal,
        in its place) or else the one with the same name; otherwise it is added at the end."""
        proposal = Proposal.model_validate(proposal.model_dump())
        old = replace or proposal.name

        def apply(a: Answers) -> None:
            position = next((i for i, p in enumerate(a.proposals) if p.name == old), None)
            kept = [p for p in a.proposals if p.name not in (old, proposal.name)]
            if position is None:
                a.proposals = kept + [proposal]
            else:
                a.proposals = kept[:position] + [proposal] + kept[position:]
        self._change(apply)

    def set_role(self, task_id: str, role_id: str, letter: str | None) -> None:
        """R, A, C or I for a role on a task (``None`` or '' clears it)."""
        if letter not in (None, "", "R", "A", "C", "I"):
            raise Invalid("value.raci", given=repr(letter))

        def apply(a: Answers) -> None:
            row = a.roles.assignments.setdefault(task_id, {})
            if letter:
                row[role_id] = letter
            else:
                row.pop(role_id, None)
                if not row:
                    a.roles.assignments.pop(task_id)
        self._change(apply)

    def set_role_hours(self, role_id: str, value: Any) -> None:
        number = parse_number(value)
        if number is not None and not 0 <= number <= 100_000:
            raise Invalid("value.role_hours", given=repr(value))

        def apply(a: Answers) -> None:
            if number is None:
                a.roles.hours.pop(role_id, None)
            else:
                a.roles.hours[role_id] = number
        self._change(apply)

    def update_school(self, **fields: Any) -> None:
        """Change school details (name, code, sector, pupils, scope, location); the file name stays the same."""
        data = self.answers.school.model_dump() | fields
        try:
            School.model_validate(data)  # the message, before anything is written
        except ValidationError as exc:
            raise InvalidInput([p.replace(where=Msg(f"place.field_{p.where}") if p.where in FIELD_NAMES_NL else p.where)
                                for p in from_pydantic(exc, "", data)]) from None
        # only the fields changed here, on the state being written (it may have been read again)
        self._change(lambda a: setattr(a, "school", School.model_validate(a.school.model_dump() | fields)))

    def __repr__(self) -> str:
        s = self.answers.school
        return f"<Session {s.name} ({s.sector}) {self.answers.round}: {self.path}>"
