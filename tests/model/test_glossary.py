"""One glossary (data/glossary.yaml): validated at load, and no forbidden variant of its terms in the content, the
interface texts, the README or the board report (issue 15 point 5, issue 14 point 3)."""

import re
import shutil

import pytest
import yaml
from hypothesis import given, strategies as st

from imworkbook.base import paths
from imworkbook.base.errors import ContentError
from imworkbook.base.i18n import strings
from imworkbook.cli import main
from imworkbook.model.glossary import check_data, check_document, find_variants, load_glossary

from ..conftest import PO_EXAMPLE, REPO


@pytest.fixture(scope="module")
def glossary():
    return load_glossary()


def test_the_shipped_glossary_loads_with_both_languages(glossary):
    ids = {term.id for term in glossary.terms}
    assert {"time_tolerate", "time_eliminate", "im_coordinator", "ict_coordinator", "area", "domain", "werkmap",
            "privacy_officer"} <= ids
    assert glossary.term("time_eliminate").nl.preferred == "Elimineren"
    assert glossary.term("privacy_officer").en.preferred == "data protection officer (DPO)"


def _copy_data(tmp_path):
    target = tmp_path / "data"
    shutil.copytree(paths.data_dir(), target, ignore=shutil.ignore_patterns("examples"))
    return target


@pytest.mark.parametrize("change, words", [
    (lambda g: g["terms"][0].update(colour="rood"), ["terms[0]", "colour"]),
    (lambda g: g["terms"][0]["nl"]["forbidden"].append("Investeren"), ["Investeren", "time_invest"]),
    (lambda g: g["terms"].append(dict(g["terms"][0])), ["time_tolerate", "twee keer"]),
])
def test_a_wrong_glossary_is_refused_at_load_naming_the_place(tmp_path, change, words):
    data = _copy_data(tmp_path)
    raw = yaml.safe_load((data / "glossary.yaml").read_text(encoding="utf-8"))
    change(raw)
    (data / "glossary.yaml").write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    with pytest.raises(ContentError) as info:
        load_glossary(data)
    assert "glossary.yaml" in str(info.value) and all(w in str(info.value) for w in words)


def test_content_and_interface_texts_follow_the_glossary(glossary):
    """Outside the files being rewritten (glossary 'pending'), no forbidden variant anywhere in data/."""
    found = [str(p) for p in check_data(glossary=glossary) if p.severity != "note"]
    assert found == []


def test_check_content_names_a_forbidden_variant_in_an_interface_text(tmp_path, capsys):
    data = _copy_data(tmp_path)
    nl = data / "i18n" / "nl.yaml"
    nl.write_text(nl.read_text(encoding="utf-8").replace('time_tolerate: "Tolereren"', 'time_tolerate: "Toleren"'),
                  encoding="utf-8")
    problems = [str(p) for p in check_data(data)]
    assert any("i18n/nl.yaml › time_tolerate: 'Toleren'" in p and "'Tolereren'" in p for p in problems)
    assert main(["check-content", str(data / "maturity")]) == 1
    assert "'Toleren'" in capsys.readouterr().err


@pytest.mark.parametrize("document, scope", [("README.md", "readme"),
                                             ("imworkbook/report/templates/board_report.html.j2", "report")])
def test_readme_and_report_template_follow_the_glossary(glossary, document, scope):
    assert [str(p) for p in check_document(REPO / document, "nl", glossary, scope)] == []


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_the_board_report_follows_the_glossary_and_never_sends_the_board_to_the_readme(glossary, model, lang):
    from imworkbook.io.reading import load_answers
    from imworkbook.report.board import board_report

    page = board_report(load_answers(PO_EXAMPLE, model).answers, model, lang=lang).html
    text = re.sub(r"<script.*?</script>|<style.*?</style>|<[^>]+>", " ", page, flags=re.S)
    assert "README" not in text
    for quoted in _pending_texts(glossary, lang):  # the questionnaire's own texts: check-content lists those
        text = text.replace(quoted, " ")
    assert [f.found for f in find_variants(text, lang, glossary, "report")] == []


def _pending_texts(glossary, lang):
    """The texts of the content files being rewritten (glossary 'pending'), longest first."""
    import html as _html

    from imworkbook.base.yamlfile import read_yaml
    from imworkbook.model.glossary import _texts

    out = set()
    for prefix in glossary.pending:
        for path in (paths.data_dir() / prefix).rglob("*.yaml"):
            out |= {text for _, tl, text in _texts(read_yaml(path, path.name)) if tl == lang}
    return sorted(out | {_html.escape(x) for x in out}, key=len, reverse=True)


def test_app_words_are_the_glossary_words(glossary):
    for lang in ("nl", "en"):
        texts = strings(lang)
        for key in ("tolerate", "invest", "migrate", "eliminate"):
            assert texts[f"time_{key}"] == glossary.term(f"time_{key}").forms(lang).preferred
        roles = yaml.safe_load((paths.data_dir() / "raters" / "roles.yaml").read_text(encoding="utf-8"))["roles"]
        labels = {r["id"]: r["label"][lang] for r in roles}
        assert labels["im_coordinator"] == glossary.term("im_coordinator").forms(lang).preferred
        assert labels["ict_coordinator"] == glossary.term("ict_coordinator").forms(lang).preferred


def test_no_text_says_a_plural_object_wordt():
    """'Leerlinggegevens wordt': a data object's label is often plural, so no text puts a singular verb after it."""
    for lang, verbs in (("nl", ("wordt", "is")), ("en", ("is", "was"))):
        for key, text in strings(lang).items():
            for verb in verbs:
                assert not re.search(r"\{objects?\} " + verb + r"\b", text), (lang, key)


_word = st.text(st.characters(whitelist_categories=("Ll", "Lu")), min_size=1, max_size=8)


@given(before=st.lists(_word, max_size=4), after=st.lists(_word, max_size=4),
       forbidden=st.sampled_from(["Toleren", "ict-coördinator", "informatiemanager", "Uitfaseren"]))
def test_a_forbidden_variant_is_found_wherever_it_stands_and_not_inside_another_word(before, after, forbidden):
    glossary = load_glossary()
    text = " ".join([*before, forbidden + ",", *after])
    assert forbidden in [f.found for f in find_variants(text, "nl", glossary)]
    glued = " ".join([*before, "x" + forbidden + "x", *after])
    assert forbidden not in [f.found for f in find_variants(glued, "nl", glossary)]


@pytest.mark.parametrize("text", ["een voorstel: **T**oleren, **I**nvesteren", "een voorstel: <b>T</b>oleren",
                                  "*Toleren* of niet"])
def test_a_forbidden_variant_hidden_by_emphasis_is_found(text):
    """The werkboek 4 intro said '**T**oleren' for months: the marks split the word for a plain search."""
    assert "Toleren" in [f.found for f in find_variants(text, "nl", load_glossary())]
