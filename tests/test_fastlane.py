"""The fast lane and the full parser agree: same documents for canonical files, and anything odd goes
through the full parser (so its messages are kept)."""

import json

import pytest

from imworkbook.answers import parse_answers
from imworkbook.collect import collect
from imworkbook.content import load_investment_model
from imworkbook.fastlane import FastLane, as_document, loads
from imworkbook.generate import generate_network

from .conftest import PO_EXAMPLE, VO_EXAMPLE


@pytest.fixture(scope="module")
def lane(model):
    return FastLane(model, load_investment_model())


def test_fast_and_full_lane_give_the_same_document(tmp_path, model, lane):
    for path in [PO_EXAMPLE, VO_EXAMPLE, *generate_network(tmp_path, schools=8, rounds=2, seed=4)]:
        text = path.read_text(encoding="utf-8")
        raw = loads(text)
        assert lane.canonical(raw), path.name
        assert raw == as_document(parse_answers(text, path.name, model).answers)


@pytest.mark.parametrize("change", [
    lambda d: d["answers"]["visie.ambitieniveau"].__setitem__("current", "3"),       # lenient, not canonical
    lambda d: d["answers"].__setitem__("x.onbekend", {"current": 1}),               # unknown item
    lambda d: d["investment"]["areas"]["visie"].__setitem__("hours_im", -1),        # negative
    lambda d: d["investment"]["areas"]["visie"].__setitem__("tooling", 7),          # out of range
    lambda d: d["school"].__setitem__("pupils", True),                              # bool is not a number
    lambda d: d.__setitem__("schema_version", 1),                                   # old schema: migrate
    lambda d: d.__setitem__("extra", 1),                                            # unknown field
    lambda d: d["set_aside"].__setitem__("fields", {"a": 1}),                       # has set-aside data
])
def test_anything_unusual_takes_the_full_lane(lane, change):
    doc = json.loads(PO_EXAMPLE.read_text(encoding="utf-8"))
    change(doc)
    assert not lane.canonical(doc)


def test_duplicate_keys_are_not_fast(tmp_path):
    text = PO_EXAMPLE.read_text(encoding="utf-8").replace('"answers": {', '"answers": {"visie.ambitieniveau": {},', 1)
    with pytest.raises(ValueError):
        loads(text)
    (tmp_path / "dubbel.json").write_text(text, encoding="utf-8")
    report = collect(tmp_path).report
    assert report["status"].iloc[0] == "geladen met opmerkingen" and "twee keer" in report["melding"].iloc[0]
