"""The answers file's schema: value types, the pydantic models, names and identities."""

from __future__ import annotations

import datetime as _dt
import re
import unicodedata
from typing import Annotated, Any, Literal

from pydantic import (BaseModel, BeforeValidator, ConfigDict, Field, Strict, StringConstraints, TypeAdapter,
                      ValidationError)

from imworkbook.base.budgets import ANSWERS_MAX_BYTES
from imworkbook.base.errors import Invalid, InvalidInput, Msg, from_pydantic, join
from imworkbook.base.numbers import parse_number
from imworkbook.model.content import OTHER_TYPE, InvestmentField, MaturityModel, load_model


SCHEMA_VERSION = 4
NOTE_MAX_CHARS = 4000  # a note (item, application) or a proposal's goal: the most one holds
KIND = "imworkbook.answers"
MAX_FILE_BYTES = ANSWERS_MAX_BYTES  # the budget of one answers file (imworkbook.base.budgets); kept importable here
Which = Literal["current", "target"]
FIELD_NAMES_NL = {"name": "naam van de school", "code": "schoolcode", "sector": "sector",
                  "pupils": "aantal leerlingen", "round": "ronde", "scope": "antwoord voor",
                  "location": "vestigingsnummer"}
# For what the answers speak (school.scope, schema 3): one school, one location (vestiging) of a school, or the
# whole board. The network compares like with like (a peer-group dimension, imworkbook.analysis.network).
SCOPES = ("school", "vestiging", "bestuur")
Scope = Literal["school", "vestiging", "bestuur"]

LEVEL_MIN, LEVEL_MAX = 1, 5  # a maturity level, an ambition and a fit
CHOICES = (0, 1, 2)  # an investment field with unit "choice" (e.g. tools: none, partly, in order)
YEARS_MIN = 1  # an investment field with unit "years" (a depreciation period)

_WEET_NIET = {"weet niet", "weet_niet", "weetniet", "?", "onbekend", "don't know", "dont know", "unknown"}
_NVT = {"nvt", "n.v.t.", "n.v.t", "nvt.", "n/a", "na", "niet van toepassing", "not applicable"}


def normalize_level(value: Any) -> int | str | None:
    """Return ``1``-``5``, ``"weet_niet"``, ``"nvt"`` or ``None``; raise ``ValueError`` (Dutch) otherwise."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise Invalid("value.level", given=repr(value))
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
    if isinstance(value, int) and LEVEL_MIN <= value <= LEVEL_MAX:
        return value
    raise Invalid("value.level", given=repr(value))


LevelValue = Annotated[Any, BeforeValidator(normalize_level)]

_UNIT_MAX = {"hours": 100_000, "euro": 1_000_000_000, "euro_per_year": 1_000_000_000, "years": 50, "fte": 10_000,
             "choice": CHOICES[-1]}


def normalize_ambition(value: Any) -> int | None:
    """Ambition (importance) of an area: 1-5 or ``None`` ('weet niet' and 'n.v.t.' do not apply here)."""
    try:
        level = normalize_level(value)
    except ValueError:
        level = "?"
    if isinstance(level, str):
        raise Invalid("value.ambition", given=repr(value)) from None
    return level


def normalize_investment(field: InvestmentField, value: Any) -> float | None:
    """A number for ``field`` (Dutch or English notation) or ``None``; ``ValueError`` in Dutch otherwise."""
    number = parse_number(value)
    if number is None:
        return None
    if number < 0:
        raise Invalid("value.negative", given=repr(value))
    top = _UNIT_MAX[field.unit]
    if number > top:
        raise Invalid("value.too_large", top=float(top), given=repr(value))
    if field.unit == "years" and number < YEARS_MIN:
        raise Invalid("value.years_at_least_one", given=repr(value))
    if field.unit == "choice":
        if number not in CHOICES:
            raise Invalid("value.choice", given=repr(value))
        return int(number)
    return number
RoundText = Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^\d{4}(-\d{4})?$")]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=True)


class ItemAnswer(_Strict):
    current: LevelValue = None
    target: LevelValue = None
    note: str = Field(default="", max_length=NOTE_MAX_CHARS)

    def is_empty(self) -> bool:
        return self.current is None and self.target is None and not self.note


class School(_Strict):
    name: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=120)]
    code: Annotated[str, StringConstraints(strip_whitespace=True, max_length=20)] | None = None
    sector: Literal["po", "vo"]
    pupils: Annotated[int, Strict()] | None = Field(default=None, ge=1, le=50_000)
    # schema 3: for what these answers speak (None: not said, as in older files) and, for a location of a vo
    # school that shares its BRIN with other locations, the location number (vestigingsnummer, e.g. "01")
    scope: Scope | None = None
    location: Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^[0-9A-Za-z]{1,4}$")] | None = None


_ITEMS = TypeAdapter(dict[str, ItemAnswer])


class ModelRef(_Strict):
    id: str
    version: str


class Investment(_Strict):
    """Time, money and resources per area (schema 2; schema 4 adds the levy). ``areas[area_id][field_id]`` is a
    number or ``None`` (unknown, never zero); each area also has ``ambition`` (1-5) and ``note``.

    ``levy_eur``: the part of the school's levy (afdracht) to the board that pays for IM/ICT support, € per year
    (``None`` = not known: the support hours then count at the hourly rate); ``levy_attribution``: how it is
    spread over the areas (``None`` = the model's ``settings.levy_attribution``)."""

    hourly_rate: float | None = Field(default=None, gt=0, le=1000)
    staff_fte: float | None = Field(default=None, gt=0, le=100_000)
    levy_eur: float | None = Field(default=None, ge=0, le=100_000_000)
    levy_attribution: Literal["support_hours", "even"] | None = None
    areas: dict[str, dict[str, Any]] = Field(default_factory=dict)


Money = Annotated[float, Field(ge=0, le=1_000_000_000, allow_inf_nan=False)]
Fit = Annotated[int, Strict(), Field(ge=LEVEL_MIN, le=LEVEL_MAX)]
Choice = Literal["ja", "nee", "weet_niet"]


class Application(_Strict):
    """One application in the school's inventory (werkboek 4). Ids refer to data/landscape/reference.yaml."""

    name: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=120)]
    type: str = OTHER_TYPE
    supplier: Annotated[str, StringConstraints(strip_whitespace=True, max_length=120)] = ""
    activities: list[str] = Field(default_factory=list)
    masters: list[str] = Field(default_factory=list)  # data objects registered (kept as the source) here
    uses: list[str] = Field(default_factory=list)  # data objects only used here
    cost_year: Money | None = None
    cost_once: Money | None = None
    users: Annotated[int, Strict(), Field(ge=0, le=1_000_000)] | None = None
    business_fit: Fit | None = None
    technical_fit: Fit | None = None
    note: str = Field(default="", max_length=NOTE_MAX_CHARS)


class Proposal(_Strict):
    """A proposed new application checked against the five critical questions (werkboek 5)."""

    name: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=120)]
    type: str = OTHER_TYPE
    goal: str = Field(default="", max_length=NOTE_MAX_CHARS)  # 1. which goal does it serve
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
                pupils: int | None = None, model: MaturityModel | None = None, rater: str | None = None,
                scope: str | None = None, location: str | None = None) -> Answers:
    """An empty answers state for a school; raises ``ValueError`` with Dutch text if a field is wrong."""
    model = model or load_model()
    raw = {"model": {"id": model.id, "version": model.version},
           "school": {"name": name, "code": code or None, "sector": sector, "pupils": pupils, "scope": scope or None,
                      "location": location or None},
           "round": round or current_round(), "rater": rater or None}
    try:
        return Answers.model_validate(raw)
    except ValidationError as exc:
        raise InvalidInput([p.replace(where=join(Msg("place.school_data"), p.where))
                            for p in from_pydantic(exc, "", raw)]) from None


# --- file names ---------------------------------------------------------------

def slug(text: str) -> str:
    """``'Het Baken (vo)'`` -> ``'het-baken-vo'``: safe in every file system."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-") or "school"


def school_identity(code: str | None, name: str, location: str | None = None) -> str:
    """Who a school is, across files, raters and rounds: its code (upper case), else its name as a slug.
    The one rule; merging, duplicates in a network and pseudonyms all use it.

    vo locations share a BRIN: with a location number the identity is BRIN + location (``99XB-01``), so two
    locations of one BRIN are two schools, and the same location in two rounds is one."""
    if (code or "").strip():
        where = (location or "").strip().upper()
        return code.strip().upper() + (f"-{where}" if where else "")
    # the name, case and punctuation aside; letters of any script kept (a slug would turn every name in another
    # script into "school", and two such schools into one)
    text = re.sub(r"[\W_]+", "-", unicodedata.normalize("NFKC", name).casefold()).strip("-")
    return text or "school"


def file_name(school_name: str, round: str, rater: str | None = None) -> str:
    """``de-regenboog_2026-2027.json``; a rater's own file: ``de-regenboog_2026-2027_ict_coordinator.json``."""
    return f"{slug(school_name)}_{round}{'_' + rater if rater else ''}.json"
