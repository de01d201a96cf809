"""A fast lane for reading many answers files (network comparison at national scale).

A file exactly as imworkbook writes it (current schema, known items, areas and fields, canonical values)
is checked with one native pydantic-core validation of the whole document and kept as a plain dict: no
objects per item. Any other file goes through the full, lenient :func:`~imworkbook.answers.parse_answers`
(with its messages) and is converted to the same plain form. Both lanes accept and refuse the same files;
``tests/test_fastlane.py`` checks that they agree.
"""

from __future__ import annotations

import json
import re
from typing import Any, Literal, Optional

from pydantic import ConfigDict, TypeAdapter, ValidationError
from typing_extensions import TypedDict

from .answers import KIND, SCHEMA_VERSION, _UNIT_MAX, Answers
from .content import InvestmentModel, MaturityModel

_STRICT = ConfigDict(extra="forbid", strict=True)
Level = Optional[Literal[1, 2, 3, 4, 5, "weet_niet", "nvt"]]


class _Item(TypedDict, total=False):
    __pydantic_config__ = _STRICT  # type: ignore[misc]
    current: Level
    target: Level
    note: str


class _School(TypedDict):
    __pydantic_config__ = _STRICT  # type: ignore[misc]
    name: str
    code: Optional[str]
    sector: Literal["po", "vo"]
    pupils: Optional[int]


class _Model(TypedDict):
    __pydantic_config__ = _STRICT  # type: ignore[misc]
    id: str
    version: str


class _Investment(TypedDict):
    __pydantic_config__ = _STRICT  # type: ignore[misc]
    hourly_rate: Optional[float]
    staff_fte: Optional[float]
    areas: dict[str, dict[str, Any]]


class _File(TypedDict):
    __pydantic_config__ = _STRICT  # type: ignore[misc]
    schema_version: int
    kind: str
    model: _Model
    school: _School
    round: str
    answers: dict[str, _Item]
    investment: _Investment
    set_aside: dict[str, Any]
    saved_at: Optional[str]


_FILE = TypeAdapter(_File)
_ROUND = re.compile(r"^\d{4}(-\d{4})?$")


class FastLane:
    """Checks whether a document is canonical for this model (then it needs no slow parse)."""

    def __init__(self, model: MaturityModel, inv: InvestmentModel):
        self.model_id, self.model_version = model.id, model.version
        self.items = frozenset(model.item_ids)
        self.areas = frozenset(a.id for a in model.areas)
        self.fields = {f.id: f for f in inv.fields}

    def canonical(self, raw: Any) -> bool:
        if not isinstance(raw, dict) or raw.get("kind") != KIND or raw.get("schema_version") != SCHEMA_VERSION:
            return False
        try:
            _FILE.validate_python(raw)
        except ValidationError:
            return False
        school = raw["school"]
        if not school["name"].strip() or len(school["name"]) > 120 or not _ROUND.match(raw["round"]):
            return False
        if school["pupils"] is not None and not 1 <= school["pupils"] <= 50_000:
            return False
        if raw["model"]["id"] != self.model_id or raw["model"]["version"] != self.model_version:
            return False
        if not raw["answers"].keys() <= self.items or raw["set_aside"]:
            return False
        inv = raw["investment"]
        for key in ("hourly_rate", "staff_fte"):
            if inv[key] is not None and not 0 < inv[key] <= (1000 if key == "hourly_rate" else 100_000):
                return False
        if not inv["areas"].keys() <= self.areas:
            return False
        for values in inv["areas"].values():
            for key, value in values.items():
                if key == "note":
                    if not isinstance(value, str):
                        return False
                elif key == "ambition":
                    if value is not None and (type(value) is not int or not 1 <= value <= 5):
                        return False
                else:
                    field = self.fields.get(key)
                    if field is None or not _number_ok(value, field.unit):
                        return False
        return all(len(item.get("note", "")) <= 4000 for item in raw["answers"].values())


def _number_ok(value: Any, unit: str) -> bool:
    if value is None:
        return True
    if type(value) not in (int, float) or value != value or value < 0 or value > _UNIT_MAX[unit]:
        return False
    if unit == "years" and value < 1:
        return False
    return unit != "choice" or value in (0, 1, 2)


def as_document(answers: Answers) -> dict:
    """A parsed :class:`Answers` in the same plain form as a canonical file."""
    return answers.model_dump(mode="python")


def loads(text: str) -> Any:
    """``json.loads`` that refuses duplicate keys (so the fast lane never silently keeps only the last)."""
    def pairs(items):
        out = dict(items)
        if len(out) != len(items):
            raise ValueError("duplicate key")
        return out
    return json.loads(text, object_pairs_hook=pairs)
