"""A fast lane for reading many answers files (network comparison at national scale).

A file exactly as imworkbook writes it (current schema, known items, areas and fields, canonical values)
is checked with one native pydantic-core validation of the whole document and kept as a plain dict: no
objects per item. Any other file goes through the full, lenient :func:`~imworkbook.io.reading.parse_answers`
(with its messages) and is converted to the same plain form. Both lanes accept and refuse the same files;
``tests/io/test_fastlane.py`` checks that they agree.
"""

from __future__ import annotations

from functools import lru_cache
from itertools import chain, compress, repeat
from typing import Annotated, Any, Literal, Optional, Union

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError
from typing_extensions import NotRequired, TypedDict

from imworkbook.model.answers import (CHOICES, KIND, LEVEL_MAX, LEVEL_MIN, NOTE_MAX_CHARS, SCHEMA_VERSION, YEARS_MIN,
                                      _UNIT_MAX, Answers, Application, Investment, ItemAnswer, Proposal, Roles,
                                      School, school_identity, unwritten_sections)
from imworkbook.model.content import InvestmentModel, MaturityModel

_STRICT = ConfigDict(extra="forbid", strict=True)
_ITEM_FIELDS = len(ItemAnswer.model_fields)  # a written item has all of them
# strict ints: a Literal[1, ...] would also take true and 1.0 (they compare equal to 1)
Level = Optional[Union[Annotated[int, Field(strict=True, ge=LEVEL_MIN, le=LEVEL_MAX)], Literal["weet_niet", "nvt"]]]


class _Item(TypedDict, total=False):
    __pydantic_config__ = _STRICT  # type: ignore[misc]
    current: Level
    target: Level
    note: Annotated[str, Field(max_length=NOTE_MAX_CHARS)]


class _School(TypedDict):
    __pydantic_config__ = _STRICT  # type: ignore[misc]
    name: str
    code: Optional[str]
    sector: Literal["po", "vo"]
    pupils: Optional[int]
    scope: Optional[Literal["school", "vestiging", "bestuur"]]
    location: Optional[str]


class _Model(TypedDict):
    __pydantic_config__ = _STRICT  # type: ignore[misc]
    id: str
    version: str


class _Investment(TypedDict):
    __pydantic_config__ = _STRICT  # type: ignore[misc]
    hourly_rate: Optional[float]
    staff_fte: Optional[float]
    levy_eur: Optional[float]
    levy_attribution: Optional[str]
    areas: dict[str, dict[str, Any]]


class _File(TypedDict):
    __pydantic_config__ = _STRICT  # type: ignore[misc]
    schema_version: int
    kind: str
    model: _Model
    school: _School
    round: str
    rater: NotRequired[str]
    landscape: NotRequired[list[Any]]  # checked by the full model below (only files that have them)
    proposals: NotRequired[list[Any]]
    roles: NotRequired[dict[str, Any]]
    answers: dict[str, _Item]
    investment: _Investment
    set_aside: dict[str, Any]
    saved_at: Optional[str]


INVESTMENT_SETTINGS = ("hourly_rate", "staff_fte", "levy_eur", "levy_attribution")


def _header_adapter() -> TypeAdapter:
    """round and rater exactly as :class:`Answers` declares them; the investment settings as :class:`Investment`
    does."""
    def typed(name: str, owner: Any, keys: tuple[str, ...], extra: dict | None = None) -> Any:
        fields = {k: Annotated[owner.model_fields[k].annotation, owner.model_fields[k]] for k in keys}
        return TypedDict(name, {**fields, **(extra or {})})  # type: ignore[misc]
    rates = typed("_Rates", Investment, INVESTMENT_SETTINGS)
    return TypeAdapter(typed("_Header", Answers, ("round", "rater"), {"investment": rates}))


_HEADER = _header_adapter()


@lru_cache(maxsize=8)
def _file_schema(fields: tuple[tuple[str, str], ...]) -> TypeAdapter:
    """The whole file as one strict, native schema, with the values of each area typed by the investment model's
    ``fields`` (id, unit): checked while the bytes are parsed, not in a second pass. Made once per model."""
    typed = TypedDict("_TypedInvestment", {**_Investment.__annotations__,  # type: ignore[misc]
                                           "areas": dict[str, _area_values(fields)]})
    typed.__pydantic_config__ = _STRICT  # type: ignore[attr-defined]
    whole = TypedDict("_TypedFile", {**_File.__annotations__, "investment": typed})  # type: ignore[misc]
    whole.__pydantic_config__ = _STRICT  # type: ignore[attr-defined]
    return TypeAdapter(whole)


def _area_values(fields: tuple[tuple[str, str], ...]) -> Any:
    """The values of an area as a strict TypedDict: every field of the investment model with its unit's bounds."""
    values: dict[str, Any] = {"ambition": NotRequired[Optional[Annotated[int, Field(ge=LEVEL_MIN, le=LEVEL_MAX)]]],
                              "note": NotRequired[Annotated[str, Field(max_length=NOTE_MAX_CHARS)]]}
    for field_id, unit in fields:
        low = YEARS_MIN if unit == "years" else 0
        if unit == "choice":
            kind: Any = Annotated[int, Field(strict=True, ge=CHOICES[0], le=CHOICES[-1])]
        else:
            kind = Union[Annotated[int, Field(ge=low, le=_UNIT_MAX[unit])],
                         Annotated[float, Field(ge=low, le=_UNIT_MAX[unit], allow_inf_nan=False)]]
        values[field_id] = NotRequired[Optional[kind]]
    typed = TypedDict("_AreaValues", values)  # type: ignore[misc]
    typed.__pydantic_config__ = _STRICT  # type: ignore[attr-defined]
    return typed


class FastLane:
    """Checks whether a document is canonical for this model (then it needs no slow parse)."""

    def __init__(self, model: MaturityModel, inv: InvestmentModel):
        self.model_id, self.model_version = model.id, model.version
        self.items = frozenset(model.item_ids)
        self.areas = frozenset(a.id for a in model.areas)
        self.file = _file_schema(tuple((f.id, f.unit) for f in inv.fields))

    def canonical(self, raw: Any) -> bool:
        """True when an already parsed document is exactly as imworkbook writes it."""
        if not isinstance(raw, dict) or raw.get("kind") != KIND or raw.get("schema_version") != SCHEMA_VERSION:
            return False
        try:
            self.file.validate_python(raw)
        except ValidationError:
            return False
        return self._rest_is_canonical(raw)

    def read(self, data: bytes) -> dict | None:
        """The document, when the bytes are a canonical file (parsed and checked natively), else None.

        jiter keeps the last of two equal keys without saying so. So the bytes must also pass a count:
        every ``:`` in the file is either the colon after a key or a ``:`` inside a string. The number of
        colons found equals keys plus string colons of the parsed document only when no key was dropped;
        any doubt (such as an escaped colon) sends the file to the full parser, which reports duplicate keys.
        """
        if b"\\u003" in data:  # an escaped character in the range of ':' - let the full parser decide
            return None
        try:
            raw = self.file.validate_json(data)
        except ValidationError:
            return None
        if raw["kind"] != KIND or raw["schema_version"] != SCHEMA_VERSION or not self._rest_is_canonical(raw):
            return None
        extra = [k for k in _EXTRA if k in raw]
        if extra:
            try:  # the same models the full parser uses; these sections are small
                checked = _EXTRA_ADAPTER.validate_python({k: raw[k] for k in extra})
            except ValidationError:
                return None
            if as_plain(checked) != {k: raw[k] for k in extra}:
                return None  # the full model would change something: let the full parser decide and report
        if data.count(b":") != _keys_and_string_colons(raw) + sum(_count_nested(raw[k]) for k in extra):
            return None
        return raw

    def _rest_is_canonical(self, raw: dict) -> bool:
        # the header through the same models the full parser uses (their limits, stripping, patterns: no copies
        # of them here); canonical means they give back exactly what the file holds
        inv = raw["investment"]
        header = {"round": raw["round"], "rater": raw.get("rater"),
                  "investment": {k: inv[k] for k in INVESTMENT_SETTINGS}}
        try:
            school = School.model_validate(raw["school"])
            checked = _HEADER.validate_python(header)
        except ValidationError:
            return False
        if school.model_dump() != raw["school"] or as_plain(checked) != header:
            return False
        if raw["model"]["id"] != self.model_id or raw["model"]["version"] != self.model_version:
            return False
        if not raw["answers"].keys() <= self.items or raw["set_aside"]:
            return False
        # written as imworkbook writes: every item with its three fields and something in it, and an optional
        # section only when it holds something (answers.unwritten_sections)
        for item in raw["answers"].values():
            if len(item) != _ITEM_FIELDS or (item["current"] is None and item["target"] is None and not item["note"]):
                return False
        if any(k in raw and not raw[k] for k in ("landscape", "proposals")) or \
                ("roles" in raw and not (raw["roles"].get("assignments") or raw["roles"].get("hours"))):
            return False
        return inv["areas"].keys() <= self.areas  # (their values are checked in the file's schema)


_EXTRA = ("landscape", "proposals", "roles")


class _Extra(TypedDict, total=False):
    landscape: list[Application]
    proposals: list[Proposal]
    roles: Roles


_EXTRA_ADAPTER = TypeAdapter(_Extra)


def as_plain(value: Any) -> Any:
    """A validated value (models, dicts, lists) as plain Python data, to compare with what a file holds."""
    if isinstance(value, BaseModel):
        return value.model_dump(mode="python")
    if isinstance(value, dict):
        return {k: as_plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [as_plain(v) for v in value]
    return value


def _count_nested(value: Any) -> int:
    """Keys plus ``:`` inside strings, in any nested JSON value."""
    if isinstance(value, dict):
        return sum(1 + k.count(":") + _count_nested(v) for k, v in value.items())
    if isinstance(value, list):
        return sum(_count_nested(v) for v in value)
    return value.count(":") if isinstance(value, str) else 0


def _keys_and_string_colons(doc: dict) -> int:
    """Keys in a canonical document plus the ``:`` characters inside its strings (keys and values)."""
    answers, investment, school, model = doc["answers"], doc["investment"], doc["school"], doc["model"]
    areas = investment["areas"]
    # the top-level keys count here; the keys inside the optional sections are counted by _count_nested
    keys = (len(doc) + len(model) + len(school) + len(investment) + len(answers) + sum(map(len, answers.values()))
            + len(areas) + sum(map(len, areas.values())))
    notes = repeat("note"), repeat("")
    texts = [doc["kind"], doc["round"], doc.get("rater") or "", doc["saved_at"] or "", model["id"], model["version"],
             school["name"], school["code"] or "", school["location"] or "", school["scope"] or "",
             investment["levy_attribution"] or "", *answers, *areas,
             *map(dict.get, answers.values(), *notes), *map(dict.get, areas.values(), *notes)]  # (C calls only)
    return keys + ":".join(texts).count(":") - (len(texts) - 1)


def as_document(answers: Answers) -> dict:
    """A parsed :class:`Answers` in the same plain form as a canonical file."""
    return answers.model_dump(mode="python", exclude=unwritten_sections(answers) or None)


# --- compact columns for network analysis ------------------------------------------------------

def column_spec(model: MaturityModel, inv: InvestmentModel) -> tuple[list[str], list[str], list[str]]:
    """Item ids, area ids and euro fields in the order :func:`extract_columns` uses."""
    return model.item_ids, [a.id for a in model.areas], [f.id for f in inv.fields if f.in_euros]


def extract_columns(documents: list[dict], item_ids: list[str], area_ids: list[str],
                    euro_fields: list[str]) -> dict[str, Any]:
    """The numbers of many documents as compact arrays (cheap to send between processes); see :class:`Columns`."""
    columns = Columns(item_ids, area_ids, euro_fields)
    for doc in documents:
        columns.add(doc)
    return columns.result()


class Columns:
    """The numbers of documents added one by one (while each is fresh in memory), as compact arrays.

    :meth:`result`: ``schools``: one tuple per document (its school key
    (:func:`~imworkbook.model.answers.school_identity`), name, code, sector, pupils, round, the school's own hourly
    rate, scope, location number, levy and levy attribution, each or None); ``items``: document index, item index,
    current and target (NaN unless a level 1-5); ``investment``: document index, area index, ambition, the euro
    fields and the depreciation period.
    """

    def __init__(self, item_ids: list[str], area_ids: list[str], euro_fields: list[str]):
        from array import array

        self.item_pos = {i: n for n, i in enumerate(item_ids)}.get
        self.area_pos = {a: n for n, a in enumerate(area_ids)}.get
        self.width = 4 + len(euro_fields)
        self.keys = ("ambition", *euro_fields, "depreciation_years")
        # typed arrays (4 bytes a number) instead of lists of Python objects: a national network stays small
        self.schools: list[tuple] = []
        self.f_idx, self.i_idx, self.cur, self.tgt = array("i"), array("h"), array("f"), array("f")
        self.investment = array("d")
        # a level 1-5 as a number, anything else (weet niet, n.v.t., empty) as NaN; both lanes only let
        # through strict ints as levels (never true or 1.0, which equal 1 in Python)
        self.level = {n: float(n) for n in range(LEVEL_MIN, LEVEL_MAX + 1)}.get

    def add(self, doc: dict) -> None:
        d = len(self.schools)
        s = doc["school"]
        inv = doc.get("investment") or {}
        self.schools.append((school_identity(s.get("code"), s["name"], s.get("location")), s["name"], s.get("code"),
                             s["sector"], s.get("pupils"), doc["round"], inv.get("hourly_rate"), s.get("scope"),
                             s.get("location"), inv.get("levy_eur"), inv.get("levy_attribution")))
        answers = doc["answers"]
        nan, get, level = repeat(_NAN), dict.get, self.level  # (map over C functions: no Python call per item)
        self.f_idx.extend(repeat(d, len(answers)))
        self.i_idx.extend(map(self.item_pos, answers, repeat(-1)))
        values = answers.values()
        self.cur.extend(map(level, map(get, values, repeat("current")), nan))
        self.tgt.extend(map(level, map(get, values, repeat("target")), nan))
        for area_id, values in doc["investment"]["areas"].items():
            # (a missing or empty value, None, is NaN)
            self.investment.extend([d, self.area_pos(area_id, -1),
                                    *[_NAN if v is None else v for v in map(values.get, self.keys)]])

    def result(self) -> dict[str, Any]:
        import numpy as np

        return {
            "schools": self.schools,
            "items": (np.frombuffer(self.f_idx, dtype=np.int32), np.frombuffer(self.i_idx, dtype=np.int16),
                      np.frombuffer(self.cur, dtype=np.float32), np.frombuffer(self.tgt, dtype=np.float32)),
            "investment": np.frombuffer(self.investment, dtype=np.float64).reshape(-1, self.width),
        }


_NAN = float("nan")


def join_columns(parts: list[dict], keep: Any) -> dict[str, Any]:
    """Columns of several chunks as one, in order, keeping only the documents where ``keep`` is true.

    ``keep`` has one flag per document over all parts; document indices are renumbered to the kept ones.
    """
    import numpy as np

    keep = np.asarray(keep, dtype=bool)
    offsets = np.cumsum([0] + [len(p["schools"]) for p in parts])
    new_index = np.cumsum(keep) - 1  # old document index -> new one (for kept documents)
    schools = list(compress(chain.from_iterable(p["schools"] for p in parts), keep.tolist()))
    doc = np.concatenate([p["items"][0] + off for p, off in zip(parts, offsets)]) if parts else np.zeros(0, np.int32)
    rest = [np.concatenate([p["items"][n] for p in parts]) for n in (1, 2, 3)]
    if keep.all():  # (nothing to leave out: no copies through a mask)
        items = (doc.astype(np.int32, copy=False), *rest)
    else:
        mask = keep[doc] if len(doc) else np.zeros(0, dtype=bool)
        items = (new_index[doc[mask]].astype(np.int32), *(r[mask] for r in rest))
    widths = {p["investment"].shape[1] for p in parts}
    block = np.concatenate([p["investment"] for p in parts]) if parts else np.zeros((0, 0))
    if len(block):
        block = block.copy()
        block[:, 0] += np.repeat(offsets[:-1], [len(p["investment"]) for p in parts])
        block = block[keep[block[:, 0].astype(int)]]
        block[:, 0] = new_index[block[:, 0].astype(int)]
    elif widths:
        block = block.reshape(0, max(widths))
    return {"schools": schools, "items": items, "investment": block}
