"""Every screen in one language: each app (start page, werkboek 1-7, the network) with an example school loaded,
and the board report, contain none of the other language's tell-tale words.

What may stay in the other language: what people typed (school and application names, notes: every text of the
example files except the advice reasons, which the app writes) and the terms of data/glossary.yaml. The network
is read with its broken files (data/examples/netwerk/fouten), so their messages are scanned too."""

import html
import json
import re
import shutil
from functools import lru_cache
from pathlib import Path

import pytest

from imworkbook.analysis.network import network_frames
from imworkbook.apps.investment import verhouding
from imworkbook.apps.landscape import applicaties
from imworkbook.apps.merge import samenvoegen
from imworkbook.apps.network import netwerk
from imworkbook.apps.proposals import nieuwe_app
from imworkbook.apps.questionnaire import vragenlijst
from imworkbook.apps.roles import rollen
from imworkbook.apps.start import start
from imworkbook.io.collect import collect
from imworkbook.io.reading import load_answers
from imworkbook.report.board import board_report

from ..conftest import EXAMPLES, PO_EXAMPLE, REPO, VO_EXAMPLE
from .test_language import _texts

# words that are common in running text of one language and are not words (or names) in the other
TELLTALE = {
    "nl": ["het", "een", "van", "voor", "met", "niet", "naar", "wordt", "worden", "zijn", "maar", "ook", "nog", "geen",
           "deze", "dit", "dat", "bestand", "werkmap", "uur", "jaar", "fout", "onbekend", "totaal", "gemiddelde",
           "vraag", "vragen", "antwoord", "niveau", "huidig", "gewenst", "toelichting", "naam", "rapport",
           "overzicht", "advies", "gebied", "kosten", "leerling", "leerlingen", "ondersteunt", "opgeslagen", "kies",
           "welke", "bestuursrapport"],
    "en": ["the", "and", "with", "not", "to", "are", "file", "folder", "hours", "year", "error", "unknown", "total",
           "average", "question", "answer", "level", "current", "explanation", "name", "report", "overview",
           "advice", "area", "cost", "pupils", "saved", "choose", "which"],
}
OTHER = {"en": "nl", "nl": "en"}


@lru_cache(maxsize=1)
def _allowed() -> tuple[str, ...]:
    """What people typed in the example files (not the advice reasons the app wrote) and the glossary's terms,
    longest first so a name is removed before a word inside it."""
    found: set[str] = set()

    def walk(value, key=""):
        if isinstance(value, str) and len(value) > 3 and key != "reasons":
            found.add(value)
        elif isinstance(value, dict):
            for k, v in value.items():
                walk(v, k)
        elif isinstance(value, list):
            for v in value:
                walk(v, key)

    for path in EXAMPLES.rglob("*.json"):
        try:
            walk(json.loads(path.read_text(encoding="utf-8")))
        except ValueError:
            pass  # the broken files of the example network
    import yaml

    for term in yaml.safe_load((REPO / "data" / "glossary.yaml").read_text(encoding="utf-8"))["terms"]:
        for lang in ("nl", "en"):
            if isinstance(term.get(lang), dict) and term[lang].get("preferred"):
                found.add(term[lang]["preferred"])
    words = {w for lang in TELLTALE for w in TELLTALE[lang]}
    return tuple(sorted((x for x in found if x.lower() not in words), key=len, reverse=True))


def _visible(text: str) -> str:
    text = re.sub(r"<script.*?</script>|<style.*?</style>", " ", text, flags=re.S)
    text = html.unescape(re.sub(r"<[^>]+>", " ", text))
    text = re.sub(r"\S*/\S*", " ", text)  # paths (a folder is called what it is called)
    text = re.sub(r"\b[a-z_]+\.[a-z_.]+\b", " ", text)  # ids of items (area.item)
    for typed in _allowed():
        text = text.replace(typed, " ")
    return text


def other_language_words(text: str, lang: str) -> list[str]:
    """Each tell-tale word of the other language in ``text``, with a little context."""
    text = _visible(text)
    hits = []
    for word in TELLTALE[OTHER[lang]]:
        for m in re.finditer(rf"(?<![\w-]){re.escape(word)}(?![\w-])", text, flags=re.I if lang == "en" else 0):
            hits.append(f"{word!r} in …{text[max(0, m.start() - 50):m.end() + 50]}…".replace("\n", " "))
    return hits


def test_the_scan_finds_the_other_language():
    assert other_language_words("Choose a school; het bestand is niet gewijzigd", "en")
    assert other_language_words("Kies een school; the file was saved", "nl")
    assert not other_language_words("Kies een school voor De Regenboog", "nl")
    assert not other_language_words("Choose a school: De Regenboog", "en")
    assert other_language_words("saved in your folder (werkmap)", "en")  # a typed word alone is no excuse


@pytest.fixture(scope="module")
def network_folder(tmp_path_factory):
    """The example network with its broken files: their messages are on the network screen too."""
    folder = tmp_path_factory.mktemp("net") / "netwerk"
    shutil.copytree(EXAMPLES / "netwerk", folder)
    return folder


APPS = {
    "start": lambda lang, folder, net: start(lang=lang),
    "werkboek 1": lambda lang, folder, net: vragenlijst(PO_EXAMPLE, lang=lang, folder=folder),
    "werkboek 2": lambda lang, folder, net: verhouding(PO_EXAMPLE, lang=lang, folder=folder),
    "werkboek 3": lambda lang, folder, net: netwerk(net, lang=lang),
    "werkboek 4": lambda lang, folder, net: applicaties(PO_EXAMPLE, lang=lang, folder=folder),
    "werkboek 5": lambda lang, folder, net: nieuwe_app(PO_EXAMPLE, lang=lang, folder=folder),
    "werkboek 6": lambda lang, folder, net: rollen(VO_EXAMPLE, lang=lang, folder=folder),
    "werkboek 7": lambda lang, folder, net: samenvoegen(EXAMPLES / "invullers", lang=lang),
}


@pytest.mark.parametrize("lang", ["nl", "en"])
@pytest.mark.parametrize("app", list(APPS))
def test_every_screen_is_in_one_language(app, lang, tmp_path, network_folder):
    shown = APPS[app](lang, tmp_path, network_folder)
    if app == "werkboek 3":
        shown.load()
    text = _texts(shown.frame)
    assert len(text) > 2000  # the app is really on screen
    assert other_language_words(text, lang) == []


@pytest.mark.parametrize("lang", ["nl", "en"])
@pytest.mark.parametrize("example", [PO_EXAMPLE, VO_EXAMPLE])
def test_the_board_report_is_in_one_language(example, lang, model, network_folder):
    answers = load_answers(example, model).answers
    report = board_report(answers, model, network=network_frames(collect(network_folder)), lang=lang).html
    assert other_language_words(report, lang) == []


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_the_network_export_follows_the_language_of_the_screen(lang, model, network_folder):
    """Sheet names, headers and the explanations of the Excel export are in the language it is made in."""
    from imworkbook.analysis.network import FACILITATOR, comparison_tables, export_sheets

    collected = collect(network_folder)
    data = network_frames(collected)
    tables = comparison_tables(data, model, lang=lang)
    sheets = export_sheets(tables, FACILITATOR, round="2026-2027", sector="po", lang=lang,
                           report=collected.report_in(lang))
    words = [*sheets, *(str(c) for frame in sheets.values() for c in frame.columns),
             *(str(v) for frame in sheets.values() for v in frame.to_numpy().ravel()
               if isinstance(v, str) and "/" not in v and "\\\\" not in v)]
    assert other_language_words("\n".join(words), lang) == []
    assert len(sheets) == 5 and len(next(iter(tables.values()))) == len(model.areas)


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_the_file_check_speaks_the_language_of_the_screen(lang, tmp_path):
    """collect's own messages (not a refused file's problems, which come from the file's parser): a CSV, an empty
    file, a hidden backup, the same school twice."""
    for name in ("excel-export.csv", "leeg.json"):
        shutil.copy(EXAMPLES / "netwerk" / "fouten" / name, tmp_path / name)
    shutil.copy(PO_EXAMPLE, tmp_path / "a.json")
    shutil.copy(PO_EXAMPLE, tmp_path / "b.json")
    shutil.copy(PO_EXAMPLE, tmp_path / ".a.json")
    report = collect(tmp_path).report_in(lang)
    messages = dict(zip(report["bestand"], report["melding"]))
    assert all(messages[n] for n in ("excel-export.csv", "leeg.json", "b.json", ".a.json"))
    assert other_language_words("\n".join(messages.values()), lang) == []
