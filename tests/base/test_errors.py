"""Problems have stable codes and are worded from data/i18n at display time, in the language asked for."""

import ast
import json
import re
import zipfile
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

from imworkbook.base import errors, i18n
from imworkbook.base.budgets import ANSWERS_MAX_BYTES
from imworkbook.base.errors import AnswersFileError, Msg, Problem, place
from imworkbook.io.collect import STATUS_LABELS, STATUSES, collect
from imworkbook.io.reading import load_answers
from imworkbook.io.reading import read_capped
from imworkbook.model.answers import new_answers
from imworkbook.model.content import load_model

PACKAGE = Path(errors.__file__).resolve().parents[1]
PROBLEM_FILES = i18n.paths.data_dir() / "i18n" / "problems"


def _table(lang: str) -> dict[str, str]:
    return i18n._table(PROBLEM_FILES / f"{lang}.yaml", lang)


def _literal_codes() -> dict[str, list[str]]:
    """Every code written in the package: Problem(file, where, "<code>", ...), Invalid("<code>", ...),
    Msg("<key>", ...), place("<x>"), reason("<x>"), _m("<x>") (collect), _refuse/_ods_refuse(name, "<x>")."""
    found: dict[str, list[str]] = {}
    for path in PACKAGE.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "id", getattr(node.func, "attr", None))
            arg = {"Problem": 2, "Invalid": 0, "Msg": 0, "place": 0, "reason": 0, "_m": 0, "_refuse": 1,
                   "_ods_refuse": 1}.get(name)
            if arg is None or len(node.args) <= arg:
                continue
            value = node.args[arg]
            options = [value.body, value.orelse] if isinstance(value, ast.IfExp) else [value]
            for value in options:
                if not (isinstance(value, ast.Constant) and isinstance(value.value, str)):
                    continue
                key = {"Problem": "problem.{}", "Invalid": "problem.{}", "Msg": "{}", "place": "place.{}",
                       "reason": "reason.{}", "_m": "problem.collect.{}", "_refuse": "problem.xlsx.{}",
                       "_ods_refuse": "problem.ods.{}"}[name].format(value.value)
                found.setdefault(key, []).append(f"{path.relative_to(PACKAGE)}:{node.lineno}")
    return found


def test_every_code_in_the_package_has_a_text_in_both_languages():
    codes = _literal_codes()
    assert len(codes) > 150, "the scan should find the codes"
    assert all(not k.startswith("problem.legacy") for k in codes), "a Problem with a sentence instead of a code"
    for lang in i18n.LANGS:
        table = _table(lang)
        missing = {k: v for k, v in codes.items() if k not in table}
        assert missing == {}, lang


def test_every_pydantic_code_and_reason_has_a_text():
    table = _table("nl")
    for code in set(errors._PYDANTIC.values()) | {"value_error", "other"}:
        assert f"problem.pydantic.{code}" in table
    for what, remedy in [*errors._OS_REASON.values(), ("refused", "check_rights")]:
        assert f"reason.os_{what}" in table and f"reason.fix_{remedy}" in table
    for _en, code in errors._JSON_REASONS:
        assert f"reason.json_{code}" in table


def test_every_problem_text_is_used():
    """No dead texts: each key of the problem files is a code in the package (or a family built from a name)."""
    source = "\n".join(p.read_text(encoding="utf-8") for p in PACKAGE.rglob("*.py"))
    used = set(_literal_codes())
    families = ("problem.os.failed", "problem.pydantic.", "reason.os_", "reason.fix_", "reason.json_", "severity.", "entry.", "place.field_",
                "problem.content.title_")
    dead = [k for k in _table("nl") if k not in used and not k.startswith(families)
            and f'"{k.removeprefix("problem.")}"' not in source and f'"{k.rpartition(".")[2]}"' not in source]
    assert dead == []


# a few words that give away the other language (whole words, lower case)
TELLS = {"nl": {"bestand", "fout", "regel", "niet", "werkmap", "blad", "rij", "kolom", "moet", "gekregen", "het",
                "een", "ontbreekt", "leeg", "hoogstens"},
         "en": {"file", "error", "row", "not", "sheet", "column", "must", "given", "the", "missing", "empty",
                "at most", "line"}}
SAMPLE = {"given": "'x'", "bound": 3, "expected": "'po' or 'vo'", "max_length": 80, "min_length": 1, "text": "x",
          "type": "x", "why": Msg("reason.zip_damaged"), "then": Msg("then.set_aside")}


def _sample_values(template: str) -> dict:
    names = {n for _, n, _, _ in __import__("string").Formatter().parse(template) if n}
    return {n: SAMPLE.get(n, 7) for n in names}


@pytest.mark.parametrize("lang", i18n.LANGS)
def test_every_problem_renders_without_a_word_of_the_other_language(lang):
    other = "en" if lang == "nl" else "nl"
    table = _table(lang)
    seen = 0
    for key, template in table.items():
        if not key.startswith("problem.") or key == "problem.legacy.text":
            continue
        code = key.removeprefix("problem.")
        p = Problem("x.json", (place("row", row=5), "items"), code, _sample_values(template))
        text = p.text(lang).lower()
        for word in TELLS[other]:
            assert not re.search(rf"(?<![\w']){re.escape(word)}(?![\w'])", text), (key, word, text)
        seen += 1
    assert seen > 150


def test_places_and_severity_follow_the_language():
    p = Problem("a.xlsx", (place("sheet", sheet="Vragen"), place("row", row=5)), "sheet.formula", {}, "warning")
    assert p.text("nl") == "Let op: a.xlsx › blad Vragen › rij 5: " + p.message_in("nl")
    assert p.text("en").startswith("Warning: a.xlsx › sheet Vragen › row 5: contains a formula")
    assert str(p) == p.text("nl")


def test_problems_are_values():
    a = Problem("f", ("answers", "x.y"), "answers.unknown_field", {"then": Msg("then.set_aside")}, "warning")
    b = Problem("f", "answers › x.y", "answers.unknown_field", {"then": Msg("then.set_aside")}, "warning")
    assert a == b and hash(a) == hash(b) and len({a, b}) == 1
    assert a.where == "answers › x.y"  # neutral places stay plain strings
    with pytest.raises(AttributeError):
        a.code = "other"
    assert a.replace(severity="error").severity == "error"


def test_old_style_problems_still_work():
    p = Problem("f", "", "een zin in het Nederlands", "waarschuwing")
    assert p.code == "legacy.text" and p.severity == "warning" and str(p) == "Let op: f: een zin in het Nederlands"


@settings(max_examples=40, deadline=None)
@given(st.sampled_from(sorted(errors._PYDANTIC)), st.integers(-5, 10), st.sampled_from(i18n.LANGS))
def test_pydantic_errors_become_codes_in_both_languages(typ, bound, lang):
    err = {"type": typ, "loc": ("a",), "input": "q", "ctx": {"ge": bound, "expected": "'x'", "max_length": bound}}
    code, values = errors.pydantic_code(err)
    assert code == "pydantic." + errors._PYDANTIC[typ] and values == tuple(sorted(values))
    assert errors.from_pydantic_error_message(err, lang)  # worded, no KeyError for any value


# --- codes pinned: the kind of problem, not its words ---

def test_a_too_large_answers_file_is_answers_too_large(tmp_path):
    path = tmp_path / "groot.json"
    path.write_bytes(b" " * (ANSWERS_MAX_BYTES + 10))
    with pytest.raises(AnswersFileError) as caught:
        read_capped(path)
    assert [p.code for p in caught.value.problems] == ["answers.too_large"]
    assert "too large" in caught.value.text("en") and "te groot" in str(caught.value)


def test_codes_of_broken_answers_files(tmp_path):
    cases = {"leeg.json": (b"", "answers.empty"), "kapot.json": (b"{", "answers.invalid_json"),
             "vreemd.json": (b'{"kind": "iets"}', "answers.not_answers_file"),
             "nieuw.json": (json.dumps({"kind": "imworkbook.answers", "schema_version": 99}).encode(),
                            "answers.schema_too_new")}
    for name, (data, code) in cases.items():
        (tmp_path / name).write_bytes(data)
        with pytest.raises(AnswersFileError) as caught:
            load_answers(tmp_path / name)
        assert [p.code for p in caught.value.problems] == [code], name


def test_a_wrong_level_is_value_level_with_its_place(tmp_path):
    model = load_model()
    a = new_answers("School", "po", model=model)
    doc = json.loads(a.model_dump_json())
    item = model.item_ids[0]
    doc["answers"] = {item: {"current": 9}}
    (tmp_path / "a.json").write_text(json.dumps(doc), encoding="utf-8")
    result = load_answers(tmp_path / "a.json", model)
    [p] = [p for p in result.problems if p.code == "value.level"]
    assert p.where == f"answers › {item} › current" and p.severity == "error"
    assert "level must be 1 to 5" in p.text("en") and "niveau moet 1 t/m 5" in p.text("nl")


def test_collect_statuses_are_ids_and_the_report_speaks_both_languages(tmp_path):
    (tmp_path / "kapot.json").write_text("{", encoding="utf-8")
    (tmp_path / "leeg.json").write_text("", encoding="utf-8")
    with zipfile.ZipFile(tmp_path / "x.zip", "w") as zf:
        zf.writestr("../klimt.json", "{}")
    c = collect(tmp_path)
    assert set(c.report["status"]) <= set(STATUSES) and c.counts["refused"] == 3
    en, nl = c.report_in("en"), c.report_in("nl")
    assert set(en["status"]) == {i18n.t(STATUS_LABELS["refused"], "en")}
    for text in en["melding"]:
        assert not re.search(r"\b(bestand|niet|leeg|geen)\b", text), text
    assert any("leeg" in m for m in nl["melding"]) and any("empty" in m for m in en["melding"])
