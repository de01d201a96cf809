"""The whole pages made from templates (imworkbook/report/templates, Jinja2 with autoescape): the printed proposal of
werkboek 5 and the one-page summary of werkboek 2 show what people typed as text, never as markup."""

import html
import json
import re

import pytest

from imworkbook.apps.proposals import nieuwe_app
from imworkbook.io.reading import load_answers
from imworkbook.report.board import save_proportion_summary

from ..conftest import PO_EXAMPLE

HOSTILE = '<script>alert(1)</script> & "Ö"'


@pytest.fixture
def hostile_school(tmp_path):
    doc = json.loads(PO_EXAMPLE.read_text(encoding="utf-8"))
    doc["school"]["name"] = HOSTILE
    doc["proposals"][0]["name"] = "App <b>x</b> & 'Ö'"
    path = tmp_path / "school.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


def _text(page: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", " ", page))


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_the_printed_proposal_escapes_what_was_typed(hostile_school, tmp_path, lang):
    app = nieuwe_app(hostile_school, lang=lang, folder=tmp_path / "work")
    page = app.printable().read_text(encoding="utf-8")
    assert "<script>" not in page and "<b>x</b>" not in page
    assert page.startswith(f"<!DOCTYPE html><html lang='{lang}'>")
    text = _text(page)
    assert HOSTILE in text and "App <b>x</b> & 'Ö'" in text
    assert app.advice.reasons and all(_text(r) in text for r in app.advice.reasons)  # the advice, as on screen


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_the_summary_page_escapes_the_school_name_and_says_its_language(hostile_school, tmp_path, model, lang):
    answers = load_answers(hostile_school, model).answers
    page = save_proportion_summary(answers, model, tmp_path, lang=lang).read_text(encoding="utf-8")
    assert "<script>alert" not in page
    assert f"<html lang='{lang}'>" in page
    title = html.unescape(re.search(r"<title>(.*?)</title>", page, re.S).group(1))
    assert HOSTILE in title and page.count("Plotly.newPlot(") == 1


def test_chart_titles_show_quotes_as_quotes(hostile_school, model):
    """plotly writes &quot; literally: a school called 'De "Boog"' was shown as De &quot;Boog&quot; on the chart."""
    from imworkbook.report.board import proportion_summary

    title = proportion_summary(load_answers(hostile_school, model).answers, model).layout.title.text
    assert '&lt;script&gt;alert(1)&lt;/script&gt; &amp; "Ö"' in title and "&quot;" not in title
