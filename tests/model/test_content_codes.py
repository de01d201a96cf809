"""Every refusal of the content schema (imworkbook.model.content, .glossary) is a code with a text in Dutch and in
English, placed at the field it is about; no validator speaks one language only (issue 13.5)."""

import ast
import copy
import re
from pathlib import Path

import pytest
from pydantic import BaseModel, ValidationError, field_validator, model_validator

from imworkbook.base import paths
from imworkbook.base.errors import Invalid, Problem, from_pydantic
from imworkbook.base.yamlfile import read_yaml
from imworkbook.model import content, glossary
from imworkbook.model.content import (Allocation, InvestmentModel, LandscapeReference, RaterRoles, RolesModel,
                                      _ModelFile, Area)
from imworkbook.model.glossary import Glossary

from ..cli.test_language import dutch_words

DATA = paths.data_dir()
FIRST_AREA = sorted((DATA / "maturity" / "areas").glob("*.yaml"))[0]


def _raw(path: Path):
    return copy.deepcopy(read_yaml(path, path.name))


def _field(d, field_id):
    return next(f for f in d["fields"] if f["id"] == field_id)


def _set(d, key, value):
    d[key] = value


BREAKS = [  # (schema, file, change, code, place)
    (Area, FIRST_AREA, lambda d: _set(d["items"][0]["levels"], 7, d["items"][0]["levels"][1]),
     "content.level_unknown", "items[0]"),
    (Area, FIRST_AREA, lambda d: d["items"][0]["levels"].pop(3), "content.level_missing", "levels"),
    (_ModelFile, DATA / "maturity/model.yaml", lambda d: d["levels"].pop(0), "content.levels_one_to_five", "levels"),
    (InvestmentModel, DATA / "investment/model.yaml", lambda d: _set(d["fields"][0], "group", "geld"),
     "content.not_one_of", "group"),
    (InvestmentModel, DATA / "investment/model.yaml", lambda d: _set(_field(d, "tooling"), "choices", []),
     "content.choices_incomplete", "fields"),
    (InvestmentModel, DATA / "investment/model.yaml",
     lambda d: _set(_field(d, "hours_im"), "choices", _field(d, "tooling")["choices"]),
     "content.choices_without_choice_unit", "fields"),
    (InvestmentModel, DATA / "investment/model.yaml", lambda d: d["settings"]["staff_fte_per_pupil"].pop("vo"),
     "content.sector_missing", "staff_fte_per_pupil"),
    (InvestmentModel, DATA / "investment/model.yaml", lambda d: _set(d["reference"]["per_pupil"], "mbo", {"x": 1}),
     "content.sector_unknown", "per_pupil"),
    (InvestmentModel, DATA / "investment/model.yaml", lambda d: _set(d["settings"]["staff_fte_per_pupil"], "po", 2),
     "content.staff_per_pupil", "staff_fte_per_pupil"),
    (InvestmentModel, DATA / "investment/model.yaml", lambda d: d["fields"].append(dict(d["fields"][-1])),
     "content.duplicate_field", "fields"),
    (InvestmentModel, DATA / "investment/model.yaml", lambda d: d["fields"].append(dict(d["fields"][-1], id="note")),
     "content.field_id_taken", "fields"),
    (InvestmentModel, DATA / "investment/model.yaml",
     lambda d: _set(d, "fields", [f for f in d["fields"] if f["id"] != "tooling"]),
     "content.formula_fields_missing", "fields"),
    (InvestmentModel, DATA / "investment/model.yaml",
     lambda d: _set(_field(d, "hours_ict"), "unit", "euro"), "content.formula_field_unit", "fields"),
    (InvestmentModel, DATA / "investment/model.yaml", lambda d: _set(_field(d, "hours_other"), "required", True),
     "content.required_fields", "fields"),
    (InvestmentModel, DATA / "investment/model.yaml", lambda d: _set(d["fields"][-1], "detail_of", "nergens"),
     "content.detail_of_unknown", "fields"),
    (Allocation, DATA / "investment/allocation.yaml",
     lambda d: _set(next(i for i in d["items"] if i.get("exclude")), "key", {"visie": 1.0}),
     "content.excluded_with_key", "items"),
    (Allocation, DATA / "investment/allocation.yaml",
     lambda d: _set(d["items"][0], "key", {k: v * 0.95 for k, v in d["items"][0]["key"].items()}),
     "content.key_sum", "items[0]"),
    (Allocation, DATA / "investment/allocation.yaml", lambda d: d["items"].append(dict(d["items"][1])),
     "content.duplicate_id", "items"),
    (RaterRoles, DATA / "raters/roles.yaml", lambda d: d["roles"].append(dict(d["roles"][0])),
     "content.duplicate_role", "roles"),
    (LandscapeReference, DATA / "landscape/reference.yaml", lambda d: _set(d, "time", {"low_to": 3, "high_from": 2}),
     "content.time_order", "time"),
    (LandscapeReference, DATA / "landscape/reference.yaml",
     lambda d: d["areas"][1]["activities"].append(dict(d["areas"][0]["activities"][0])),
     "content.duplicate_activity", "areas"),
    (LandscapeReference, DATA / "landscape/reference.yaml",
     lambda d: d["areas"][0]["activities"].append({"id": "elders.x", "label": {"nl": "x", "en": "x"}}),
     "content.activity_prefix", "areas"),
    (LandscapeReference, DATA / "landscape/reference.yaml", lambda d: d["system_types"].append(d["system_types"][0]),
     "content.duplicate_system_type", "system_types"),
    (LandscapeReference, DATA / "landscape/reference.yaml",
     lambda d: _set(d, "system_types", [s for s in d["system_types"] if s["id"] != content.OTHER_TYPE]),
     "content.other_type_missing", "system_types"),
    (LandscapeReference, DATA / "landscape/reference.yaml", lambda d: d["data_objects"].append(d["data_objects"][0]),
     "content.duplicate_data_object", "data_objects"),
    (RolesModel, DATA / "roles/tasks.yaml", lambda d: d["roles"].append(d["roles"][0]), "content.duplicate_role",
     "roles"),
    (RolesModel, DATA / "roles/tasks.yaml", lambda d: d["tasks"].append(d["tasks"][0]), "content.duplicate_task",
     "tasks"),
    (Glossary, DATA / "glossary.yaml", lambda d: d["terms"].append(d["terms"][0]), "content.duplicate_term", "terms"),
    (Glossary, DATA / "glossary.yaml",
     lambda d: d["terms"][0]["nl"].setdefault("forbidden", []).append(d["terms"][1]["nl"]["preferred"]),
     "content.forbidden_is_preferred", "terms"),
]


@pytest.mark.parametrize("schema, path, change, code, where", BREAKS, ids=[f"{b[3]}-{b[0].__name__}" for b in BREAKS])
def test_each_refusal_has_its_code_its_place_and_a_text_in_both_languages(schema, path, change, code, where):
    raw = _raw(path)
    schema.model_validate(raw)  # the shipped file is fine
    change(raw)
    with pytest.raises(ValidationError) as caught:
        schema.model_validate(raw)
    problems = [p for p in from_pydantic(caught.value, path.name, raw) if p.code == code]
    assert problems, from_pydantic(caught.value, path.name, raw)
    problem = problems[0]
    assert where in problem.where_in("en")
    english, dutch = problem.message_in("en"), problem.message_in("nl")
    assert "problem." not in english + dutch and english != dutch
    assert dutch_words(english) == set(), english


def test_every_code_of_the_content_schema_is_tried_above():
    """A new refusal in the schema gets a case in BREAKS (and so a text in both languages)."""
    written = set()
    for module in (content, glossary):
        source = Path(module.__file__).read_text(encoding="utf-8")
        tree = ast.parse(source)
        written |= {node.value for node in ast.walk(tree)
                    if isinstance(node, ast.Constant) and isinstance(node.value, str)
                    and re.fullmatch(r"content\.[a-z_]+", node.value)}
        assert "raise ValueError" not in source, module.__name__  # a refusal without a code speaks one language
    schema_codes = {c for c in written if not c.startswith("content.title_")}
    assert schema_codes <= {b[3] for b in BREAKS} | _LOAD_CODES, schema_codes - {b[3] for b in BREAKS}


# codes of the loaders (Problem, not a validator), tested in test_content.py and test_consistency.py
_LOAD_CODES = {"content.area_file_missing", "content.area_id_not_file_name", "content.item_id_prefix",
               "content.duplicate_item_id", "content.duplicate_rule_id", "content.rule_item_other_area",
               "content.no_such_item", "content.rule_requires_unknown", "content.rule_requires_itself",
               "content.duplicate_area", "content.orphan_area_file", "content.unknown_area",
               "content.missing_for_areas", "content.mapping_exists", "content.mapping_unknown_items",
               "content.mapping_chain_unknown_items"}


class _Inner(BaseModel):
    x: int

    @model_validator(mode="after")
    def _refuse(self):
        raise Invalid("content.time_order", low_to=self.x, high_from=self.x)


class _Outer(BaseModel):
    inner: list[_Inner]
    y: int

    @field_validator("y", mode="before")
    @classmethod
    def _before(cls, v):
        raise Invalid("content.key_sum", total=v)


def test_an_invalid_in_a_validator_keeps_its_code_and_values_through_pydantic():
    raw = {"inner": [{"x": 4}], "y": 0.5}
    with pytest.raises(ValidationError) as caught:
        _Outer.model_validate(raw)
    problems = from_pydantic(caught.value, "f.yaml", raw)
    assert [(p.code, p.where, dict(p.values)) for p in problems] == [
        ("content.time_order", "inner[0]", {"low_to": 4, "high_from": 4}),
        ("content.key_sum", "y", {"total": 0.5})]
    assert problems[1].message_in("en") == Invalid("content.key_sum", total=0.5).text("en")
    assert problems[0].text("en") == Problem("f.yaml", "inner[0]", "content.time_order",
                                             {"low_to": 4, "high_from": 4}).text("en")
