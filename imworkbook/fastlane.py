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
from typing import Annotated, Any, Literal, Optional, Union

from pydantic import ConfigDict, Field, TypeAdapter, ValidationError
from typing_extensions import NotRequired, TypedDict

from .answers import KIND, SCHEMA_VERSION, _UNIT_MAX, Answers
from .content import InvestmentModel, MaturityModel

_STRICT = ConfigDict(extra="forbid", strict=True)
Level = Optional[Literal[1, 2, 3, 4, 5, "weet_niet", "nvt"]]


class _Item(TypedDict, total=False):
    __pydantic_config__ = _STRICT  # type: ignore[misc]
    current: Level
    target: Level
    note: Annotated[str, Field(max_length=4000)]


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


def _area_values_schema(inv: InvestmentModel) -> TypeAdapter:
    """One strict, native schema for the values of an area: every field with its unit's bounds."""
    fields: dict[str, Any] = {"ambition": NotRequired[Optional[Annotated[int, Field(ge=1, le=5)]]],
                              "note": NotRequired[Annotated[str, Field(max_length=4000)]]}
    for f in inv.fields:
        low = 1 if f.unit == "years" else 0
        if f.unit == "choice":
            kind: Any = Literal[0, 1, 2]
        else:
            kind = Union[Annotated[int, Field(ge=low, le=_UNIT_MAX[f.unit])],
                         Annotated[float, Field(ge=low, le=_UNIT_MAX[f.unit], allow_inf_nan=False)]]
        fields[f.id] = NotRequired[Optional[kind]]
    values = TypedDict("_AreaValues", fields)  # type: ignore[misc]
    values.__pydantic_config__ = _STRICT  # type: ignore[attr-defined]
    return TypeAdapter(dict[str, values])


class FastLane:
    """Checks whether a document is canonical for this model (then it needs no slow parse)."""

    def __init__(self, model: MaturityModel, inv: InvestmentModel):
        self.model_id, self.model_version = model.id, model.version
        self.items = frozenset(model.item_ids)
        self.areas = frozenset(a.id for a in model.areas)
        self.area_values = _area_values_schema(inv)

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
        try:
            self.area_values.validate_python(inv["areas"])
        except ValidationError:
            return False
        return True


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


# --- compact columns for network analysis ------------------------------------------------------

def column_spec(model: MaturityModel, inv: InvestmentModel) -> tuple[list[str], list[str], list[str]]:
    """Item ids, area ids and euro fields in the order :func:`extract_columns` uses."""
    return model.item_ids, [a.id for a in model.areas], [f.id for f in inv.fields if f.in_euros]


def extract_columns(documents: list[dict], item_ids: list[str], area_ids: list[str],
                    euro_fields: list[str]) -> dict[str, Any]:
    """The numbers of many documents as compact arrays (cheap to send between processes).

    ``schools``: one tuple per document (name, code, sector, pupils, round); ``items``: document index,
    item index, current and target (NaN unless a level 1-5); ``investment``: document index, area index,
    ambition, the euro fields and the depreciation period.
    """
    from array import array

    import numpy as np

    item_pos = {i: n for n, i in enumerate(item_ids)}
    area_pos = {a: n for n, a in enumerate(area_ids)}
    # typed arrays (4 bytes a number) instead of lists of Python objects: a national network stays small
    schools, f_idx, i_idx, cur, tgt, inv_rows = [], array("i"), array("h"), array("f"), array("f"), array("d")
    nan = float("nan")
    for d, doc in enumerate(documents):
        s = doc["school"]
        schools.append((s["name"], s.get("code"), s["sector"], s.get("pupils"), doc["round"]))
        answers = doc["answers"]
        f_idx.extend([d] * len(answers))
        i_idx.extend([item_pos.get(k, -1) for k in answers])
        for v in answers.values():
            c, t = v.get("current"), v.get("target")
            cur.append(c if type(c) is int else nan)
            tgt.append(t if type(t) is int else nan)
        for area_id, values in doc["investment"]["areas"].items():
            inv_rows.append(d)
            inv_rows.append(area_pos.get(area_id, -1))
            for key in ("ambition", *euro_fields, "depreciation_years"):
                v = values.get(key)
                inv_rows.append(nan if v is None else v)
    width = 4 + len(euro_fields)
    return {
        "schools": schools,
        "items": (np.frombuffer(f_idx, dtype=np.int32), np.frombuffer(i_idx, dtype=np.int16),
                  np.frombuffer(cur, dtype=np.float32), np.frombuffer(tgt, dtype=np.float32)),
        "investment": np.frombuffer(inv_rows, dtype=np.float64).reshape(-1, width),
    }
