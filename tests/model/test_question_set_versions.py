"""Issue 15: question set 2.0 reads answers of version 1.0 through the mapping (data/maturity/mappings), so a
school's trend across rounds stays comparable, and the comparison says how many items the two versions share."""

import json
import shutil
from pathlib import Path

import pytest

from imworkbook.analysis.network import network_frames, shared_items, trend
from imworkbook.base import paths
from imworkbook.base.errors import ContentError
from imworkbook.io.collect import collect
from imworkbook.io.reading import load_answers
from imworkbook.io.writing import dumps_answers
from imworkbook.model.content import load_mappings, load_model

OLD = Path(__file__).parents[1] / "data" / "de-regenboog_2025-2026_versie-1.0.json"  # as saved with version 1.0
NEW = paths.data_dir() / "examples" / "de-regenboog_2026-2027.json"


@pytest.fixture
def old():
    return json.loads(OLD.read_text(encoding="utf-8"))


def test_the_fixture_is_a_version_one_file(old, model):
    assert old["model"]["version"] == "1.0" != model.version and old["schema_version"] == 2
    assert "visie.schoolplan" in old["answers"] and "visie.schoolplan" not in model.item_ids


def test_a_version_one_file_loads_with_every_answer_kept(old, model):
    result = load_answers(OLD, model)
    a, mapping = result.answers, load_mappings()[(model.id, "1.0")]
    assert a.model.version == model.version and set(a.answers) <= set(model.item_ids)
    for old_id, value in old["answers"].items():
        new_id = mapping.target(old_id)
        kept = a.answers.get(new_id)
        set_aside = a.set_aside.get("items", {}).get(old_id)
        # every old answer is either the answer of its new item or kept under set_aside: nothing is lost
        assert (kept is not None and kept.model_dump() == value) or set_aside == value, old_id
    assert not result.has_problems  # notes only: a mapped file is not a broken file


def test_merged_items_take_the_answer_of_the_item_that_keeps_its_id(old, model):
    """visie.schoolplan merged into visie.visie_schooldoelen: the latter answers, the former is set aside."""
    result = load_answers(OLD, model)
    a = result.answers
    assert a.answer("visie.visie_schooldoelen").current == old["answers"]["visie.visie_schooldoelen"]["current"]
    assert a.set_aside["items"]["visie.schoolplan"] == old["answers"]["visie.schoolplan"]
    assert any("visie.schoolplan" in p.where and "samengevoegd" in p.message for p in result.problems)


def test_a_merge_without_the_kept_item_takes_the_first_answered_in_mapping_order(tmp_path, old, model):
    """Three items about involving users became dialoog.gebruikers_betrekken, which also existed in 1.0. Without
    it, the first in the mapping file that has an answer gives the answer."""
    old["answers"].pop("dialoog.gebruikers_betrekken")
    old["answers"]["informatiebehoefte.gebruikers_betrokken"] = {"current": None, "target": None, "note": "leeg"}
    old["answers"]["dialoog.behoefte_afstemmen"] = {"current": 2, "target": 3, "note": ""}
    path = tmp_path / "oud.json"
    path.write_text(json.dumps(old), encoding="utf-8")
    a = load_answers(path, model).answers
    assert a.answer("dialoog.gebruikers_betrekken").current == 2
    assert a.set_aside["items"]["informatiebehoefte.gebruikers_betrokken"]["note"] == "leeg"


def test_renamed_items_carry_their_answer(old, model):
    a = load_answers(OLD, model).answers
    for before, after in (("gegevens.standaarden", "gegevens.ketenvoorzieningen"),
                          ("sturing.tijdig_betrouwbaar", "sturing.tijdig_beschikbaar"),
                          ("rollen.capaciteit_deskundigheid", "rollen.deskundigheid")):
        assert a.answer(after).model_dump() == old["answers"][before]


def test_the_mapping_states_what_the_versions_share(model):
    mapping = load_mappings()[(model.id, "1.0")]
    shared, new = mapping.shared(model), mapping.new_items
    assert len(shared) + len(new) == model.n_items and not set(shared) & set(new)
    assert {"privacy.dpia", "visie.ai_afspraken", "gegevens.bewaren_archiveren"} <= set(new)
    result = load_answers(OLD, model)
    assert any(f"delen {len(shared)} van de {model.n_items} items" in p.message for p in result.problems)


def test_a_saved_version_one_file_becomes_a_version_two_file_that_loads_clean(tmp_path, model):
    a = load_answers(OLD, model).answers
    path = tmp_path / "opnieuw.json"
    path.write_text(dumps_answers(a), encoding="utf-8")
    again = load_answers(path, model)
    assert again.answers.model.version == model.version and again.answers.answers == a.answers
    assert not [p for p in again.problems if "versie" in p.message]


def test_trend_across_a_version_one_and_a_version_two_round(tmp_path, model):
    shutil.copy(OLD, tmp_path / OLD.name)
    shutil.copy(NEW, tmp_path / NEW.name)
    data = network_frames(collect(tmp_path).documents, model)
    assert data.schools["key"].nunique() == 1 and data.schools["round"].nunique() == 2  # one school, two rounds
    old_items = set(data.items.loc[data.items["round"] == "2025-2026", "item_id"])
    assert not old_items & set(load_mappings()[(model.id, "1.0")].new_items)  # new items: no answer in 1.0
    assert shared_items(data, "2025-2026", "2026-2027") == len(old_items & set(
        data.items.loc[data.items["round"] == "2026-2027", "item_id"]))
    assert set(trend(data).index.get_level_values("round")) <= {"2025-2026", "2026-2027"}


def test_compare_says_how_many_items_two_rounds_share(tmp_path, model, capsys):
    from imworkbook.cli import main
    shutil.copy(OLD, tmp_path / OLD.name)
    shutil.copy(NEW, tmp_path / NEW.name)
    main(["compare", str(tmp_path)])
    out = capsys.readouterr().out
    assert "Rondes 2025-2026 en 2026-2027 delen" in out and f"van de {model.n_items} in versie {model.version}" in out


def test_mapping_steps_are_chained_from_older_versions(model):
    """0.9 -> 1.0 -> 2.0: an item renamed in the first step and merged in the second ends in the 2.0 item."""
    chained = load_mappings()[(model.id, "0.9")]
    assert chained.target("visie.visie") == "visie.visie_schooldoelen"
    assert chained.target("sturing.dashboards") is None
    assert chained.target("dialoog.behoefte_afstemmen") == "dialoog.gebruikers_betrekken"


def test_a_chain_that_leads_to_an_unknown_item_is_a_content_error(tmp_path):
    folder = tmp_path / "maturity"
    shutil.copytree(paths.data_dir() / "maturity", folder)
    (folder / "mappings" / "kapot.yaml").write_text(
        "model: im_volwassenheid\nfrom_version: '0.8'\nto_version: '0.9'\nitems:\n  a.b: visie.weg\n", encoding="utf-8")
    with pytest.raises(ContentError, match="kapot.yaml › items: verwijst naar items die niet in het model staan"):
        load_mappings(folder)


def test_new_items_must_exist(tmp_path):
    folder = tmp_path / "maturity"
    shutil.copytree(paths.data_dir() / "maturity", folder)
    path = folder / "mappings" / "1.0-naar-2.0.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "  - privacy.bestaat_niet\n", encoding="utf-8")
    with pytest.raises(ContentError, match="privacy.bestaat_niet"):
        load_mappings(folder)
