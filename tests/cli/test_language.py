"""The command line in the user's language: ``imworkbook --lang en`` writes every message, table header and
``--help`` text in English; Dutch stays the default."""

import json
import re

import pytest

from imworkbook.base.i18n import strings
from imworkbook.cli import build_parser, language, main

from ..conftest import EXAMPLES, PO_EXAMPLE, VO_EXAMPLE

# words that give Dutch away (and that English never uses)
DUTCH = {"bestand", "bestanden", "antwoorden", "antwoordenbestand", "werkboek", "map", "maak", "voor", "niet", "een",
         "het", "van", "geen", "rapport", "ronde", "gebied", "scholen", "gemiddelde", "toelichting", "invullers",
         "opties", "opdrachten", "toon", "geladen", "standaard", "schrijf", "leerling", "deelbaar", "begeleider",
         "gevonden", "moeten", "niveaus", "probleem", "problemen", "zijn"}
COMMANDS = sorted(build_parser("en")._subparsers._group_actions[0].choices)
NETWORK = EXAMPLES / "netwerk" / "2026-2027"  # a round without broken files (their messages are the problems'
RATERS = sorted((EXAMPLES / "invullers").glob("*.json"))  # own texts, written elsewhere)


SCHOOLS = {json.loads(p.read_text(encoding="utf-8"))["school"]["name"]
           for p in [PO_EXAMPLE, VO_EXAMPLE, *RATERS, *NETWORK.glob("*.json")]}


def dutch_words(text: str) -> set[str]:
    """The tell-tale Dutch words in ``text``, ignoring paths, file names and school names (data, not text)."""
    for name in SCHOOLS:
        text = text.replace(name, "")
    text = " ".join(w for w in text.split() if "/" not in w and "\\" not in w and not re.search(r"\.\w{2,4}\b", w))
    return {w for w in re.findall(r"[a-zà-ÿ]+", text.lower())} & DUTCH


def run(capsys, *argv: str) -> tuple[int, str]:
    try:
        code = main(list(argv))
    except SystemExit as exc:  # --help
        code = exc.code
    out = capsys.readouterr()
    return code, out.out + out.err


def test_the_dutch_words_are_found_in_dutch(capsys):
    """The check below can fail: the Dutch help and messages are full of these words."""
    _, text = run(capsys, "--help")
    assert len(dutch_words(text)) >= 5, text
    assert dutch_words("Vergelijk alle scholen in een map") == {"scholen", "een", "map"}


@pytest.mark.parametrize("command", [None, *COMMANDS])
def test_help_in_english_has_no_dutch(capsys, command):
    argv = ["--lang", "en"] + ([command] if command else []) + ["--help"]
    code, text = run(capsys, *argv)
    assert code == 0 and "usage: imworkbook" in text
    assert dutch_words(text) == set(), text
    dutch_code, dutch = run(capsys, *([command] if command else []), "--help")
    assert dutch_code == 0 and dutch != text  # the default stays Dutch


def test_lang_after_the_command_and_from_the_environment(capsys, monkeypatch):
    assert language(["score", "x.json", "--lang", "en"]) == "en"
    assert language(["--lang=en", "validate", "x"]) == "en"
    assert language([]) == "nl"
    monkeypatch.setenv("IMWORKBOOK_LANG", "en")
    assert language([]) == "en"
    _, text = run(capsys, "validate", "--help")
    assert "folder or zip" in text and dutch_words(text) == set()
    assert language(["--lang", "nl"]) == "nl"


def english_runs(tmp_path):
    sheet = tmp_path / "sheet.xlsx"
    return [
        ("validate", ["validate", str(NETWORK)], 0),
        ("compare", ["compare", str(NETWORK), "--xlsx", str(tmp_path / "n.xlsx"), "--csv", str(tmp_path / "n.csv"),
                     "--facilitator-xlsx", str(tmp_path / "f.xlsx")], 0),
        ("score", ["score", str(PO_EXAMPLE)], 0),
        ("report", ["report", str(VO_EXAMPLE), "--network", str(NETWORK), "--out", str(tmp_path / "r.html")], 0),
        ("merge", ["merge", *map(str, RATERS), "--out", str(tmp_path / "merged.json")], 0),
        ("template", ["template", "--xlsx", str(sheet), "--school", str(VO_EXAMPLE)], 0),
        ("import", ["import", str(sheet), "--out", str(tmp_path / "imported.json")], 0),
        ("import again", ["import", str(sheet), "--out", str(tmp_path / "imported.json")], 2),
        ("check-content", ["check-content"], 0),
        ("empty folder", ["validate", str(tmp_path / "empty")], 2),
    ]


def test_every_command_speaks_english_with_lang_en(tmp_path, capsys):
    (tmp_path / "empty").mkdir()
    seen = {}
    for name, argv, expected in english_runs(tmp_path):
        code, text = run(capsys, "--lang", "en", *argv)
        assert code == expected, (name, text)
        assert dutch_words(text) == set(), (name, text)
        seen[name] = text
    assert "Area" in seen["score"] and "Current" in seen["score"]
    assert "number of schools" in seen["compare"] and "current: mean" in seen["compare"]
    assert "New network secret made" in seen["validate"]  # the first network read in a fresh werkmap
    assert (tmp_path / "f.xlsx").exists() and (tmp_path / "merged.json").exists()


def test_problems_in_english(tmp_path, capsys):
    code, text = run(capsys, "--lang", "en", "score", str(tmp_path / "nothing.json"))
    assert code == 2 and dutch_words(text) == set(), text
    broken = tmp_path / "kapot.json"
    broken.write_text('{"schema_version": 4, "kind": "imworkbook.answers", "school": ', encoding="utf-8")
    code, text = run(capsys, "--lang", "en", "score", str(broken))
    assert code == 2 and "kapot.json" in text and dutch_words(text) == set(), text


def test_the_same_commands_stay_dutch_by_default(tmp_path, capsys):
    (tmp_path / "empty").mkdir()
    for name, argv, expected in english_runs(tmp_path):
        if argv[0] == "compare":  # the facilitator's option keeps its Dutch name in Dutch
            argv = [a.replace("--facilitator-xlsx", "--begeleider-xlsx") for a in argv]
        code, text = run(capsys, *argv)
        assert code == expected, (name, text)
        assert dutch_words(text), (name, text)


def test_every_cli_text_exists_in_both_languages_with_the_same_places():
    from imworkbook.base.i18n import check_strings

    nl, en = strings("nl"), strings("en")
    cli = {k for k in nl if k.startswith("cli.")}
    assert len(cli) > 100 and cli == {k for k in en if k.startswith("cli.")}
    assert [p for p in check_strings() if str(p.where if hasattr(p, "where") else p).find("cli.") >= 0] == []
    assert all(dutch_words(en[k]) == set() for k in cli if not k.startswith("cli.metavar")), \
        [k for k in cli if dutch_words(en[k])]
