"""Reading answers files: decoding, migrations, lenient parsing with messages, the budget."""

from __future__ import annotations

import codecs
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from pydantic import ValidationError

from imworkbook.base.errors import AnswersFileError, Invalid, Msg, Problem, from_pydantic, join, place, pydantic_msg
from imworkbook.base.errors import json_reason_msg, reason_of
from imworkbook.base.numbers import parse_number
from imworkbook.base.storage import content_digest
from imworkbook.model.content import MaturityModel, load_investment_model, load_mappings, load_model
from imworkbook.model.answers import (_ITEMS, KIND, MAX_FILE_BYTES, SCHEMA_VERSION, Answers, Application, Investment,
                                      ItemAnswer, ModelRef, Proposal, Roles, normalize_ambition, normalize_investment)


# --- reading ------------------------------------------------------------------

@dataclass
class LoadResult:
    answers: Answers
    problems: list[Problem] = field(default_factory=list)
    encoding: str = "utf-8"
    digest: str | None = None  # SHA-256 of the bytes read (storage.content_digest): what a Session compares

    @property
    def has_problems(self) -> bool:
        return any(p.severity in ("error", "warning") for p in self.problems)


def _cp1252_for_bad_bytes(error: UnicodeDecodeError) -> tuple[str, int]:
    """Decode only the bytes that are not valid UTF-8 as Windows-1252 (keeps good accents intact)."""
    return error.object[error.start:error.end].decode("cp1252", errors="replace"), error.end


codecs.register_error("imworkbook-cp1252", _cp1252_for_bad_bytes)


def _decode(data: bytes, name: str) -> tuple[str, str, list[Problem]]:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), "utf-16", []
        except UnicodeDecodeError:
            pass
    body, encoding = (data[3:], "utf-8-sig") if data.startswith(b"\xef\xbb\xbf") else (data, "utf-8")
    try:
        return body.decode("utf-8"), encoding, []
    except UnicodeDecodeError as exc:
        text = body.decode("utf-8", errors="imworkbook-cp1252")
        note = Problem(name, place("byte", byte=exc.start), "answers.not_utf8", {}, "warning")
        return text, "cp1252", [note]


def _keep(set_aside: dict, section: str, key: str, value: Any) -> None:
    """Put ``value`` under ``set_aside[section][key]`` without ever overwriting what is there."""
    box = set_aside.setdefault(section, {})
    if not isinstance(box, dict):
        box = set_aside[section] = {"_eerder": box}
    name, n = key, 2
    while name in box and box[name] != value:
        name, n = f"{key}#{n}", n + 1
    box[name] = value


# Upgrade steps: MIGRATIONS[n] turns a version-n dict into a version-(n+1) dict.
def _v1_to_v2(raw: dict) -> dict:
    """Schema 2 adds the investment section (time, money, resources and ambition per area): empty = unknown."""
    raw.setdefault("investment", {"hourly_rate": None, "staff_fte": None, "areas": {}})
    return raw


def _v2_to_v3(raw: dict) -> dict:
    """Schema 3 adds to the school block for what the answers speak (scope: school, vestiging or bestuur) and a
    location number (vo locations share a BRIN). An older file did not say: both empty, never guessed."""
    school = raw.get("school")
    if isinstance(school, dict):
        school.setdefault("scope", None)
        school.setdefault("location", None)
    return raw


def _v3_to_v4(raw: dict) -> dict:
    """Schema 4: fewer required numbers (hours IM, hours ICT and one money total per area; the rest optional) and
    the levy (afdracht) that pays for the board's support. Every value of schema 3 keeps its field and meaning:
    the four money fields are now the optional breakdown of ``money_per_year`` (which stays empty, so the total
    is computed from them exactly as before), ``support_hours`` are the board's support. The investment section
    gets ``levy_eur`` and ``levy_attribution``, both unknown. Nothing is renamed or dropped."""
    inv = raw.get("investment")
    if isinstance(inv, dict):
        inv.setdefault("levy_eur", None)
        inv.setdefault("levy_attribution", None)
    return raw


MIGRATIONS: dict[int, Callable[[dict], dict]] = {1: _v1_to_v2, 2: _v2_to_v3, 3: _v3_to_v4}
OLDEST_SCHEMA = 1


def _upgrade(raw: dict, name: str) -> dict:
    version = raw.get("schema_version")
    if isinstance(version, bool) or not isinstance(version, int):
        raise AnswersFileError(Problem(name, "schema_version", "answers.schema_version_missing",
                                       {"given": repr(version)}))
    if version > SCHEMA_VERSION:
        raise AnswersFileError(Problem(name, "schema_version", "answers.schema_too_new",
                                       {"version": version, "newest": SCHEMA_VERSION}))
    if version < OLDEST_SCHEMA:
        raise AnswersFileError(Problem(name, "schema_version", "answers.schema_too_old",
                                       {"version": version, "oldest": OLDEST_SCHEMA}))
    while version < SCHEMA_VERSION:
        raw = MIGRATIONS[version](raw)
        version += 1
        raw["schema_version"] = version
    return raw


_SOFT_HEADER = {("saved_at",), ("rater",), ("school", "code"), ("school", "pupils"), ("school", "scope"),
                ("school", "location"), ("model", "version")}


def parse_answers(text: str, name: str, model: MaturityModel | None = None) -> LoadResult:
    """Parse the text of an answers file; see :func:`load_answers`."""
    model = model or load_model()
    problems: list[Problem] = []
    duplicates: list[tuple[str, Any]] = []

    def pairs(items):
        out: dict[str, Any] = {}
        for key, value in items:
            if key in out:
                duplicates.append((key, out[key]))
            out[key] = value
        return out

    try:
        raw = json.loads(text, object_pairs_hook=pairs)
    except json.JSONDecodeError as exc:
        raise AnswersFileError(Problem(name, place("line_column", line=exc.lineno, column=exc.colno),
                                       "answers.invalid_json", {"why": json_reason_msg(exc)})) from None
    except (ValueError, RecursionError) as exc:  # a number of thousands of digits, nesting thousands deep
        raise AnswersFileError(Problem(name, "", "answers.unusable_json", {"why": reason_of(exc)})) from None
    if not isinstance(raw, dict) or raw.get("kind") != KIND:
        raise AnswersFileError(Problem(name, "kind", "answers.not_answers_file", {"kind": KIND}))
    raw = _upgrade(raw, name)

    earlier = raw.pop("set_aside", None)
    set_aside: dict[str, Any] = earlier if isinstance(earlier, dict) else {}
    if earlier not in (None, {}) and not isinstance(earlier, dict):
        _keep(set_aside, "other", "set_aside", earlier)
    for key, value in duplicates:
        set_aside.setdefault("duplicates", [])
        if not isinstance(set_aside["duplicates"], list):
            set_aside["duplicates"] = [set_aside["duplicates"]]
        set_aside["duplicates"].append({"key": key, "value": value})
        problems.append(Problem(name, key, "answers.duplicate_key", {}, "warning"))

    known = set(Answers.model_fields)
    for key in [k for k in raw if k not in known]:
        _keep(set_aside, "fields", key, raw.pop(key))
        problems.append(Problem(name, key, "answers.unknown_field", {"then": Msg("then.set_aside")}, "warning"))

    header = {k: v for k, v in raw.items() if k not in ("answers", "investment", *_LENIENT)}
    answers = _validate_header(header, name, set_aside, problems)
    answers.investment = _parse_investment(raw.get("investment"), name, model, set_aside, problems)
    for key, (model_cls, label) in _LENIENT.items():
        if key in raw:
            _parse_section(answers, key, raw[key], model_cls, label, name, set_aside, problems)

    raw_items = raw.get("answers")
    if raw_items is None:
        raw_items = {}
    if isinstance(raw_items, dict) and answers.model.version != model.version:
        raw_items = _apply_mapping(raw_items, answers, model, name, set_aside, problems)
    if not isinstance(raw_items, dict):
        _keep(set_aside, "other", "answers", raw_items)
        problems.append(Problem(name, "answers", "answers.answers_not_mapping", {"then": Msg("then.set_aside")}))
        raw_items = {}
    valid_ids = set(model.item_ids)
    fast = None
    if raw_items.keys() <= valid_ids:  # the usual case: one validation call for all items
        try:
            fast = _ITEMS.validate_python(raw_items)
        except ValidationError:
            fast = None
    for item_id, value in ({} if fast is not None else raw_items).items():
        where = ("answers", item_id)
        if item_id not in valid_ids:
            _keep(set_aside, "items", item_id, value)
            problems.append(Problem(name, where, "answers.unknown_item", {}, "warning"))
            continue
        if not isinstance(value, dict):
            _keep(set_aside, "items", item_id, value)
            problems.append(Problem(name, where, "answers.item_not_mapping", {"given": f"{value!r:.80}"}))
            continue
        good: dict[str, Any] = {}
        for key, field_value in value.items():
            if key not in ItemAnswer.model_fields:
                _keep(set_aside.setdefault("item_fields", {}), item_id, key, field_value)
                problems.append(Problem(name, join(where, key), "answers.unknown_field",
                                        {"then": Msg("then.set_aside")}, "warning"))
                continue
            try:
                ItemAnswer.model_validate({key: field_value})
                good[key] = field_value
            except ValidationError as exc:
                _keep(set_aside.setdefault("item_fields", {}), item_id, key, field_value)
                for p in from_pydantic(exc, name, value, then=Msg("then.not_used_set_aside")):
                    problems.append(p.replace(where=join(where, p.where)))
        answers.answers[item_id] = ItemAnswer.model_validate(good)

    if fast is not None:
        answers.__dict__["answers"] = fast  # already validated above; skip validate_assignment's copy
    try:  # what is set aside must be writable again, or every later save would fail
        json.dumps(set_aside)
    except (ValueError, TypeError, RecursionError) as exc:
        raise AnswersFileError(Problem(name, "set_aside", "answers.set_aside_unwritable",
                                       {"why": reason_of(exc)})) from None
    answers.set_aside = set_aside  # assign when complete: validate_assignment stores a copy
    if answers.model.id != model.id:
        problems.append(Problem(name, ("model", "id"), "answers.other_model",
                                {"file_model": answers.model.id, "model": model.id}, "warning"))
    elif answers.model.version != model.version:
        problems.append(Problem(name, ("model", "version"), "answers.other_version",
                                {"file_version": answers.model.version, "version": model.version}, "note"))
    return LoadResult(answers, problems)


def _has_answer(value: Any) -> bool:
    return isinstance(value, dict) and any(value.get(k) not in (None, "") for k in ("current", "target"))


def _apply_mapping(raw_items: dict, answers: "Answers", model: MaturityModel, name: str, set_aside: dict,
                   problems: list[Problem]) -> dict:
    """Rename item ids of an older question set (data/maturity/mappings); nothing is dropped.

    Old items that merge into one new item: the one that keeps its id answers, else the first (in the mapping's
    order) that has an answer; the others are set aside with a note."""
    mapping = load_mappings(model.source).get((answers.model.id, answers.model.version)) if model.source else None
    if mapping is None:
        return raw_items
    targets: dict[str, list[str]] = {}
    for old_id, value in raw_items.items():
        new_id = mapping.target(old_id)
        if new_id is None:
            _keep(set_aside, "items", old_id, value)
            problems.append(Problem(name, ("answers", old_id), "answers.item_dropped", {"version": model.version},
                                    "note"))
            continue
        targets.setdefault(new_id, []).append(old_id)
    out: dict[str, Any] = {}
    renamed = 0
    for new_id, olds in targets.items():
        olds.sort(key=lambda o: (not _has_answer(raw_items[o]), mapping.priority(o)))
        chosen, *others = olds
        out[new_id] = raw_items[chosen]
        renamed += chosen != new_id
        for old_id in others:
            _keep(set_aside, "items", old_id, raw_items[old_id])
            problems.append(Problem(name, ("answers", old_id), "answers.item_merged",
                                    {"version": model.version, "new_id": new_id, "chosen": chosen}, "note"))
    shared = len(mapping.shared(model))
    problems.append(Problem(name, ("model", "version"), "answers.items_mapped",
                            {"file_version": answers.model.version, "renamed": renamed, "version": model.version,
                             "shared": shared, "total": model.n_items}, "note"))
    answers.model = ModelRef(id=model.id, version=model.version)
    return out


_LENIENT = {"landscape": (Application, "application"), "proposals": (Proposal, "proposal"), "roles": (Roles, "roles")}


def _parse_section(answers: "Answers", key: str, raw: Any, model_cls, label: str, name: str, set_aside: dict,
                   problems: list[Problem]) -> None:
    """Landscape, proposals and roles: every valid entry loads; a wrong one is set aside with a message."""
    if key == "roles":
        try:
            answers.roles = Roles.model_validate(raw)
        except ValidationError as exc:
            _keep(set_aside, key, "roles", raw)
            problems.extend(from_pydantic(exc, name, raw, prefix=["roles"], then=Msg("then.set_aside")))
        return
    if not isinstance(raw, list):
        _keep(set_aside, key, key, raw)
        problems.append(Problem(name, key, "answers.section_not_list", {"then": Msg("then.set_aside")}))
        return
    kept = []
    for n, entry in enumerate(raw):
        try:
            kept.append(model_cls.model_validate(entry))
        except ValidationError as exc:
            who = entry.get("name") if isinstance(entry, dict) else None
            _keep(set_aside, key, f"{n}", entry)
            problems.extend(from_pydantic(exc, name, entry, prefix=[f"{key}[{n}]" + (f" ({who})" if who else "")],
                                          then=Msg("then.entry_not_used", what=Msg(f"entry.{label}"))))
    setattr(answers, key, kept)


SETTINGS = ("hourly_rate", "staff_fte", "levy_eur", "levy_attribution")  # the school-level investment settings


def _parse_investment(raw: Any, name: str, model: MaturityModel, set_aside: dict,
                      problems: list[Problem]) -> Investment:
    """The investment section, value by value: what is unusable is reported and set aside."""
    inv_model = load_investment_model()
    investment = Investment()
    if raw is None:
        return investment
    if not isinstance(raw, dict):
        _keep(set_aside, "other", "investment", raw)
        problems.append(Problem(name, "investment", "answers.investment_not_mapping",
                                {"then": Msg("then.set_aside")}))
        return investment
    for key in SETTINGS:
        if raw.get(key) is None:
            continue
        try:
            setattr(investment, key, raw[key] if key == "levy_attribution" else parse_number(raw[key]))
        except (ValueError, ValidationError) as exc:
            _keep(set_aside, "fields", f"investment.{key}", raw[key])
            problems.append(_value_problem(name, ("investment", key), exc))
    for key in [k for k in raw if k not in (*SETTINGS, "areas")]:
        _keep(set_aside, "fields", f"investment.{key}", raw[key])
        problems.append(Problem(name, ("investment", key), "answers.unknown_field", {"then": Msg("then.set_aside")},
                                "warning"))
    areas = raw.get("areas") or {}
    if not isinstance(areas, dict):
        _keep(set_aside, "other", "investment.areas", areas)
        problems.append(Problem(name, ("investment", "areas"), "answers.areas_not_mapping",
                                {"then": Msg("then.set_aside")}))
        return investment
    area_ids = {a.id for a in model.areas}
    fields = {f.id: f for f in inv_model.fields}
    for area_id, values in areas.items():
        where = ("investment", "areas", area_id)
        if area_id not in area_ids or not isinstance(values, dict):
            _keep(set_aside, "investment", area_id, values)
            problems.append(Problem(name, where, "answers.unknown_area", {"then": Msg("then.set_aside")}, "warning"))
            continue
        clean: dict[str, Any] = {}
        for key, value in values.items():
            try:
                if key == "ambition":
                    clean[key] = normalize_ambition(value)
                elif key == "note":
                    if not isinstance(value, str):
                        raise Invalid("pydantic.string_type", given=repr(value))
                    clean[key] = value
                elif key in fields:
                    clean[key] = normalize_investment(fields[key], value)
                else:
                    raise KeyError(key)
            except KeyError:
                _keep(set_aside.setdefault("investment_fields", {}), area_id, key, value)
                problems.append(Problem(name, join(where, key), "answers.unknown_field",
                                        {"then": Msg("then.set_aside")}, "warning"))
            except ValueError as exc:
                _keep(set_aside.setdefault("investment_fields", {}), area_id, key, value)
                problems.append(_value_problem(name, join(where, key), exc))
        investment.areas[area_id] = clean
    return investment


def _value_problem(name: str, where, exc: Exception) -> Problem:
    """A value that is not used (set aside), with the reason from a validator or pydantic."""
    then = Msg("then.not_used_set_aside")
    if isinstance(exc, ValidationError):
        return Problem(name, where, "answers.value_not_used",
                       {"why": tuple(pydantic_msg(e) for e in exc.errors()), "then": then})
    if isinstance(exc, Invalid):
        return Problem(name, where, exc.code, {**dict(exc.values), "then": then})
    return Problem(name, where, "pydantic.value_error", {"text": str(exc), "then": then})


def _validate_header(header: dict, name: str, set_aside: dict, problems: list[Problem]) -> Answers:
    """Validate everything but the answers. Optional fields that are wrong are set aside (with a
    message); a wrong name, sector, round or model id makes the file unusable."""
    for _ in range(10):
        try:
            return Answers.model_validate(header)
        except ValidationError as exc:
            soft, hard = [], []
            for err in exc.errors():
                loc = tuple(err["loc"])
                is_extra_school_field = len(loc) == 2 and loc[0] == "school" and err["type"] == "extra_forbidden"
                (soft if loc[:2] in _SOFT_HEADER or is_extra_school_field else hard).append(err)
            if hard:
                raise AnswersFileError(from_pydantic(exc, name, header),
                                       Msg("problem.answers.school_unusable_title")) from None
            for err in soft:
                loc = tuple(err["loc"])
                parent = header
                for key in loc[:-1]:
                    parent = parent[key]
                value = parent.pop(loc[-1])
                _keep(set_aside, "fields", ".".join(map(str, loc)), value)
                msg = pydantic_msg(err)
                problems.append(Problem(name, tuple(map(str, loc)), msg.code.removeprefix("problem."),
                                        {**dict(msg.values), "then": Msg("then.not_used_set_aside")}))
    raise AnswersFileError(Problem(name, "", "answers.school_unusable"))  # pragma: no cover


def load_answers(path: str | Path, model: MaturityModel | None = None) -> LoadResult:
    """Read one answers file (``.json``; a filled-in questionnaire spreadsheet: :func:`imworkbook.io.files.read_any`).

    Returns the answers and a list of problems (warnings and field errors that
    did not stop loading). Raises :class:`AnswersFileError` with a Dutch
    message naming file and field when the file cannot be used at all.
    """
    path = Path(path)
    if path.suffix.lower() in SPREADSHEET_SUFFIXES:
        raise AnswersFileError(Problem(path.name, "", "answers.is_spreadsheet", {"name": path.name}))
    return _parse_bytes(read_capped(path), path.name, model)


SPREADSHEET_SUFFIXES = (".xlsx", ".xls", ".ods", ".csv")  # the spreadsheet route (imworkbook.io.excel)


def read_capped(path: Path) -> bytes:
    """The bytes of an input file, never more than the budget of an answers file (also when it grows while being
    read); Dutch messages for a missing, empty, too large or unreadable file."""
    name = path.name
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise AnswersFileError(Problem(name, "", "answers.too_large",
                                           {"mb": round(size / 1e6, 1), "max_mb": round(MAX_FILE_BYTES / 1e6)}))
        if size == 0:
            raise AnswersFileError(Problem(name, "", "answers.empty"))
        with path.open("rb") as fh:  # never more than the budget, even if the file grew since stat()
            data = fh.read(MAX_FILE_BYTES + 1)
        if len(data) > MAX_FILE_BYTES:
            raise AnswersFileError(Problem(name, "", "answers.grew_too_large", {"max_mb": round(MAX_FILE_BYTES / 1e6)}))
    except FileNotFoundError:
        raise AnswersFileError(Problem(name, "", "file.not_found", {"path": str(path)})) from None
    except OSError as exc:
        raise AnswersFileError(Problem(name, "", "file.unreadable", {"why": reason_of(exc)})) from None
    return data


def _parse_bytes(data: bytes, name: str, model: MaturityModel | None = None) -> LoadResult:
    text, encoding, problems = _decode(data, name)
    result = parse_answers(text, name, model)
    result.problems[:0] = problems
    result.encoding = encoding
    result.digest = content_digest(data)
    return result
