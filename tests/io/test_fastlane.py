"""The fast lane and the full parser agree: same documents for canonical files, and anything odd goes
through the full parser (so its messages are kept)."""

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from imworkbook.io.collect import collect
from imworkbook.io.fastlane import FastLane, as_document
from imworkbook.io.generate import generate_network
from imworkbook.io.reading import parse_answers
from imworkbook.model.content import load_investment_model

from ..conftest import PO_EXAMPLE, VO_EXAMPLE


@pytest.fixture(scope="module")
def lane(model):
    return FastLane(model, load_investment_model())


def test_fast_and_full_lane_give_the_same_document(tmp_path, model, lane):
    for path in [PO_EXAMPLE, VO_EXAMPLE, *generate_network(tmp_path, schools=8, rounds=2, seed=4)]:
        text = path.read_text(encoding="utf-8")
        raw = lane.read(path.read_bytes())
        assert raw is not None and lane.canonical(json.loads(text)), path.name
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
    lambda d: d["answers"]["visie.ambitieniveau"].__setitem__("current", True),     # true is not level 1
    lambda d: d["answers"]["visie.ambitieniveau"].__setitem__("target", 4.0),       # nor is 4.0 level 4
    lambda d: d["investment"]["areas"]["visie"].__setitem__("tooling", True),       # a choice, not a bool
    lambda d: d.__setitem__("round", "2026-2027\n"),                               # a newline is not a round
    lambda d: d.__setitem__("rater", "ict\n"),                                     # nor a role
    lambda d: d.__setitem__("rater", "Jan Jansen"),                                 # a name is not a role
])
def test_anything_unusual_takes_the_full_lane(lane, change):
    doc = json.loads(PO_EXAMPLE.read_text(encoding="utf-8"))
    change(doc)
    assert not lane.canonical(doc)
    assert lane.read(json.dumps(doc).encode()) is None


def _with_notes(note: str) -> bytes:
    doc = json.loads(PO_EXAMPLE.read_text(encoding="utf-8"))
    doc["answers"]["visie.ambitieniveau"]["note"] = note
    doc["investment"]["areas"]["visie"]["note"] = note + note
    doc["school"]["name"] += note.replace("\n", " ").strip() or "x"
    return json.dumps(doc, ensure_ascii=False, indent=1).encode()


@pytest.mark.parametrize("note", ["tijd: 12:30", '"sleutel": 3', "a\\\":b", "::::", "geen dubbele punt"])
def test_colons_inside_strings_stay_in_the_fast_lane(lane, note):
    data = _with_notes(note)
    assert lane.read(data) == json.loads(data)


@pytest.mark.parametrize("where, dup", [
    ('"answers": {', '"answers": {"visie.ambitieniveau": {},'),                 # an item twice
    ('"school": {', '"school": {"name": "Andere school",'),                      # a field of the school
    ('"kind":', '"round": "1999-2000", "kind":'),                                # a top-level key
    ('"current":', '"current": 1, "current":'),                                  # a key inside an item
    ('"hours_im":', '"hours_im": 999, "hours_im":'),                             # a key inside an area
])
def test_duplicate_keys_are_not_fast(tmp_path, lane, where, dup):
    text = PO_EXAMPLE.read_text(encoding="utf-8")
    assert where in text
    text = text.replace(where, dup, 1)
    assert lane.read(text.encode()) is None
    (tmp_path / "dubbel.json").write_text(text, encoding="utf-8")
    collected = collect(tmp_path)
    report = collected.report
    assert report["status"].iloc[0] == "loaded_with_notes" and "twee keer" in report["melding"].iloc[0]
    assert "answers.duplicate_key" in {getattr(p, "code", None) for p in collected.messages[0]}


def test_a_duplicate_hidden_by_an_escaped_colon_is_not_fast(lane):
    data = _with_notes("a:b").replace(b"a:b", b"a\\u003ab", 1)  # one ':' fewer in the bytes ...
    data = data.replace(b'"current":', b'"current": 1, "current":', 1)  # ... and one more for a dropped key
    assert json.loads(data)["answers"]["visie.ambitieniveau"]["note"] == "a:b"
    assert lane.read(data) is None


def test_a_rater_file_takes_the_fast_lane_and_keeps_its_role(lane, model):
    doc = json.loads(PO_EXAMPLE.read_text(encoding="utf-8"))
    doc["rater"] = "ict_coordinator"
    data = json.dumps(doc, indent=1).encode()
    fast = lane.read(data)
    assert fast is not None and fast["rater"] == "ict_coordinator"
    assert fast == as_document(parse_answers(data.decode(), "x.json", model).answers)


@pytest.mark.parametrize("change", [
    lambda d: d["school"].__setitem__("code", "X" * 30),                            # longer than the schema allows
    lambda d: d["school"].__setitem__("name", "  De Regenboog "),                   # the schema strips names
    lambda d: d.__setitem__("round", " 2026-2027"),                                  # and rounds
    lambda d: d["investment"].__setitem__("hourly_rate", 5000.0),                   # above the schema's limit
])
def test_the_fast_lane_takes_its_limits_from_the_schema(lane, change):
    """The two validators of issue 13: the fast lane used to accept a 30-character code and unstripped names."""
    doc = json.loads(PO_EXAMPLE.read_text(encoding="utf-8"))
    change(doc)
    assert lane.read(json.dumps(doc, ensure_ascii=False, indent=1).encode()) is None


_HEADER_VALUES = st.fixed_dictionaries({
    "name": st.text(min_size=0, max_size=130),
    "code": st.none() | st.text(max_size=25),
    "pupils": st.none() | st.integers(-5, 60_000),
    "round": st.sampled_from(["2026-2027", "2026", " 2026-2027", "26-27", "2026-2027 "]),
    "rater": st.none() | st.sampled_from(["ict_coordinator", "ICT", "a" * 41, "x1"]),
    "hourly_rate": st.none() | st.floats(-10, 2000, allow_nan=False),
})


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(values=_HEADER_VALUES)
def test_both_lanes_agree_on_generated_headers(model, lane, values):
    """For any header, the fast lane either steps aside (None) or gives exactly what the full parser gives for a
    file it reads without a single remark."""
    doc = json.loads(PO_EXAMPLE.read_text(encoding="utf-8"))
    doc["school"].update(name=values["name"], code=values["code"], pupils=values["pupils"])
    doc["round"] = values["round"]
    if values["rater"] is not None:
        doc["rater"] = values["rater"]
    doc["investment"]["hourly_rate"] = values["hourly_rate"]
    text = json.dumps(doc, ensure_ascii=False, indent=1)
    fast = lane.read(text.encode())
    if fast is None:
        return
    full = parse_answers(text, "school.json", model)
    assert not full.has_problems and fast == as_document(full.answers)


@pytest.mark.parametrize("change", [
    lambda d: d["answers"].__setitem__("visie.ambitieniveau", {"current": 3}),        # not all three fields
    lambda d: d["answers"].__setitem__("visie.ambitieniveau", {}),                    # an empty item
    lambda d: d["answers"].__setitem__("visie.ambitieniveau", {"current": None, "target": None, "note": ""}),
    lambda d: d.__setitem__("landscape", []),                                          # empty optional sections
    lambda d: d.__setitem__("proposals", []),
    lambda d: d.__setitem__("roles", {"assignments": {}, "hours": {}}),
])
def test_forms_the_writer_never_makes_go_to_the_full_parser(lane, model, change):
    """Found in review: the full parser gives these back changed (without a remark), so they are not canonical."""
    doc = json.loads(PO_EXAMPLE.read_text(encoding="utf-8"))
    change(doc)
    text = json.dumps(doc, ensure_ascii=False, indent=1)
    assert lane.read(text.encode()) is None
    assert parse_answers(text, "school.json", model).answers.school.name  # the full parser takes it
