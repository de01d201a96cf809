"""A school's answers: the versioned file format, safe loading and atomic saving.

One JSON file per school per round, e.g. ``werkmap/antwoorden/de-regenboog_2026-2027.json``::

    {
      "schema_version": 1,
      "kind": "imworkbook.answers",
      "model": {"id": "im_volwassenheid", "version": "1.0"},
      "school": {"name": "De Regenboog", "code": "99XX", "sector": "po", "pupils": 230},
      "round": "2026-2027",
      "answers": {"visie.schooldoelen": {"current": 2, "target": 4, "note": ""}, ...},
      "set_aside": {},
      "saved_at": "2026-11-25T10:15:00+00:00"
    }

A level is ``1``-``5``, ``"weet_niet"`` (don't know), ``"nvt"`` (not applicable) or
``null`` (not answered yet).

Rules that protect the user's work:

* Loading never silently drops data: unknown items, unusable values and
  unknown fields are reported and kept verbatim under ``set_aside``, which is
  written back on every save.
* A file that cannot be read as a whole (corrupt, foreign, too new) raises
  :class:`~imworkbook.errors.AnswersFileError` and is never overwritten.
* Before the first save over a file that had problems, the original bytes are
  copied to ``<name>.origineel-<time>.json``.
* Every save is atomic: a temporary file in the same folder, flushed to disk,
  then renamed over the old one. An interrupted save leaves the old file intact.
"""

from __future__ import annotations

import codecs
import datetime as _dt
import json
import math
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, Callable, Iterable, Literal

from pydantic import (BaseModel, BeforeValidator, ConfigDict, Field, Strict, StringConstraints, TypeAdapter,
                      ValidationError)

from . import paths
from .content import (InvestmentField, MaturityModel, load_investment_model, load_mappings,
                      load_model)
from .numbers import parse_number
from .storage import atomic_write_bytes, content_digest, locked, read_if_exists
from .errors import AnswersFileError, ImworkbookError, Problem, from_pydantic, from_pydantic_error_message
from .errors import json_reason, plain_reason
from .budgets import ANSWERS_MAX_BYTES, mb

SCHEMA_VERSION = 2
KIND = "imworkbook.answers"
MAX_FILE_BYTES = ANSWERS_MAX_BYTES  # the budget of one answers file (imworkbook.budgets); kept importable here
Which = Literal["current", "target"]
FIELD_NAMES_NL = {"name": "naam van de school", "code": "schoolcode", "sector": "sector",
                  "pupils": "aantal leerlingen", "round": "ronde"}

_WEET_NIET = {"weet niet", "weet_niet", "weetniet", "?", "onbekend", "don't know", "dont know", "unknown"}
_NVT = {"nvt", "n.v.t.", "n.v.t", "nvt.", "n/a", "na", "niet van toepassing", "not applicable"}


def normalize_level(value: Any) -> int | str | None:
    """Return ``1``-``5``, ``"weet_niet"``, ``"nvt"`` or ``None``; raise ``ValueError`` (Dutch) otherwise."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise ValueError(f"niveau moet 1 t/m 5, 'weet niet' of 'n.v.t.' zijn; gekregen: {value!r}")
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, str):
        text = value.strip().lower()
        if text == "":
            return None
        if text in _WEET_NIET:
            return "weet_niet"
        if text in _NVT:
            return "nvt"
        if re.fullmatch(r"[0-9]+", text):
            value = int(text)
    if isinstance(value, int) and 1 <= value <= 5:
        return value
    raise ValueError(f"niveau moet 1 t/m 5, 'weet niet' of 'n.v.t.' zijn; gekregen: {value!r}")


LevelValue = Annotated[Any, BeforeValidator(normalize_level)]

_UNIT_MAX = {"hours": 100_000, "euro": 1_000_000_000, "euro_per_year": 1_000_000_000, "years": 50, "fte": 10_000,
             "choice": 2}


def normalize_ambition(value: Any) -> int | None:
    """Ambition (importance) of an area: 1-5 or ``None`` ('weet niet' and 'n.v.t.' do not apply here)."""
    try:
        level = normalize_level(value)
    except ValueError:
        level = "?"
    if isinstance(level, str):
        raise ValueError(f"belang moet 1 t/m 5 zijn (of leeg); gekregen: {value!r}") from None
    return level


def normalize_investment(field: InvestmentField, value: Any) -> float | None:
    """A number for ``field`` (Dutch or English notation) or ``None``; ``ValueError`` in Dutch otherwise."""
    number = parse_number(value)
    if number is None:
        return None
    if number < 0:
        raise ValueError(f"mag niet negatief zijn; gekregen: {value!r}")
    top = _UNIT_MAX[field.unit]
    if number > top:
        raise ValueError(f"is onmogelijk groot (hoogstens {top:,}); gekregen: {value!r}".replace(",", "."))
    if field.unit == "years" and number < 1:
        raise ValueError(f"een afschrijvingstermijn is minstens 1 jaar; gekregen: {value!r}")
    if field.unit == "choice":
        if number not in (0, 1, 2):
            raise ValueError(f"kies 0 (nee), 1 (deels) of 2 (ja); gekregen: {value!r}")
        return int(number)
    return number
RoundText = Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^\d{4}(-\d{4})?$")]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=True)


class ItemAnswer(_Strict):
    current: LevelValue = None
    target: LevelValue = None
    note: str = Field(default="", max_length=4000)

    def is_empty(self) -> bool:
        return self.current is None and self.target is None and not self.note


class School(_Strict):
    name: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=120)]
    code: Annotated[str, StringConstraints(strip_whitespace=True, max_length=20)] | None = None
    sector: Literal["po", "vo"]
    pupils: Annotated[int, Strict()] | None = Field(default=None, ge=1, le=50_000)


_ITEMS = TypeAdapter(dict[str, ItemAnswer])


class ModelRef(_Strict):
    id: str
    version: str


class Investment(_Strict):
    """Time, money and resources per area (schema 2). ``areas[area_id][field_id]`` is a number or
    ``None`` (unknown, never zero); each area also has ``ambition`` (1-5) and ``note``."""

    hourly_rate: float | None = Field(default=None, gt=0, le=1000)
    staff_fte: float | None = Field(default=None, gt=0, le=100_000)
    areas: dict[str, dict[str, Any]] = Field(default_factory=dict)


Money = Annotated[float, Field(ge=0, le=1_000_000_000, allow_inf_nan=False)]
Fit = Annotated[int, Strict(), Field(ge=1, le=5)]
Choice = Literal["ja", "nee", "weet_niet"]


class Application(_Strict):
    """One application in the school's inventory (werkboek 4). Ids refer to data/landscape/reference.yaml."""

    name: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=120)]
    type: str = "anders"
    supplier: Annotated[str, StringConstraints(strip_whitespace=True, max_length=120)] = ""
    activities: list[str] = Field(default_factory=list)
    masters: list[str] = Field(default_factory=list)  # data objects registered (kept as the source) here
    uses: list[str] = Field(default_factory=list)  # data objects only used here
    cost_year: Money | None = None
    cost_once: Money | None = None
    users: Annotated[int, Strict(), Field(ge=0, le=1_000_000)] | None = None
    business_fit: Fit | None = None
    technical_fit: Fit | None = None
    note: str = Field(default="", max_length=4000)


class Proposal(_Strict):
    """A proposed new application checked against the five critical questions (werkboek 5)."""

    name: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=120)]
    type: str = "anders"
    goal: str = Field(default="", max_length=4000)  # 1. which goal does it serve
    activities: list[str] = Field(default_factory=list)  # 2. for which activities (checked against the inventory)
    technical_fit: Choice | None = None  # 3. fits the ICT landscape technically
    maintenance: Choice | None = None  # 3. ... and for maintenance and management
    data_objects: list[str] = Field(default_factory=list)  # 4. which information it uses
    processing_agreement: Literal["ja", "nee", "weet_niet", "nvt"] | None = None  # 4. allowed?
    cost_once: Money | None = None  # 5. costs
    cost_implementation: Money | None = None
    licence_year: Money | None = None
    hours_year: Annotated[float, Field(ge=0, le=100_000)] | None = None
    advice: Literal["ga_door", "eerst_uitzoeken", "niet_doen"] | None = None  # saved with the reasons
    reasons: list[str] = Field(default_factory=list)
    decided_at: str | None = None


class Roles(_Strict):
    """RACI per task and role (werkboek 6): ``assignments[task_id][role_id]`` is R, A, C or I; hours per year."""

    assignments: dict[str, dict[str, Literal["R", "A", "C", "I"]]] = Field(default_factory=dict)
    hours: dict[str, Annotated[float, Field(ge=0, le=100_000)]] = Field(default_factory=dict)


OPTIONAL_SECTIONS = ("rater", "landscape", "proposals", "roles")  # written only when filled in


def unwritten_sections(answers: "Answers") -> set[str]:
    """The optional sections that are empty and therefore not written (the one rule; files and the fast lane's
    plain documents both follow it)."""
    filled = {"rater": answers.rater is not None, "landscape": bool(answers.landscape),
              "proposals": bool(answers.proposals), "roles": bool(answers.roles.assignments or answers.roles.hours)}
    return {k for k in OPTIONAL_SECTIONS if not filled[k]}


class Answers(_Strict):
    """The whole answers file, as in memory and on disk."""

    schema_version: int = SCHEMA_VERSION
    kind: Literal["imworkbook.answers"] = KIND
    model: ModelRef
    school: School
    round: RoundText
    # who filled this file in: a role id from data/raters/roles.yaml (never a name); None = the school's answer
    rater: Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]{0,39}$")] | None = None
    answers: dict[str, ItemAnswer] = Field(default_factory=dict)
    investment: Investment = Field(default_factory=Investment)
    landscape: list[Application] = Field(default_factory=list)
    proposals: list[Proposal] = Field(default_factory=list)
    roles: Roles = Field(default_factory=Roles)
    set_aside: dict[str, Any] = Field(default_factory=dict)
    saved_at: str | None = None

    def answer(self, item_id: str) -> ItemAnswer:
        return self.answers.get(item_id) or ItemAnswer()


def current_round(today: _dt.date | None = None) -> str:
    """The Dutch school year of ``today``: it starts on 1 August (``2026-2027``)."""
    today = today or _dt.date.today()
    start = today.year if today.month >= 8 else today.year - 1
    return f"{start}-{start + 1}"


def new_answers(name: str, sector: str, round: str | None = None, *, code: str | None = None,
                pupils: int | None = None, model: MaturityModel | None = None, rater: str | None = None) -> Answers:
    """An empty answers state for a school; raises ``ValueError`` with Dutch text if a field is wrong."""
    model = model or load_model()
    raw = {"model": {"id": model.id, "version": model.version},
           "school": {"name": name, "code": code or None, "sector": sector, "pupils": pupils},
           "round": round or current_round(), "rater": rater or None}
    try:
        return Answers.model_validate(raw)
    except ValidationError as exc:
        raise ValueError("\n".join(str(p) for p in from_pydantic(exc, "schoolgegevens", raw))) from None


# --- file names ---------------------------------------------------------------

def slug(text: str) -> str:
    """``'Het Baken (vo)'`` -> ``'het-baken-vo'``: safe in every file system."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-") or "school"


def school_identity(code: str | None, name: str) -> str:
    """Who a school is, across files, raters and rounds: its code (upper case), else its name as a slug.
    The one rule; merging, duplicates in a network and pseudonyms all use it."""
    if (code or "").strip():
        return code.strip().upper()
    # the name, case and punctuation aside; letters of any script kept (a slug would turn every name in another
    # script into "school", and two such schools into one)
    text = re.sub(r"[\W_]+", "-", unicodedata.normalize("NFKC", name).casefold()).strip("-")
    return text or "school"


def file_name(school_name: str, round: str, rater: str | None = None) -> str:
    """``de-regenboog_2026-2027.json``; a rater's own file: ``de-regenboog_2026-2027_ict_coordinator.json``."""
    return f"{slug(school_name)}_{round}{'_' + rater if rater else ''}.json"


# --- reading ------------------------------------------------------------------

@dataclass
class LoadResult:
    answers: Answers
    problems: list[Problem] = field(default_factory=list)
    encoding: str = "utf-8"
    digest: str | None = None  # SHA-256 of the bytes read (storage.content_digest): what a Session compares

    @property
    def has_problems(self) -> bool:
        return any(p.severity in ("fout", "waarschuwing") for p in self.problems)


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
        note = Problem(name, f"byte {exc.start}",
                       "het bestand is niet (helemaal) in UTF-8 opgeslagen (waarschijnlijk Windows-1252, "
                       "bijvoorbeeld door Kladblok of Excel); het is zo gelezen. Controleer letters met accenten; "
                       "bij opslaan wordt het UTF-8.", "waarschuwing")
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


MIGRATIONS: dict[int, Callable[[dict], dict]] = {1: _v1_to_v2}
OLDEST_SCHEMA = 1


def _upgrade(raw: dict, name: str) -> dict:
    version = raw.get("schema_version")
    if isinstance(version, bool) or not isinstance(version, int):
        raise AnswersFileError(Problem(name, "schema_version",
                                       f"ontbreekt of is geen geheel getal; gekregen: {version!r}"))
    if version > SCHEMA_VERSION:
        raise AnswersFileError(Problem(name, "schema_version",
                                       f"het bestand is gemaakt met een nieuwere versie van imworkbook "
                                       f"(schemaversie {version}; deze versie leest tot en met {SCHEMA_VERSION}). "
                                       "Werk imworkbook bij; het bestand is niet gewijzigd."))
    if version < OLDEST_SCHEMA:
        raise AnswersFileError(Problem(name, "schema_version",
                                       f"schemaversie {version} is te oud; deze versie leest vanaf {OLDEST_SCHEMA}"))
    while version < SCHEMA_VERSION:
        raw = MIGRATIONS[version](raw)
        version += 1
        raw["schema_version"] = version
    return raw


_SOFT_HEADER = {("saved_at",), ("rater",), ("school", "code"), ("school", "pupils"), ("model", "version")}


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
        raise AnswersFileError(Problem(name, f"regel {exc.lineno}, kolom {exc.colno}",
                                       f"geen geldig JSON-bestand ({json_reason(exc)}); herstel het in een teksteditor "
                                       "of lever het opnieuw in; het bestand is niet gewijzigd")) from None
    except (ValueError, RecursionError) as exc:  # a number of thousands of digits, nesting thousands deep
        raise AnswersFileError(Problem(name, "", f"geen bruikbaar JSON-bestand ({plain_reason(exc)}); het bestand "
                                       "is niet gewijzigd")) from None
    if not isinstance(raw, dict) or raw.get("kind") != KIND:
        raise AnswersFileError(Problem(name, "kind", "dit is geen antwoordenbestand van imworkbook "
                                       f"(verwacht \"kind\": \"{KIND}\")"))
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
        problems.append(Problem(name, key, "komt twee keer voor; de laatste waarde is gebruikt, de eerdere is "
                                "bewaard onder set_aside › duplicates", "waarschuwing"))

    known = set(Answers.model_fields)
    for key in [k for k in raw if k not in known]:
        _keep(set_aside, "fields", key, raw.pop(key))
        problems.append(Problem(name, key, "onbekend veld; bewaard onder set_aside, niet gebruikt", "waarschuwing"))

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
        problems.append(Problem(name, "answers", "moet een mapping van item-id naar antwoord zijn; "
                                "bewaard onder set_aside"))
        raw_items = {}
    valid_ids = set(model.item_ids)
    fast = None
    if raw_items.keys() <= valid_ids:  # the usual case: one validation call for all items
        try:
            fast = _ITEMS.validate_python(raw_items)
        except ValidationError:
            fast = None
    for item_id, value in ({} if fast is not None else raw_items).items():
        where = f"answers › {item_id}"
        if item_id not in valid_ids:
            _keep(set_aside, "items", item_id, value)
            problems.append(Problem(name, where, "onbekend item-id (niet in dit volwassenheidsmodel); bewaard "
                                    "onder set_aside, telt niet mee", "waarschuwing"))
            continue
        if not isinstance(value, dict):
            _keep(set_aside, "items", item_id, value)
            problems.append(Problem(name, where, f"moet een mapping met current, target en note zijn; gekregen: "
                                    f"{value!r:.80}; bewaard onder set_aside"))
            continue
        good: dict[str, Any] = {}
        for key, field_value in value.items():
            if key not in ItemAnswer.model_fields:
                _keep(set_aside.setdefault("item_fields", {}), item_id, key, field_value)
                problems.append(Problem(name, f"{where} › {key}", "onbekend veld; bewaard onder set_aside",
                                        "waarschuwing"))
                continue
            try:
                ItemAnswer.model_validate({key: field_value})
                good[key] = field_value
            except ValidationError as exc:
                _keep(set_aside.setdefault("item_fields", {}), item_id, key, field_value)
                for p in from_pydantic(exc, name, value):
                    problems.append(Problem(name, f"{where} › {p.where}",
                                            p.message + "; niet gebruikt, bewaard onder set_aside"))
        answers.answers[item_id] = ItemAnswer.model_validate(good)

    if fast is not None:
        answers.__dict__["answers"] = fast  # already validated above; skip validate_assignment's copy
    try:  # what is set aside must be writable again, or every later save would fail
        json.dumps(set_aside)
    except (ValueError, TypeError, RecursionError) as exc:
        raise AnswersFileError(Problem(name, "set_aside", f"bevat gegevens die niet opnieuw kunnen worden "
                                       f"opgeslagen ({plain_reason(exc)}); het bestand is niet gewijzigd")) from None
    answers.set_aside = set_aside  # assign when complete: validate_assignment stores a copy
    if answers.model.id != model.id:
        problems.append(Problem(name, "model › id", f"ingevuld met een ander volwassenheidsmodel "
                                f"('{answers.model.id}', nu '{model.id}')", "waarschuwing"))
    elif answers.model.version != model.version:
        problems.append(Problem(name, "model › version", f"ingevuld met versie {answers.model.version} van het "
                                f"model; nu is het versie {model.version}", "opmerking"))
    return LoadResult(answers, problems)


def _apply_mapping(raw_items: dict, answers: "Answers", model: MaturityModel, name: str, set_aside: dict,
                   problems: list[Problem]) -> dict:
    """Rename item ids of an older question set (data/maturity/mappings); nothing is dropped."""
    mapping = load_mappings(model.source).get((answers.model.id, answers.model.version)) if model.source else None
    if mapping is None:
        return raw_items
    out: dict[str, Any] = {}
    renamed = 0
    for old_id, value in raw_items.items():
        if old_id not in mapping.items:
            new_id = old_id
        elif mapping.items[old_id] is None:
            _keep(set_aside, "items", old_id, value)
            problems.append(Problem(name, f"answers › {old_id}", f"dit item bestaat niet meer in versie "
                                    f"{model.version}; bewaard onder set_aside", "opmerking"))
            continue
        else:
            new_id, renamed = mapping.items[old_id], renamed + 1
        if new_id in out:
            _keep(set_aside, "items", old_id, value)
            problems.append(Problem(name, f"answers › {old_id}", f"komt na omzetting samen met {new_id}; "
                                    "bewaard onder set_aside", "waarschuwing"))
            continue
        out[new_id] = value
    problems.append(Problem(name, "model › version", f"ingevuld met versie {answers.model.version}; {renamed} "
                            f"item(s) omgezet naar versie {model.version}", "opmerking"))
    answers.model = ModelRef(id=model.id, version=model.version)
    return out


_LENIENT = {"landscape": (Application, "applicatie"), "proposals": (Proposal, "voorstel"), "roles": (Roles, "rollen")}


def _parse_section(answers: "Answers", key: str, raw: Any, model_cls, label: str, name: str, set_aside: dict,
                   problems: list[Problem]) -> None:
    """Landscape, proposals and roles: every valid entry loads; a wrong one is set aside with a message."""
    if key == "roles":
        try:
            answers.roles = Roles.model_validate(raw)
        except ValidationError as exc:
            _keep(set_aside, key, "roles", raw)
            problems.extend(Problem(p.file, p.where, f"{p.message}; bewaard onder set_aside", "fout")
                            for p in from_pydantic(exc, name, raw, prefix=["roles"]))
        return
    if not isinstance(raw, list):
        _keep(set_aside, key, key, raw)
        problems.append(Problem(name, key, "moet een lijst zijn; bewaard onder set_aside"))
        return
    kept = []
    for n, entry in enumerate(raw):
        try:
            kept.append(model_cls.model_validate(entry))
        except ValidationError as exc:
            who = entry.get("name") if isinstance(entry, dict) else None
            _keep(set_aside, key, f"{n}", entry)
            for p in from_pydantic(exc, name, entry, prefix=[f"{key}[{n}]" + (f" ({who})" if who else "")]):
                problems.append(Problem(p.file, p.where, f"{p.message}; deze {label} is niet gebruikt, bewaard onder "
                                        "set_aside", "fout"))
    setattr(answers, key, kept)


def _parse_investment(raw: Any, name: str, model: MaturityModel, set_aside: dict,
                      problems: list[Problem]) -> Investment:
    """The investment section, value by value: what is unusable is reported and set aside."""
    inv_model = load_investment_model()
    investment = Investment()
    if raw is None:
        return investment
    if not isinstance(raw, dict):
        _keep(set_aside, "other", "investment", raw)
        problems.append(Problem(name, "investment", "moet een mapping zijn; bewaard onder set_aside"))
        return investment
    for key in ("hourly_rate", "staff_fte"):
        if raw.get(key) is None:
            continue
        try:
            setattr(investment, key, parse_number(raw[key]))
        except (ValueError, ValidationError) as exc:
            _keep(set_aside, "fields", f"investment.{key}", raw[key])
            problems.append(Problem(name, f"investment › {key}", _message(exc) + "; niet gebruikt, bewaard onder set_aside"))
    for key in [k for k in raw if k not in ("hourly_rate", "staff_fte", "areas")]:
        _keep(set_aside, "fields", f"investment.{key}", raw[key])
        problems.append(Problem(name, f"investment › {key}", "onbekend veld; bewaard onder set_aside", "waarschuwing"))
    areas = raw.get("areas") or {}
    if not isinstance(areas, dict):
        _keep(set_aside, "other", "investment.areas", areas)
        problems.append(Problem(name, "investment › areas", "moet een mapping per gebied zijn; bewaard onder set_aside"))
        return investment
    area_ids = {a.id for a in model.areas}
    fields = {f.id: f for f in inv_model.fields}
    for area_id, values in areas.items():
        where = f"investment › areas › {area_id}"
        if area_id not in area_ids or not isinstance(values, dict):
            _keep(set_aside, "investment", area_id, values)
            problems.append(Problem(name, where, "onbekend gebied of geen mapping; bewaard onder set_aside",
                                    "waarschuwing"))
            continue
        clean: dict[str, Any] = {}
        for key, value in values.items():
            try:
                if key == "ambition":
                    clean[key] = normalize_ambition(value)
                elif key == "note":
                    if not isinstance(value, str):
                        raise ValueError(f"moet tekst zijn; gekregen: {value!r}")
                    clean[key] = value
                elif key in fields:
                    clean[key] = normalize_investment(fields[key], value)
                else:
                    raise KeyError(key)
            except KeyError:
                _keep(set_aside.setdefault("investment_fields", {}), area_id, key, value)
                problems.append(Problem(name, f"{where} › {key}", "onbekend veld; bewaard onder set_aside",
                                        "waarschuwing"))
            except ValueError as exc:
                _keep(set_aside.setdefault("investment_fields", {}), area_id, key, value)
                problems.append(Problem(name, f"{where} › {key}", f"{exc}; niet gebruikt, bewaard onder set_aside"))
        investment.areas[area_id] = clean
    return investment


def _message(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return "; ".join(from_pydantic_error_message(e) for e in exc.errors())
    return str(exc)


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
                                       "De gegevens van de school in dit bestand zijn niet bruikbaar:") from None
            for err in soft:
                loc = tuple(err["loc"])
                parent = header
                for key in loc[:-1]:
                    parent = parent[key]
                value = parent.pop(loc[-1])
                _keep(set_aside, "fields", ".".join(map(str, loc)), value)
                where = " › ".join(map(str, loc))
                message = from_pydantic_error_message(err)
                problems.append(Problem(name, where, f"{message}; niet gebruikt, bewaard onder set_aside"))
    raise AnswersFileError(Problem(name, "", "de schoolgegevens zijn niet bruikbaar"))  # pragma: no cover


def load_answers(path: str | Path, model: MaturityModel | None = None) -> LoadResult:
    """Read one answers file (``.json``; a filled-in questionnaire spreadsheet: :func:`imworkbook.files.read_any`).

    Returns the answers and a list of problems (warnings and field errors that
    did not stop loading). Raises :class:`AnswersFileError` with a Dutch
    message naming file and field when the file cannot be used at all.
    """
    path = Path(path)
    if path.suffix.lower() in SPREADSHEET_SUFFIXES:
        raise AnswersFileError(Problem(path.name, "", "dit is een ingevulde vragenlijst, geen antwoordenbestand; lees "
                                       "hem in met: imworkbook import " + path.name))
    return _parse_bytes(read_capped(path), path.name, model)


SPREADSHEET_SUFFIXES = (".xlsx", ".xls", ".ods", ".csv")  # the spreadsheet route (imworkbook.excel)


def read_capped(path: Path) -> bytes:
    """The bytes of an input file, never more than the budget of an answers file (also when it grows while being
    read); Dutch messages for a missing, empty, too large or unreadable file."""
    name = path.name
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise AnswersFileError(Problem(name, "", f"bestand is te groot voor een antwoordenbestand "
                                           f"({size / 1e6:.1f} MB; hoogstens {MAX_FILE_BYTES / 1e6:.0f} MB)"))
        if size == 0:
            raise AnswersFileError(Problem(name, "", "bestand is leeg"))
        with path.open("rb") as fh:  # never more than the budget, even if the file grew since stat()
            data = fh.read(MAX_FILE_BYTES + 1)
        if len(data) > MAX_FILE_BYTES:
            raise AnswersFileError(Problem(name, "", f"bestand is te groot voor een antwoordenbestand (meer dan "
                                           f"{MAX_FILE_BYTES / 1e6:.0f} MB)"))
    except FileNotFoundError:
        raise AnswersFileError(Problem(name, "", f"bestand niet gevonden ({path})")) from None
    except OSError as exc:
        raise AnswersFileError(Problem(name, "", f"kan het bestand niet lezen ({exc.strerror or exc})")) from None
    return data


def _parse_bytes(data: bytes, name: str, model: MaturityModel | None = None) -> LoadResult:
    text, encoding, problems = _decode(data, name)
    result = parse_answers(text, name, model)
    result.problems[:0] = problems
    result.encoding = encoding
    result.digest = content_digest(data)
    return result


# --- writing ------------------------------------------------------------------

def dumps_answers(answers: Answers) -> str:
    """The file text. ``set_aside`` is written with plain ``json`` so it comes back exactly as it was read.

    Indented for people who open the file; when that would exceed the budget a file may have
    (:data:`MAX_FILE_BYTES`), compact. Text that even compact would not fit raises :class:`AnswersFileError`:
    the tool never writes a file it would refuse to read.
    """
    data = answers.model_dump(mode="json", exclude={"set_aside"})
    data["answers"] = {k: v for k, v in data["answers"].items()
                       if v["current"] is not None or v["target"] is not None or v["note"]}
    data["set_aside"] = _standard_json(answers)
    empty = unwritten_sections(answers)
    keys = [k for k in Answers.model_fields if k not in empty]  # optional sections only when filled in
    data = {k: data[k] for k in keys}
    size = 0
    for layout in ({"indent": 1}, {"separators": (",", ":")}):
        try:
            text = json.dumps(data, ensure_ascii=False, allow_nan=False, **layout)
        except RecursionError:  # deeply nested set-aside data: the pure-Python indenting encoder gives up
            continue
        # a lone surrogate (from an odd file) cannot be UTF-8: escape those characters only (they occur only in
        # strings, where \udXXX is valid JSON), not every non-ASCII character
        text = _LONE_SURROGATE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
        size = len(text.encode("utf-8"))
        if size + 1 <= MAX_FILE_BYTES:
            return text + "\n"
    raise AnswersFileError(Problem(
        file_name(answers.school.name, answers.round, answers.rater), "",
        f"dit antwoordenbestand zou te groot worden ({mb(size)}; hoogstens {mb(MAX_FILE_BYTES)}) en is niet "
        "opgeslagen. Haal een deel van de inhoud weg (lange toelichtingen, apart gezette gegevens onder set_aside, "
        "applicaties) en probeer het opnieuw"))


_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def _standard_json(answers: Answers) -> Any:
    """``set_aside`` ready for standard JSON: NaN and infinity as text (see :func:`_finite`)."""
    try:
        json.dumps(answers.set_aside, allow_nan=False, separators=(",", ":"))  # the C encoder: quick
        return answers.set_aside
    except ValueError:
        pass
    except RecursionError:
        raise _too_deep(answers) from None
    try:
        return _finite(answers.set_aside)
    except RecursionError:
        raise _too_deep(answers) from None


def _too_deep(answers: Answers) -> AnswersFileError:
    return AnswersFileError(Problem(file_name(answers.school.name, answers.round, answers.rater), "set_aside",
                                    "de apart gezette gegevens zijn te diep genest om op te slaan; haal ze weg en "
                                    "probeer het opnieuw"))


def _finite(value: Any) -> Any:
    """NaN and infinity are not JSON: set-aside values keep them as text (``"NaN"``), so every file written is
    standard JSON that other tools can read."""
    if isinstance(value, float) and not math.isfinite(value):
        return repr(value).replace("nan", "NaN").replace("inf", "Infinity")
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_finite(v) for v in value]
    return value


def answers_bytes(answers: Answers) -> bytes:
    """Set ``saved_at`` and serialise (may raise :class:`AnswersFileError` when too large): for a caller that
    holds the file's lock itself and writes with :func:`storage.atomic_write_bytes`."""
    return _stamped(answers)


def _stamped(answers: Answers) -> bytes:
    """Set ``saved_at`` and serialise (may raise :class:`AnswersFileError` when too large)."""
    answers.saved_at = _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds")
    return dumps_answers(answers).encode("utf-8")


def save_answers(answers: Answers, path: str | Path) -> Path:
    """Save atomically (temp file + rename) under the file's lock; sets ``saved_at``. Overwrites what is there:
    for edits of an open file use :class:`Session`, which never overwrites a change made elsewhere."""
    path = Path(path)
    data = _stamped(answers)
    with locked(path):
        atomic_write_bytes(path, data)
    return path


class ConflictError(ImworkbookError):
    """The file changed on disk since this session read or wrote it and cannot be merged with this change."""


# --- a session that saves on every change -------------------------------------

class Session:
    """An open answers file that saves itself after every change.

    Use :func:`open_school`, :func:`open_example` or :meth:`Session.create`.

    Every change is a compare-and-swap on the file's content, under the file's lock (:mod:`imworkbook.storage`):
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
               model: MaturityModel | None = None, rater: str | None = None) -> "Session":
        model = model or load_model()
        answers = new_answers(name, sector, round, code=code, pupils=pupils, model=model, rater=rater)
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
            data = _stamped(candidate)
            if self._backup_first and disk is not None:
                self.backup_path = backup_copy(self.path)
                self.problems.append(Problem(self.path.name, "", f"het oorspronkelijke bestand is bewaard als "
                                             f"{self.backup_path.name}", "opmerking"))
            self._backup_first = False
            atomic_write_bytes(self.path, data)
        self.answers, self._digest = candidate, content_digest(data)
        self.reloaded = self.reloaded or reloaded

    def _conflict(self) -> ConflictError:
        return ConflictError(Problem(self.path.name, "", "het bestand is intussen ergens anders gewijzigd (een ander "
                                     "venster of een synchronisatieprogramma) en kan niet veilig worden bijgewerkt. "
                                     "Je laatste wijziging is niet opgeslagen; open de school opnieuw om verder te "
                                     "gaan."))

    def _check_item(self, item_id: str) -> None:
        if item_id not in self.model.item_ids:
            raise KeyError(f"onbekend item-id: {item_id!r}")

    def set_level(self, item_id: str, which: Which, value: Any) -> None:
        """Set the current or target level (1-5, 'weet_niet', 'nvt' or None) and save."""
        if which not in ("current", "target"):
            raise ValueError(f"which moet 'current' of 'target' zijn; gekregen: {which!r}")
        self._check_item(item_id)
        level = normalize_level(value)
        self._change(lambda a: setattr(a.answers.setdefault(item_id, ItemAnswer()), which, level))

    def set_note(self, item_id: str, text: str) -> None:
        self._check_item(item_id)
        text = text or ""
        limit = ItemAnswer.model_fields["note"].metadata[0].max_length
        if len(text) > limit:
            raise ValueError(f"de toelichting is te lang ({len(text)} tekens; hoogstens {limit}); "
                             "niet opgeslagen")
        self._change(lambda a: setattr(a.answers.setdefault(item_id, ItemAnswer()), "note", text))

    def _check_area(self, area_id: str) -> None:
        if area_id not in {a.id for a in self.model.areas}:
            raise KeyError(f"onbekend gebied: {area_id!r}")

    def set_investment(self, area_id: str, field_id: str, value: Any) -> None:
        """Set one investment input of an area (text like ``"1.250,50"`` is parsed) and save.

        ``field_id`` is a field of ``data/investment/model.yaml``, ``"ambition"`` (1-5) or ``"note"``.
        Raises ``ValueError`` with a Dutch message for text, negative or impossible values.
        """
        self._check_area(area_id)
        if field_id == "ambition":
            number: Any = normalize_ambition(value)
        elif field_id == "note":
            number = value or ""
        else:
            fields = {f.id: f for f in load_investment_model().fields}
            if field_id not in fields:
                raise KeyError(f"onbekend veld: {field_id!r}")
            number = normalize_investment(fields[field_id], value)
        self._change(lambda a: a.investment.areas.setdefault(area_id, {}).__setitem__(field_id, number))

    def set_investment_setting(self, key: Literal["hourly_rate", "staff_fte"], value: Any) -> None:
        """The school's own hourly rate or staff size (``None`` = use the default / the estimate)."""
        if key not in ("hourly_rate", "staff_fte"):
            raise KeyError(f"onbekende instelling: {key!r}")
        number = parse_number(value)
        try:
            Investment.model_validate({key: number})
        except ValidationError as exc:
            raise ValueError(_message(exc)) from None
        self._change(lambda a: setattr(a.investment, key, number))

    def set_application(self, app: "Application | dict", replace: str | None = None) -> None:
        """Add a new application to the inventory (``replace=None``), or replace the one named ``replace``. Names
        are unique (case does not count), also against what another window saved in the meantime."""
        try:
            app = app if isinstance(app, Application) else Application.model_validate(app)
        except ValidationError as exc:
            raise ValueError("\n".join(f"{p.where}: {p.message}" for p in from_pydantic(exc, "", app))) from None

        def apply(a: Answers) -> None:  # on the list being changed (it may have been read again)
            if any(x.name.lower() == app.name.lower() and x.name != replace for x in a.landscape):
                raise ValueError(f"er is al een applicatie met de naam {app.name!r}")
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
            raise ValueError(f"kies R, A, C of I; gekregen: {letter!r}")

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
            raise ValueError(f"uren per jaar moeten tussen 0 en 100.000 liggen; gekregen: {value!r}")

        def apply(a: Answers) -> None:
            if number is None:
                a.roles.hours.pop(role_id, None)
            else:
                a.roles.hours[role_id] = number
        self._change(apply)

    def update_school(self, **fields: Any) -> None:
        """Change school details (name, code, sector, pupils); the file name stays the same."""
        data = self.answers.school.model_dump() | fields
        try:
            School.model_validate(data)  # the message, before anything is written
        except ValidationError as exc:
            raise ValueError("\n".join(f"{FIELD_NAMES_NL.get(p.where, p.where)}: {p.message}"
                                       for p in from_pydantic(exc, "", data))) from None
        # only the fields changed here, on the state being written (it may have been read again)
        self._change(lambda a: setattr(a, "school", School.model_validate(a.school.model_dump() | fields)))

    def __repr__(self) -> str:
        s = self.answers.school
        return f"<Session {s.name} ({s.sector}) {self.answers.round}: {self.path}>"


# --- examples and the user's schools ------------------------------------------

def backup_copy(path: Path) -> Path:
    """Copy ``path`` to ``<name>.origineel-<time>.json`` next to it (never overwriting an earlier copy)."""
    stamp = _dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    for n in range(1, 1000):
        suffix = "" if n == 1 else f"-{n}"
        backup = path.with_name(f"{path.stem}.origineel-{stamp}{suffix}{path.suffix}")
        try:
            with open(backup, "xb") as handle:  # never overwrite an earlier backup
                handle.write(path.read_bytes())
            return backup
        except FileExistsError:
            continue
    raise OSError("kan geen reservekopie maken")  # pragma: no cover


EXAMPLES_SUBFOLDER = "voorbeelden"  # your working copies of the examples: <antwoorden>/voorbeelden/


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
    only, and :func:`imworkbook.collect.collect` skips a ``voorbeelden/``
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
        names = ", ".join(p.stem for p in candidates)
        raise ValueError(f"voorbeeld {which!r} bestaat niet; kies 'po', 'vo' of een van: {names}")
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
            problems.append(Problem(path.name, "", f"kan het bestand niet lezen ({plain_reason(exc)})"))
            continue
        found.append(SchoolFile(path, a.school.name, a.school.sector, a.round, a.saved_at, a.rater, a.school.code))
    found.sort(key=lambda s: (s.saved_at or "", s.path.stat().st_mtime), reverse=True)
    return found, problems
