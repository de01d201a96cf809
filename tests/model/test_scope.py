"""Issue 15: for what a school answers (school.scope: one school, one location, the whole board), vo locations that
share a BRIN, and scope as a peer-group dimension of the network comparison (under the disclosure rule)."""

import json

import pytest

from imworkbook.analysis.disclosure import OK
from imworkbook.analysis.network import at, comparison_tables, network_frames, released_levels, select
from imworkbook.base import paths
from imworkbook.io.collect import STATUS_DUPLICATE, collect
from imworkbook.io.fastlane import FastLane, as_document
from imworkbook.io.reading import load_answers
from imworkbook.io.session import Session
from imworkbook.io.writing import dumps_answers
from imworkbook.model.answers import SCHEMA_VERSION, ItemAnswer, new_answers, school_identity
from imworkbook.model.content import load_investment_model

EXAMPLE = paths.data_dir() / "examples" / "het-baken_2026-2027.json"


def test_a_schema_two_file_gets_an_empty_scope_never_a_guess(tmp_path, model):
    data = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    data["schema_version"] = 2
    for key in ("scope", "location"):
        data["school"].pop(key)
    path = tmp_path / "oud.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    result = load_answers(path, model)
    assert result.answers.school.scope is None and result.answers.school.location is None
    assert json.loads(dumps_answers(result.answers))["schema_version"] == SCHEMA_VERSION == 4


def test_scope_and_location_are_saved_and_read_back(tmp_path, model):
    session = Session.create("Lyceum Aaldorp", "vo", "2026-2027", code="99ZZ", folder=tmp_path, model=model,
                             scope="vestiging")
    session.update_school(location="02")
    again = load_answers(session.path, model).answers.school
    assert (again.scope, again.location) == ("vestiging", "02")


@pytest.mark.parametrize("field, value, words", [("scope", "afdeling", "antwoord voor"),
                                                 ("location", "0 1", "vestigingsnummer")])
def test_a_wrong_scope_or_location_is_refused_with_a_dutch_message(tmp_path, model, field, value, words):
    session = Session.create("De Linde", "po", "2026-2027", folder=tmp_path, model=model)
    with pytest.raises(ValueError, match=words):
        session.update_school(**{field: value})


def test_a_wrong_scope_in_a_file_is_set_aside_and_the_file_still_loads(tmp_path, model):
    data = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    data["school"]["scope"] = "heel de stad"
    path = tmp_path / "scope.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    result = load_answers(path, model)
    assert result.answers.school.scope is None
    assert result.answers.set_aside["fields"]["school.scope"] == "heel de stad"


def test_identity_is_brin_plus_location():
    assert school_identity("99xb", "Het Baken", "01") == "99XB-01" != school_identity("99XB", "Het Baken", "02")
    assert school_identity("99XB", "Het Baken") == "99XB" == school_identity(" 99xb ", "Ander", " ")
    assert school_identity(None, "Het Baken", "01") == school_identity(None, "Het Baken")  # no BRIN: the name


def _school(name, code, location, round_="2026-2027", scope="vestiging", sector="vo", pupils=900, level=3):
    answers = new_answers(name, sector, round_, code=code, pupils=pupils, scope=scope, location=location)
    answers.answers["visie.ambitieniveau"] = ItemAnswer(current=level, target=4)
    return answers


def test_two_locations_of_one_brin_are_not_duplicates_but_one_location_twice_is(tmp_path):
    for name, location in (("Lyceum Noord", "01"), ("Lyceum Zuid", "02")):
        (tmp_path / f"{name}.json").write_text(dumps_answers(_school(name, "99XB", location)), encoding="utf-8")
    c = collect(tmp_path)
    assert len(c.documents) == 2 and c.counts[STATUS_DUPLICATE] == 0
    (tmp_path / "nogmaals.json").write_text(dumps_answers(_school("Lyceum Noord (kopie)", "99XB", "01")),
                                            encoding="utf-8")
    assert collect(tmp_path).counts[STATUS_DUPLICATE] == 1


def test_a_canonical_file_with_scope_takes_the_fast_lane_and_says_the_same(model):
    lane = FastLane(model, load_investment_model())
    answers = _school("Lyceum Noord", "99XB", "01")
    doc = lane.read(dumps_answers(answers).encode())
    assert doc is not None and doc == as_document(answers)
    assert doc["school"]["scope"] == "vestiging" and doc["school"]["location"] == "01"


def _network(model, counts):
    docs = []
    n = 0
    for scope, k in counts.items():
        for _ in range(k):
            n += 1
            docs.append(as_document(_school(f"School {n}", f"{n:02d}XX", None, scope=scope, sector="po", pupils=150,
                                            level=1 + n % 5)))
    return network_frames(docs, model, secret=b"0" * 64)


def test_scope_is_a_peer_group(model):
    data = _network(model, {"school": 7, "bestuur": 6})
    assert set(data.schools["scope"]) == {"school", "bestuur"}
    assert select(data, scope="bestuur")["key"].nunique() == 6
    rows = at(released_levels(data, "2026-2027"), "2026-2027", scope="bestuur")
    assert (rows["status"] == OK).all() and (rows["n"] == 6).all()
    tables = comparison_tables(data, model, round="2026-2027", scope="school")
    assert (tables["Overzicht"]["aantal scholen"] == 7).all()


def test_a_small_scope_group_is_withheld_and_cannot_be_had_by_subtraction(model):
    """7 schools answer for a school, 3 for their board: the 3 are too few, and the total (10) minus the schools
    (7) would give them — so the two are never both released."""
    data = _network(model, {"school": 7, "bestuur": 3})
    released = released_levels(data, "2026-2027")
    small = at(released, "2026-2027", scope="bestuur")
    assert (small["status"] != OK).all()
    total, schools = at(released, "2026-2027"), at(released, "2026-2027", scope="school")
    for area in total["area_id"]:
        both = (total.loc[total["area_id"] == area, "status"].iloc[0] == OK,
                schools.loc[schools["area_id"] == area, "status"].iloc[0] == OK)
        assert both != (True, True), area


def test_older_files_without_scope_form_their_own_group(tmp_path, model):
    docs = [as_document(_school(f"School {n}", f"{n:02d}XX", None, scope=None, sector="po")) for n in range(3)]
    data = network_frames(docs, model, secret=b"0" * 64)
    assert set(data.schools["scope"]) == {"onbekend"}
