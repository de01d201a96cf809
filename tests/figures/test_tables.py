"""imworkbook.figures.tables: the score table as HTML for people (decimal comma in Dutch, unknown written out)."""

import re

from imworkbook.analysis.scoring import score_table
from imworkbook.base.i18n import t
from imworkbook.figures.tables import score_table_html
from imworkbook.io.reading import load_answers
from imworkbook.model.answers import new_answers

from ..conftest import PO_EXAMPLE


def _cells(html: str) -> list[str]:
    return [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", html, re.S)]


def test_numbers_in_the_language_and_the_total_in_bold(model):
    answers = load_answers(PO_EXAMPLE, model).answers
    table = score_table(answers, model, "nl")
    nl, en = score_table_html(table, lang="nl"), score_table_html(score_table(answers, model, "en"), lang="en")
    first = table.iloc[0, 1]
    assert f"{first:.1f}".replace(".", ",") in _cells(nl) and f"{first:.1f}" in _cells(en)
    assert t("gap_note", "nl") in nl and t("gap_note", "en") in en
    assert re.search(r"font-weight:\s*bold", nl)  # the total row
    assert len(_cells(nl)) == table.size  # no index column


def test_unknown_is_written_out_not_nan(model):
    empty = score_table(new_answers("Leeg", "vo", model=model), model, "en")
    html = score_table_html(empty, lang="en")
    assert "nan" not in _cells(html) and t("unknown", "en") in _cells(html)
