"""The maturity model as content: schema, loading and look-ups.

Files (under :func:`imworkbook.base.paths.data_dir`)::

    maturity/model.yaml          id, version, title, the five levels, the order of the areas
    maturity/areas/<id>.yaml     one area with its items (question, help, five level descriptors, an optional
                                 ``board`` note: how to answer when the board arranges it) and its
                                 ``prerequisites`` (consistency rules: item B at level >= n needs item A >= m)
    maturity/mappings/*.yaml     item ids of an older question set -> the current ones (chained: 0.9 -> 1.0 -> 2.0)

Every text is a mapping ``{nl: ..., en: ...}``. Loading validates everything at
once and raises :class:`~imworkbook.base.errors.ContentError` listing each problem as
``file › key: message`` (missing translation, level outside 1-5, duplicate item
id, an area named in ``model.yaml`` without a file, ...).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError, field_validator, model_validator

from imworkbook.base import paths
from imworkbook.base.errors import ContentError, Invalid, Msg, Problem, Words, from_pydantic
from imworkbook.base.yamlfile import read_yaml

LANGS = ("nl", "en")
LEVELS = (1, 2, 3, 4, 5)

NonEmpty = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
Ident = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*$")]
ItemIdent = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*\.[a-z0-9_]+$")]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _doubles(ids: list[str]) -> list[str]:
    """The ids that occur more than once, sorted."""
    return sorted({i for i in ids if ids.count(i) > 1})


def _ids_once(ids: list[str], code: str) -> None:
    """Every id once, or :class:`Invalid` ``code`` naming the ones that occur more than once (one rule for every
    list of ids in the content)."""
    doubles = _doubles(ids)
    if doubles:
        raise Invalid(code, ids=doubles)


class Text(_Strict):
    """A text in every supported language."""

    nl: NonEmpty
    en: NonEmpty

    def __call__(self, lang: str = "nl") -> str:
        return getattr(self, lang) if lang in LANGS else self.nl


def _five_levels(value: Any) -> Any:
    if isinstance(value, dict):
        value = {int(k) if isinstance(k, str) and k.strip().isdigit() else k: v for k, v in value.items()}
        keys = set(value)
        wrong = sorted(str(k) for k in keys if k not in LEVELS)
        if wrong:
            raise Invalid("content.level_unknown", levels=wrong)
        missing = [str(k) for k in LEVELS if k not in keys]
        if missing:
            raise Invalid("content.level_missing", levels=missing)
    return value


class Item(_Strict):
    id: ItemIdent
    question: Text
    help: Text
    # how to answer when this usually sits with the board (IBP, contracts, the choice of systems), for a school,
    # a location or the whole board (the answers file's school.scope)
    board: Text | None = None
    levels: dict[int, Text]

    _check_levels = field_validator("levels", mode="before")(_five_levels)

    def descriptor(self, level: int, lang: str = "nl") -> str:
        return self.levels[level](lang)

    def guidance(self, lang: str = "nl") -> str:
        """The help text, with the note on answering for a school or the board when the item has one."""
        return self.help(lang) + (f"\n\n{self.board(lang)}" if self.board is not None else "")


class Prerequisite(_Strict):
    """A consistency rule: ``item`` at ``from_level`` or higher needs ``requires`` at ``min_level`` or higher
    (for the current and for the desired level alike). Example: a vision the board adopted (3) needs a vision (3)."""

    id: Ident
    item: ItemIdent
    from_level: int = Field(ge=2, le=5)
    requires: ItemIdent
    min_level: int = Field(ge=2, le=5)
    why: Text


class Area(_Strict):
    id: Ident
    name: Text
    short: Text
    description: Text
    weight: float = Field(default=1.0, gt=0, le=10)
    items: list[Item] = Field(min_length=1)
    prerequisites: list[Prerequisite] = Field(default_factory=list)


class Level(_Strict):
    level: int = Field(ge=1, le=5)
    label: Text
    description: Text


class _ModelFile(_Strict):
    id: Ident
    version: NonEmpty
    title: Text
    levels: list[Level]
    areas: list[Ident] = Field(min_length=1)

    @field_validator("levels")
    @classmethod
    def _all_levels(cls, levels: list[Level]) -> list[Level]:
        got = [lv.level for lv in levels]
        if sorted(got) != list(LEVELS):
            raise Invalid("content.levels_one_to_five", given=str(got))
        return sorted(levels, key=lambda lv: lv.level)


@dataclass(frozen=True)
class MaturityModel:
    """The whole maturity model, validated; areas in the order of ``model.yaml``."""

    id: str
    version: str
    title: Text
    levels: tuple[Level, ...]
    areas: tuple[Area, ...]
    source: Path | None = None
    warnings: tuple[Problem, ...] = ()
    _items: dict[str, tuple[Area, Item]] = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self):
        for area in self.areas:
            for item in area.items:
                self._items[item.id] = (area, item)

    # look-ups -----------------------------------------------------------------
    @property
    def item_ids(self) -> list[str]:
        return list(self._items)

    @property
    def n_items(self) -> int:
        return len(self._items)

    def item(self, item_id: str) -> Item:
        return self._items[item_id][1]

    def area_of(self, item_id: str) -> Area:
        return self._items[item_id][0]

    def area(self, area_id: str) -> Area:
        for area in self.areas:
            if area.id == area_id:
                return area
        raise KeyError(area_id)

    def level(self, level: int) -> Level:
        return self.levels[level - 1]

    def level_label(self, level: int, lang: str = "nl") -> str:
        return self.levels[level - 1].label(lang)

    @property
    def prerequisites(self) -> list[Prerequisite]:
        """Every consistency rule of every area, in model order."""
        return [rule for area in self.areas for rule in area.prerequisites]

    def unmet(self, levels: "dict[str, tuple[Any, Any]]") -> list[tuple[Prerequisite, str]]:
        """The consistency rules these answers break, with which level breaks it (``"current"`` or ``"target"``).

        ``levels``: item id -> (current, target), each 1-5, ``"weet_niet"``, ``"nvt"`` or ``None``. A rule is
        broken only by two numbers: an unknown or not applicable level breaks nothing."""
        out = []
        for rule in self.prerequisites:
            pair, need = levels.get(rule.item, (None, None)), levels.get(rule.requires, (None, None))
            for n, which in enumerate(("current", "target")):
                level, required = pair[n], need[n]
                if isinstance(level, int) and isinstance(required, int) and level >= rule.from_level \
                        and required < rule.min_level:
                    out.append((rule, which))
        return out


def _check(model_cls, raw: Any, file: str, problems: list[Problem]):
    try:
        return model_cls.model_validate(raw)
    except ValidationError as exc:
        problems.extend(from_pydantic(exc, file, raw))
        return None


def _read_checked(model_cls, path: Path, name: str, problems: list[Problem]):
    """Read one YAML file and validate it; problems (of either step) are collected, ``None`` on failure."""
    try:
        raw = read_yaml(path, name)
    except ContentError as exc:
        problems.extend(exc.problems)
        return None
    return _check(model_cls, raw, name, problems)


def _check_prerequisites(areas: list[Area], items: dict[str, str], area_dir: str, problems: list[Problem]) -> None:
    """Every rule: a unique id, its item in its own area, an existing required item, no rule on itself."""
    seen: dict[str, str] = {}
    for area in areas:
        name = f"{area_dir}/{area.id}.yaml"
        for i, rule in enumerate(area.prerequisites):
            where = f"prerequisites[{i}] (id: {rule.id})"  # a field path: the same in every language
            if rule.id in seen:
                problems.append(Problem(name, (where, "id"), "content.duplicate_rule_id", {"other": seen[rule.id]}))
            seen[rule.id] = name
            if not rule.item.startswith(area.id + "."):
                problems.append(Problem(name, (where, "item"), "content.rule_item_other_area",
                                        {"area": area.id, "given": rule.item}))
            elif rule.item not in items:
                problems.append(Problem(name, (where, "item"), "content.no_such_item", {"item": rule.item}))
            if rule.requires not in items:
                problems.append(Problem(name, (where, "requires"), "content.rule_requires_unknown",
                                        {"item": rule.requires}))
            if rule.requires == rule.item:
                problems.append(Problem(name, (where, "requires"), "content.rule_requires_itself"))


def load_model(folder: str | Path | None = None) -> MaturityModel:
    """Load and validate the maturity model (cached per folder).

    ``folder`` is the ``maturity`` content folder; default
    ``<data_dir>/maturity``. Raises :class:`ContentError` naming every problem.
    """
    folder = Path(folder) if folder is not None else paths.data_dir() / "maturity"
    return _load_model_cached(folder.resolve())


@lru_cache(maxsize=8)
def _load_model_cached(folder: Path) -> MaturityModel:
    problems: list[Problem] = []
    model_path = folder / "model.yaml"
    shown = lambda p: str(p.relative_to(folder.parent)) if p.is_relative_to(folder.parent) else str(p)  # noqa: E731
    raw = read_yaml(model_path, shown(model_path))
    head = _check(_ModelFile, raw, shown(model_path), problems)
    if head is None:
        raise ContentError(problems, Msg("problem.content.title_model"))

    areas: list[Area] = []
    seen_items: dict[str, str] = {}
    area_dir = folder / "areas"
    for index, area_id in enumerate(head.areas):
        path = area_dir / f"{area_id}.yaml"
        name = shown(path)
        if not path.is_file():
            problems.append(Problem(shown(model_path), f"areas[{index}]", "content.area_file_missing",
                                    {"area": area_id, "name": name}))
            continue
        area = _read_checked(Area, path, name, problems)
        if area is None:
            continue
        if area.id != area_id:
            problems.append(Problem(name, "id", "content.area_id_not_file_name", {"area": area_id, "given": area.id}))
        for i, item in enumerate(area.items):
            where = f"items[{i}] (id: {item.id})"
            if not item.id.startswith(area.id + "."):
                problems.append(Problem(name, (where, "id"), "content.item_id_prefix", {"area": area.id}))
            if item.id in seen_items:
                problems.append(Problem(name, (where, "id"), "content.duplicate_item_id", {"other": seen_items[item.id]}))
            seen_items[item.id] = name
        areas.append(area)
    _check_prerequisites(areas, seen_items, shown(folder / "areas"), problems)
    if len(set(head.areas)) != len(head.areas):
        dup = sorted({a for a in head.areas if head.areas.count(a) > 1})
        problems.append(Problem(shown(model_path), "areas", "content.duplicate_area", {"areas": dup}))
    if area_dir.is_dir():
        for path in sorted(area_dir.glob("*.yaml")):
            if path.stem not in head.areas:
                problems.append(Problem(shown(path), "", "content.orphan_area_file",
                                        {"area": path.stem, "model": shown(model_path)}, "warning"))
    errors = [p for p in problems if p.severity == "error"]
    if errors:
        raise ContentError(problems, Msg("problem.content.title_model"))
    return MaturityModel(id=head.id, version=head.version, title=head.title,
                         levels=tuple(head.levels), areas=tuple(areas), source=folder,
                         warnings=tuple(problems))


# --- the investment-proportion model (data/investment/model.yaml) ------------------------------

UNITS = ("hours", "euro", "euro_per_year", "years", "fte", "choice")
EURO_UNITS = ("hours", "euro", "euro_per_year")  # fields that end up in euros per year
GROUPS = ("time", "money", "resources")


# The fields the formulas read (imworkbook.analysis.proportion), with the unit each must have. A network may add fields and
# change labels, help, settings and thresholds in data/investment/model.yaml; these ids must stay.
FORMULA_FIELDS = {"hours_im": "hours", "hours_ict": "hours", "money_per_year": "euro_per_year",
                  "hours_other": "hours", "one_off_cost": "euro", "implementation_cost": "euro",
                  "depreciation_years": "years", "licence_per_year": "euro_per_year",
                  "external_per_year": "euro_per_year", "support_hours": "hours", "fte_formal": "fte",
                  "tooling": "choice"}
# The three numbers an area needs before it can be judged (the formulas rely on exactly these being required)
REQUIRED_FIELDS = ("hours_im", "hours_ict", "money_per_year")
# Keys an area of the answers' investment section has besides the fields (imworkbook.model.answers.Investment): no field
# may take their id, or its number would overwrite the area's ambition or note
AREA_KEYS = ("ambition", "note")
SECTORS = ("po", "vo")


class Choice(_Strict):
    """One defined value of a choice field (``tooling``): what the number means, in words."""

    value: int = Field(ge=0, le=9)
    label: Text
    description: Text


class InvestmentField(_Strict):
    id: Ident
    group: str
    unit: str
    label: Text
    help: Text
    required: bool = False  # needed before the area can be judged; the others are optional (empty: not counted)
    detail_of: Ident | None = None  # a breakdown of this (required) field
    choices: list[Choice] = Field(default_factory=list)  # unit "choice": every value defined

    @field_validator("group")
    @classmethod
    def _group(cls, v: str) -> str:
        if v not in GROUPS:
            raise Invalid("content.not_one_of", allowed=list(GROUPS), given=repr(v))
        return v

    @field_validator("unit")
    @classmethod
    def _unit(cls, v: str) -> str:
        if v not in UNITS:
            raise Invalid("content.not_one_of", allowed=list(UNITS), given=repr(v))
        return v

    @model_validator(mode="after")
    def _choices_defined(self) -> "InvestmentField":
        if self.unit == "choice" and [c.value for c in self.choices] != [0, 1, 2]:
            raise Invalid("content.choices_incomplete")
        if self.unit != "choice" and self.choices:
            raise Invalid("content.choices_without_choice_unit")
        return self

    @property
    def in_euros(self) -> bool:
        """Counted in the yearly euro total of an area (hours via the hourly rate)."""
        return self.unit in EURO_UNITS


def _per_sector(v: dict[str, float]) -> dict[str, float]:
    missing = sorted(set(SECTORS) - set(v))
    if missing:
        raise Invalid("content.sector_missing", missing=missing)
    extra = sorted(set(v) - set(SECTORS))
    if extra:
        raise Invalid("content.sector_unknown", unknown=extra, allowed=list(SECTORS))
    return v


class InvestmentSettings(_Strict):
    hourly_rate: float = Field(gt=0, le=1000)
    hours_per_fte: float = Field(gt=0, le=3000)
    default_depreciation_years: float = Field(gt=0, le=50)
    staff_fte_per_pupil: dict[str, float]
    tco_years: int = Field(default=5, ge=1, le=30)  # werkboek 5: total cost of ownership over this many years
    levy_attribution: Literal["support_hours", "even"] = "support_hours"  # how the levy is spread over areas

    @field_validator("staff_fte_per_pupil")
    @classmethod
    def _both_sectors(cls, v: dict[str, float]) -> dict[str, float]:
        _per_sector(v)
        wrong = sorted(sector for sector, x in v.items() if not 0 < x < 1)
        if wrong:
            raise Invalid("content.staff_per_pupil", sectors=wrong)
        return v


class Plausibility(_Strict):
    """Thresholds relative to the school's size: a value above one gets a "klopt dit?" (nothing is changed)."""

    max_eur_per_pupil_area: dict[str, Annotated[float, Field(gt=0)]]
    max_eur_per_pupil_total: dict[str, Annotated[float, Field(gt=0)]]
    max_staff_share_area: float = Field(gt=0, le=1)

    @field_validator("max_eur_per_pupil_area", "max_eur_per_pupil_total")
    @classmethod
    def _sectors(cls, v: dict[str, float]) -> dict[str, float]:
        return _per_sector(v)


class Reference(_Strict):
    """A rough reference in euro per pupil per year per area and sector (an assumption, not a norm)."""

    label: Text
    per_pupil: dict[str, dict[Ident, Annotated[float, Field(gt=0)]]]
    under: float = Field(gt=0, lt=1)
    over: float = Field(gt=1)

    @field_validator("per_pupil")
    @classmethod
    def _sectors(cls, v: dict) -> dict:
        return _per_sector(v)

    def total(self, sector: str) -> float:
        return float(sum(self.per_pupil[sector].values()))


class Thresholds(_Strict):
    under: float = Field(gt=0, lt=1)
    over: float = Field(gt=1)


class Combination(_Strict):
    high_ambition: int = Field(ge=1, le=5)
    large_gap: float = Field(ge=0, le=4)
    low_ambition: int = Field(ge=1, le=5)
    small_gap: float = Field(ge=0, le=4)


class PrioritySettings(_Strict):
    """Where to act first (:mod:`imworkbook.analysis.priorities`): which gap counts, the importance assumed when none is
    given, how far the investment index may move a priority, and how many areas the report names."""

    min_gap: float = Field(default=0.5, gt=0, le=4)
    neutral_importance: float = Field(default=3, ge=1, le=5)
    factor_min: float = Field(default=0.5, gt=0, le=1)
    factor_max: float = Field(default=2.0, ge=1, le=10)
    top: int = Field(default=3, ge=1, le=20)


class InvestmentModel(_Strict):
    """Settings, thresholds, ambition levels and input fields of the proportion assessment."""

    version: NonEmpty
    settings: InvestmentSettings
    thresholds: Thresholds
    combination: Combination
    priorities: PrioritySettings = Field(default_factory=PrioritySettings)
    plausibility: Plausibility
    reference: Reference
    ambition_levels: list[Level]
    fields: list[InvestmentField] = Field(min_length=1)

    @field_validator("ambition_levels")
    @classmethod
    def _all_levels(cls, levels: list[Level]) -> list[Level]:
        return _ModelFile._all_levels(levels)

    @field_validator("fields")
    @classmethod
    def _unique(cls, fields: list[InvestmentField]) -> list[InvestmentField]:
        ids = [f.id for f in fields]
        _ids_once(ids, "content.duplicate_field")
        units = {f.id: f.unit for f in fields}
        taken = sorted(set(units) & set(AREA_KEYS))
        if taken:
            raise Invalid("content.field_id_taken", ids=taken)
        missing = sorted(set(FORMULA_FIELDS) - set(units))
        if missing:
            raise Invalid("content.formula_fields_missing", fields=missing)
        wrong = [Msg("reason.field_unit", field=i, unit=units[i], needed=unit)
                 for i, unit in FORMULA_FIELDS.items() if units[i] != unit]
        if wrong:
            raise Invalid("content.formula_field_unit", fields=wrong)
        required = sorted(f.id for f in fields if f.required)
        if required != sorted(REQUIRED_FIELDS):
            raise Invalid("content.required_fields", needed=list(REQUIRED_FIELDS), given=required or "-")
        bad = [f"{f.id} (detail_of: {f.detail_of})" for f in fields if f.detail_of and f.detail_of not in units]
        if bad:
            raise Invalid("content.detail_of_unknown", fields=bad)
        return fields

    def field(self, field_id: str) -> InvestmentField:
        for f in self.fields:
            if f.id == field_id:
                return f
        raise KeyError(field_id)


def load_investment_model(folder: str | Path | None = None) -> InvestmentModel:
    """Load and validate ``<data_dir>/investment/model.yaml`` (cached per folder)."""
    return _load_content(InvestmentModel, folder, "investment", "model.yaml",
                         Msg("problem.content.title_investment"))


class AllocationItem(_Strict):
    """A common cost (a system, a service) and its default key: the share of it that belongs to each area."""

    id: Ident
    label: Text
    example: Text
    key: dict[Ident, Annotated[float, Field(gt=0, le=1)]] = Field(default_factory=dict)
    exclude: bool = False  # not information management: leave it out

    @model_validator(mode="after")
    def _adds_up(self) -> "AllocationItem":
        if self.exclude and self.key:
            raise Invalid("content.excluded_with_key")
        total = sum(self.key.values())
        if not self.exclude and abs(total - 1) > 1e-6:
            shown = f"{total:.6g}"  # every digit that matters (0.95 is not "1,0"), with the language's decimal sign
            raise Invalid("content.key_sum", total=Words(shown.replace(".", ","), shown))
        return self


class Allocation(_Strict):
    """The allocation guide (data/investment/allocation.yaml): rules and default keys per common cost."""

    version: NonEmpty
    rules: list[Text] = Field(min_length=1)
    items: list[AllocationItem] = Field(min_length=1)

    @field_validator("items")
    @classmethod
    def _unique(cls, items: list[AllocationItem]) -> list[AllocationItem]:
        _ids_once([i.id for i in items], "content.duplicate_id")
        return items


def load_allocation(folder: str | Path | None = None) -> Allocation:
    """Load and validate ``<data_dir>/investment/allocation.yaml`` (cached per folder)."""
    return _load_content(Allocation, folder, "investment", "allocation.yaml",
                         Msg("problem.content.title_allocation"))


def investment_problems(inv: InvestmentModel, allocation: Allocation, model: MaturityModel) -> list[Problem]:
    """References from the investment content to the maturity model's areas: every area id in the reference and
    the allocation keys must exist, and every area needs a reference per sector (check-content reports these)."""
    areas = [a.id for a in model.areas]
    problems = []
    for sector, values in inv.reference.per_pupil.items():
        unknown, missing = sorted(set(values) - set(areas)), [a for a in areas if a not in values]
        if unknown:
            problems.append(Problem("investment/model.yaml", ("reference", "per_pupil", sector),
                                    "content.unknown_area", {"unknown": unknown, "areas": areas}))
        if missing:
            problems.append(Problem("investment/model.yaml", ("reference", "per_pupil", sector),
                                    "content.missing_for_areas", {"missing": missing}))
    for item in allocation.items:
        unknown = sorted(set(item.key) - set(areas))
        if unknown:
            problems.append(Problem("investment/allocation.yaml", ("items", item.id, "key"),
                                    "content.unknown_area", {"unknown": unknown, "areas": areas}))
    return problems


@lru_cache(maxsize=32)
def _load_content_cached(model_cls, path: Path, title: Msg):
    problems: list[Problem] = []
    loaded = _read_checked(model_cls, path, f"{path.parent.name}/{path.name}", problems)
    if loaded is None:
        raise ContentError(problems, title)
    return loaded


def _load_content(model_cls, folder: str | Path | None, default: str, file_name: str, title: Msg):
    """One content file, validated by ``model_cls`` at load (cached per file): ``folder`` or ``data/<default>``."""
    folder = Path(folder) if folder is not None else paths.data_dir() / default
    return _load_content_cached(model_cls, (folder / file_name).resolve(), title)


# --- question-set mappings (data/maturity/mappings/*.yaml) --------------------------------------

class ItemMapping(_Strict):
    """Old item id -> new item id (``null`` = the item no longer exists) between two model versions.

    Ids not listed keep their id. Several old items may go to one new item (a merge): then the old item that
    keeps its id gives the answer, else the first in the file that has one; the others are set aside
    (answers.reading). ``new_items``: items of the new version without a predecessor."""

    model: Ident
    from_version: NonEmpty
    to_version: NonEmpty
    items: dict[str, ItemIdent | None]
    new_items: list[ItemIdent] = Field(default_factory=list)

    def target(self, old_id: str) -> str | None:
        """The id ``old_id`` has in the new version (``None``: the item no longer exists)."""
        return self.items[old_id] if old_id in self.items else old_id

    def priority(self, old_id: str) -> int:
        """Order among old items that merge into one: the one that keeps its id first, then file order."""
        if self.target(old_id) == old_id:
            return -1
        return list(self.items).index(old_id) if old_id in self.items else len(self.items)

    def shared(self, model: "MaturityModel") -> list[str]:
        """The items of ``model`` that have a predecessor in the old version (unchanged, renamed or merged)."""
        new = set(self.new_items)
        return [i for i in model.item_ids if i not in new]


def _compose(first: ItemMapping, then: ItemMapping) -> ItemMapping:
    """``first`` followed by ``then`` (ids either does not list keep their id)."""
    items: dict[str, str | None] = {}
    for old in [*first.items, *(k for k in then.items if k not in first.items)]:
        middle = first.target(old)
        items[old] = None if middle is None else then.target(middle)
    # an item new in the first step is still new after the second (under its new id), as are the second's
    new = [then.target(i) for i in first.new_items if then.target(i) is not None] + list(then.new_items)
    return ItemMapping(model=first.model, from_version=first.from_version, to_version=then.to_version,
                       items=items, new_items=list(dict.fromkeys(new)))


def load_mappings(folder: str | Path | None = None) -> dict[tuple[str, str], ItemMapping]:
    """Mappings from every older version to the current model, keyed by (model id, old version); steps are
    chained (0.9 -> 1.0 and 1.0 -> 2.0 give 0.9 -> 2.0). Validated, cached."""
    folder = Path(folder) if folder is not None else paths.data_dir() / "maturity"
    return _load_mappings_cached(folder.resolve())


@lru_cache(maxsize=8)
def _load_mappings_cached(folder: Path) -> dict[tuple[str, str], ItemMapping]:
    model = load_model(folder)
    problems: list[Problem] = []
    steps: dict[tuple[str, str], ItemMapping] = {}
    names: dict[tuple[str, str], str] = {}
    for path in sorted((folder / "mappings").glob("*.yaml")):
        name = f"maturity/mappings/{path.name}"
        mapping = _read_checked(ItemMapping, path, name, problems)
        if mapping is None:
            continue
        if (mapping.model, mapping.from_version) in steps:
            problems.append(Problem(name, "from_version", "content.mapping_exists", {"version": mapping.from_version}))
            continue
        if mapping.to_version == model.version:  # the last step must lead to items of the current model
            unknown = sorted({v for v in [*mapping.items.values(), *mapping.new_items]
                              if v is not None and v not in model.item_ids})
            if unknown:
                problems.append(Problem(name, "items", "content.mapping_unknown_items", {"items": unknown}))
                continue
        steps[(mapping.model, mapping.from_version)] = mapping
        names[(mapping.model, mapping.from_version)] = name
    out: dict[tuple[str, str], ItemMapping] = {}
    for key, mapping in steps.items():
        chain, seen = mapping, {mapping.from_version}
        while chain is not None and chain.to_version != model.version:
            step = steps.get((chain.model, chain.to_version))
            if step is None or step.from_version in seen:
                chain = None  # a step that does not lead to the current model: not used
                break
            seen.add(step.from_version)
            chain = _compose(chain, step)
        if chain is not None and mapping.model == model.id:
            # after every step, each id must be an item of the current model (or gone: null); an id a step
            # leads to that no later step maps and the model does not have is a mistake in the files
            unknown = sorted({v for v in chain.items.values() if v is not None and v not in model.item_ids})
            if unknown:
                problems.append(Problem(names[key], "items", "content.mapping_chain_unknown_items",
                                        {"items": unknown, "version": model.version}))
                continue
            out[key] = chain
    if problems:
        raise ContentError(problems, Msg("problem.content.title_mapping"))
    return out


# --- rater roles (data/raters/roles.yaml) ---------------------------------------------------------

class RaterRole(_Strict):
    id: Ident
    label: Text


class RaterRoles(_Strict):
    """Who filled in an answers file (a role, never a name), and how far apart counts as disagreeing."""

    version: NonEmpty
    disagreement: int = Field(default=2, ge=1, le=4)
    roles: list[RaterRole] = Field(min_length=1)

    @field_validator("roles")
    @classmethod
    def _unique(cls, roles: list[RaterRole]) -> list[RaterRole]:
        _ids_once([r.id for r in roles], "content.duplicate_role")
        return roles

    def label(self, role_id: str | None, lang: str = "nl") -> str:
        for role in self.roles:
            if role.id == role_id:
                return role.label(lang)
        return role_id or ""


def load_rater_roles(folder: str | Path | None = None) -> RaterRoles:
    """Load and validate ``<data_dir>/raters/roles.yaml`` (cached per folder)."""
    return _load_content(RaterRoles, folder, "raters", "roles.yaml", Msg("problem.content.title_raters"))


# --- the application landscape (data/landscape/reference.yaml) --------------------------------------

DottedIdent = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]*(\.[a-z0-9_]+)?$")]


class Labelled(_Strict):
    id: DottedIdent
    label: Text


class DataObject(Labelled):
    personal: bool


class LandscapeArea(Labelled):
    activities: list[Labelled] = Field(min_length=1)


class TimeSettings(_Strict):
    """Where a fit (1-5) stops being "low" and starts being "high"; a fit between the two is middling.

    ``low_to``: a fit of this value or less is low; ``high_from``: this value or more is high. A content folder
    from before the middle band has only ``high_from`` (then everything below it was low): it keeps meaning
    exactly that (``low_to = high_from - 1``, no middle band)."""

    low_to: int = Field(default=2, ge=1, le=4)
    high_from: int = Field(default=4, ge=2, le=5)

    @model_validator(mode="before")
    @classmethod
    def _old_high_from_only(cls, data: Any) -> Any:
        if isinstance(data, dict) and "high_from" in data and "low_to" not in data \
                and isinstance(data["high_from"], int) and not isinstance(data["high_from"], bool):
            data = {**data, "low_to": data["high_from"] - 1}
        return data

    @model_validator(mode="after")
    def _low_below_high(self) -> "TimeSettings":
        if self.low_to >= self.high_from:
            raise Invalid("content.time_order", low_to=self.low_to, high_from=self.high_from)
        return self

    def level(self, fit: float) -> str:
        """``low``, ``middle`` or ``high`` for a fit of 1-5."""
        return "low" if fit <= self.low_to else "high" if fit >= self.high_from else "middle"

    @property
    def has_middle(self) -> bool:
        return self.high_from - self.low_to > 1


OTHER_TYPE = "anders"  # the system type of an application (or proposal) whose type is not chosen or not listed


class LandscapeReference(_Strict):
    """Activity areas and activities (after FORA), system types and data objects; all editable content."""

    version: NonEmpty
    time: TimeSettings = Field(default_factory=TimeSettings)
    areas: list[LandscapeArea] = Field(min_length=1)
    system_types: list[Labelled] = Field(min_length=1)
    data_objects: list[DataObject] = Field(min_length=1)

    @field_validator("areas")
    @classmethod
    def _activities(cls, areas: list[LandscapeArea]) -> list[LandscapeArea]:
        _ids_once([a.id for ar in areas for a in ar.activities] + [ar.id for ar in areas], "content.duplicate_activity")
        for area in areas:
            wrong = [a.id for a in area.activities if not a.id.startswith(area.id + ".")]
            if wrong:
                raise Invalid("content.activity_prefix", activities=wrong, prefix=f"{area.id}.")
        return areas

    @field_validator("system_types")
    @classmethod
    def _system_types(cls, types: list[Labelled]) -> list[Labelled]:
        _ids_once([s.id for s in types], "content.duplicate_system_type")
        if OTHER_TYPE not in {s.id for s in types}:
            raise Invalid("content.other_type_missing", other=OTHER_TYPE)
        return types

    @field_validator("data_objects")
    @classmethod
    def _data_objects(cls, objects: list[DataObject]) -> list[DataObject]:
        _ids_once([d.id for d in objects], "content.duplicate_data_object")
        return objects

    @property
    def activities(self) -> dict[str, Labelled]:
        return {a.id: a for ar in self.areas for a in ar.activities}

    def area_of(self, activity_id: str) -> str:
        return activity_id.split(".", 1)[0]

    def label(self, kind: str, ident: str, lang: str = "nl") -> str:
        """The label of an activity, area, system type or data object (the id itself when unknown)."""
        pool = {"activity": self.activities, "area": {a.id: a for a in self.areas},
                "type": {s.id: s for s in self.system_types}, "object": {d.id: d for d in self.data_objects}}[kind]
        return pool[ident].label(lang) if ident in pool else ident


def load_landscape_reference(folder: str | Path | None = None) -> LandscapeReference:
    """Load and validate ``<data_dir>/landscape/reference.yaml`` (cached per folder)."""
    return _load_content(LandscapeReference, folder, "landscape", "reference.yaml",
                         Msg("problem.content.title_landscape"))


# --- roles and tasks (data/roles/tasks.yaml) -------------------------------------------------------------

class Task(Labelled):
    side: Literal["vraag", "aanbod"]


class RolesModel(_Strict):
    """IM (demand) and ICT (supply) tasks and the roles that can hold them; editable content."""

    version: NonEmpty
    mixed_strong_from_pupils: int = Field(default=400, ge=1)
    roles: list[Labelled] = Field(min_length=2)
    tasks: list[Task] = Field(min_length=1)

    @field_validator("roles")
    @classmethod
    def _unique_roles(cls, roles: list[Labelled]) -> list[Labelled]:
        _ids_once([r.id for r in roles], "content.duplicate_role")
        return roles

    @field_validator("tasks")
    @classmethod
    def _unique_tasks(cls, tasks: list[Task]) -> list[Task]:
        _ids_once([t.id for t in tasks], "content.duplicate_task")
        return tasks


def load_roles_model(folder: str | Path | None = None) -> RolesModel:
    """Load and validate ``<data_dir>/roles/tasks.yaml`` (cached per folder)."""
    return _load_content(RolesModel, folder, "roles", "tasks.yaml", Msg("problem.content.title_roles"))
