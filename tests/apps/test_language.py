"""The language switch: every app shows Dutch by default, English at a click, keeps the open school and
what is on screen, and remembers the choice for the next app."""

import json

import pytest

from imworkbook.apps.investment import verhouding
from imworkbook.apps.network import netwerk
from imworkbook.apps.questionnaire import vragenlijst
from imworkbook.base import preferences
from imworkbook.base.i18n import LANGS, strings


def _texts(widget) -> str:
    """All visible text of a widget tree (descriptions, HTML, options, tab titles)."""
    out = []
    for name in ("value", "description", "tooltip"):
        v = getattr(widget, name, None)
        if isinstance(v, str):
            out.append(v)
    out.extend(str(label) for label in getattr(widget, "_options_labels", ()) or ())
    out.extend(getattr(widget, "titles", ()) or ())
    for child in getattr(widget, "children", ()) or ():
        out.append(_texts(child))
    return "\n".join(out)


def test_dutch_by_default_and_the_switch_offers_every_language(tmp_path):
    app = vragenlijst("po", folder=tmp_path)
    assert app.lang == "nl" and app.lang_switch.value == "nl"
    assert [v for _, v in app.lang_switch.options] == list(LANGS)
    assert "Huidig niveau" in _texts(app.frame)


def test_switching_keeps_the_school_the_tab_and_the_answers(tmp_path, model):
    app = vragenlijst("po", folder=tmp_path)
    app.tabs.selected_index = 2
    item = model.areas[2].items[0].id
    app.cards[item].current.value = 1
    path = app.session.path
    app.lang_switch.value = "en"
    assert app.lang == "en" and app.session.path == path
    assert app.tabs.selected_index == 2 and app.cards[item].current.value == 1
    text = _texts(app.frame)
    assert "Current level" in text and "Huidig niveau" not in text
    assert "area by area" in strings("en")["intro_maturity"] and "area by area" in text
    assert app.radar_fig.layout.title.text != ""  # charts drawn again, in English
    app.cards[item].current.value = 2  # the rebuilt app still saves
    assert json.loads(path.read_text())["answers"][item]["current"] == 2


def test_the_choice_is_remembered_for_the_next_app(tmp_path):
    vragenlijst("po", folder=tmp_path).lang_switch.value = "en"
    assert preferences.language() == "en"
    other = verhouding("po", folder=tmp_path)
    assert other.lang == "en" and "Hourly rate" in _texts(other.frame)
    other.lang_switch.value = "nl"
    assert vragenlijst("po", folder=tmp_path).lang == "nl"


def test_a_broken_preferences_file_means_dutch(werkmap):
    werkmap.mkdir(parents=True, exist_ok=True)
    (werkmap / preferences.FILE_NAME).write_text("{kapot", encoding="utf-8")
    assert preferences.language() == "nl"
    preferences.remember_language("en")
    assert preferences.language() == "en"
    with pytest.raises(ValueError):
        preferences.remember_language("fr")


def test_network_app_switches_and_keeps_the_chosen_round():
    app = netwerk()
    first_round = app.round.options[0]
    assert first_round != app.round.value
    app.round.value = first_round
    app.lang_switch.value = "en"
    assert app.round.value == first_round
    assert "Load" in _texts(app.frame)


def test_network_report_headers_and_statuses_follow_the_language():
    app = netwerk(lang="en")
    assert "refused" in app.report.value and "geweigerd" not in app.report.value
    assert "<th>file</th>" in app.report.value


@pytest.mark.parametrize("opener", ["verhouding", "applicaties", "nieuwe_app", "rollen"])
def test_every_school_app_switches_language_on_the_same_school(tmp_path, opener):
    import imworkbook as iw

    app = getattr(iw, opener)("po", folder=tmp_path)
    path = app.session.path
    app.lang_switch.value = "en"
    assert app.lang == "en" and app.session.path == path and not app.errors
    assert "Language" == app.lang_switch.tooltip
