"""The maturity model content: the shipped files are complete, broken files give clear messages."""

import re
import shutil

import pytest
import yaml

from imworkbook.base.errors import ContentError
from imworkbook.model.content import LEVELS, load_investment_model, load_model

THEMES = {  # the seed's themes each need an area (issue 2, point 3)
    "visie": "visie", "rollen": "rollen", "informatiebehoefte": "informatiebehoefte",
    "applicatielandschap": "applicatielandschap", "gegevens": "eenmalige registratie",
    "privacy": "privacy", "dialoog": "dialoog", "sturing": "sturen",
}


def test_shipped_model_has_eight_areas_with_five_or_more_items(model):
    assert len(model.areas) >= 8
    assert all(len(area.items) >= 5 for area in model.areas)
    assert model.warnings == ()


def test_shipped_model_covers_the_seed_themes(model):
    for area_id, word in THEMES.items():
        assert word in model.area(area_id).name("nl").lower()


def test_every_text_exists_in_dutch_and_english_and_differs(model):
    for area in model.areas:
        for item in area.items:
            texts = [item.question, item.help, *item.levels.values()]
            assert sorted(item.levels) == list(LEVELS)
            for text in texts:
                assert text.nl.strip() and text.en.strip()
                assert text.nl != text.en, f"{item.id}: not translated: {text.nl}"


def test_level_descriptors_within_an_item_are_distinct(model):
    for area in model.areas:
        for item in area.items:
            assert len({item.descriptor(lv) for lv in LEVELS}) == 5, item.id


def test_radar_labels_are_short(model):
    for area in model.areas:
        assert len(area.short("nl")) <= 20 and len(area.short("en")) <= 20


def _edit(path, fn):
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    fn(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


def _fails(folder) -> str:
    with pytest.raises(ContentError) as info:
        load_model(folder)
    return str(info.value)


def test_invalid_yaml_names_file_and_line(content_copy):
    path = content_copy / "areas" / "visie.yaml"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[3] = "  nl: [niet afgesloten"
    path.write_text("\n".join(lines), encoding="utf-8")
    msg = _fails(content_copy)
    assert "maturity/areas/visie.yaml" in msg
    assert re.search(r"regel \d+, kolom \d+", msg)
    assert "ongeldige YAML" in msg


def test_missing_translation_names_item_and_key(content_copy):
    path = content_copy / "areas" / "rollen.yaml"
    _edit(path, lambda d: d["items"][2]["question"].pop("en"))
    msg = _fails(content_copy)
    item_id = yaml.safe_load(path.read_text())["items"][2]["id"]
    assert f"items[2] (id: {item_id}) › question › en: ontbreekt" in msg
    assert "maturity/areas/rollen.yaml" in msg


def test_level_outside_one_to_five_is_named(content_copy):
    def add_six(d):
        d["items"][0]["levels"][6] = {"nl": "te hoog", "en": "too high"}
    _edit(content_copy / "areas" / "privacy.yaml", add_six)
    msg = _fails(content_copy)
    assert "levels" in msg and "niveau 6 bestaat niet" in msg


def test_missing_level_is_named(content_copy):
    _edit(content_copy / "areas" / "privacy.yaml", lambda d: d["items"][1]["levels"].pop(3))
    assert "niveau 3 ontbreekt" in _fails(content_copy)


def test_duplicate_item_id_across_files(content_copy):
    first = yaml.safe_load((content_copy / "areas" / "visie.yaml").read_text())["items"][0]["id"]

    def steal(d):
        d["items"][0]["id"] = first
    _edit(content_copy / "areas" / "sturing.yaml", steal)
    msg = _fails(content_copy)
    assert "dubbel item-id" in msg and "maturity/areas/visie.yaml" in msg
    assert "moet beginnen met 'sturing.'" in msg


def test_duplicate_yaml_key_is_an_error_not_last_wins(content_copy):
    path = content_copy / "areas" / "dialoog.yaml"
    text = path.read_text(encoding="utf-8").replace("id: dialoog\n", "id: dialoog\nid: dialoog\n", 1)
    path.write_text(text, encoding="utf-8")
    msg = _fails(content_copy)
    assert "sleutel 'id' komt twee keer voor" in msg and "dialoog.yaml" in msg


def test_missing_required_key(content_copy):
    _edit(content_copy / "areas" / "gegevens.yaml", lambda d: d["items"][4].pop("help"))
    assert "items[4]" in _fails(content_copy) and "help: ontbreekt" in _fails(content_copy)


def test_area_listed_without_file(content_copy):
    (content_copy / "areas" / "dialoog.yaml").unlink()
    msg = _fails(content_copy)
    assert "gebied 'dialoog' staat in de lijst" in msg and "model.yaml" in msg


def test_unlisted_area_file_is_a_warning(content_copy):
    (content_copy / "areas" / "extra.yaml").write_text("id: extra\n", encoding="utf-8")
    model = load_model(content_copy)
    assert any("extra.yaml" in str(w) for w in model.warnings)


def test_content_in_windows_encoding_is_refused_with_a_message(content_copy):
    path = content_copy / "areas" / "visie.yaml"
    path.write_bytes(path.read_text(encoding="utf-8").replace("Visie", "Visié").encode("cp1252"))
    assert "niet in UTF-8" in _fails(content_copy)


def test_all_problems_are_reported_at_once(content_copy):
    _edit(content_copy / "areas" / "visie.yaml", lambda d: d["items"][0]["help"].pop("nl"))
    _edit(content_copy / "areas" / "sturing.yaml", lambda d: d["items"][0]["question"].pop("en"))
    msg = _fails(content_copy)
    assert "visie.yaml" in msg and "sturing.yaml" in msg


@pytest.mark.parametrize("bad, message", [
    ("? [a, b]\n: c\n", "een sleutel mag geen lijst of mapping zijn"),
    ("id: visie\nsince: 2026-02-30\n", "ongeldige waarde in de YAML"),
    ("", "moet een lijst van velden"),
])
def test_odd_yaml_gives_a_message_not_a_traceback(content_copy, bad, message):
    (content_copy / "areas" / "visie.yaml").write_text(bad, encoding="utf-8")
    msg = _fails(content_copy)
    assert "visie.yaml" in msg and message in msg


def test_level_keys_written_as_text_are_accepted(content_copy):
    path = content_copy / "areas" / "visie.yaml"
    _edit(path, lambda d: d["items"][0].__setitem__("levels", {str(k): v for k, v in d["items"][0]["levels"].items()}))
    assert '"1":' in path.read_text(encoding="utf-8") or "'1':" in path.read_text(encoding="utf-8")
    assert load_model(content_copy).areas[0].items[0].descriptor(1)


@pytest.mark.parametrize("change, words", [
    (lambda fields: [f for f in fields if f["id"] != "support_hours"], "support_hours"),
    (lambda fields: [dict(f, unit="euro") if f["id"] == "hours_im" else f for f in fields], "hours_im (eenheid euro"),
])
def test_the_investment_model_must_have_every_field_the_formulas_read(tmp_path, change, words, capsys):
    """Removing a field the formulas read used to load fine and then raise KeyError in compute; now check-content
    says which field is missing before any code runs on it."""
    import yaml

    from imworkbook.base import paths
    from imworkbook.base.errors import ContentError
    from imworkbook.cli import main

    root = tmp_path / "inhoud"
    shutil.copytree(paths.data_dir(), root)
    path = root / "investment" / "model.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["fields"] = change(data["fields"])
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(ContentError, match="formules"):
        load_investment_model(root / "investment")
    assert main(["check-content", str(root / "maturity")]) == 2
    assert words in capsys.readouterr().err
