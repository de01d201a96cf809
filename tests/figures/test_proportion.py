"""Proportion figures: pure functions over compute(...).table, checked without a browser."""

import html

import plotly.graph_objects as go
import pytest

from imworkbook.base.i18n import format_number

from imworkbook.analysis.proportion import compute
from imworkbook.figures.proportion import FLAG_COLOUR, investment_bars, quadrant, share_difference, summary_figure
from imworkbook.io.reading import load_answers
from imworkbook.model.answers import new_answers

from ..conftest import PO_EXAMPLE, VO_EXAMPLE


@pytest.fixture
def po(model):
    a = load_answers(PO_EXAMPLE, model).answers
    return a, compute(a, model)


def test_quadrant_points_are_the_shares_with_diagonal_and_band(po):
    _, result = po
    fig = quadrant(result.table)
    assert isinstance(fig, go.Figure)
    band, diagonal, *points = fig.data
    assert band.fill == "toself" and list(diagonal.x) == list(diagonal.y)
    xs = sorted(x for tr in points for x in tr.x)
    assert xs == pytest.approx(sorted(result.table["share_ambition"] * 100))
    for tr in points:  # colour by flag, one legend entry per flag
        flag = next(f for f, colour in FLAG_COLOUR.items() if colour == tr.marker.color)
        assert set(result.table.loc[result.table["flag"] == flag, "short"]) == {
            html.unescape(s.replace("<br>", " ")) for s in tr.text}
    sizes = {s for tr in points for s in tr.marker.size}
    assert len(sizes) > 1  # bubble size follows the yearly cost
    assert fig.layout.xaxis.title.text == "Aandeel in het belang (ambitie)"


def test_quadrant_names_incomplete_areas_and_has_an_empty_state(model):
    vo = load_answers(VO_EXAMPLE, model).answers
    fig = quadrant(compute(vo, model).table)
    assert any("Niet meegeteld" in a.text and "Dialoog" in a.text for a in fig.layout.annotations)
    empty = quadrant(compute(new_answers("Leeg", "po", "2026-2027", model=model), model).table)
    assert any("Nog niets te tonen" in a.text for a in empty.layout.annotations)


def test_bars_stack_time_money_resources_with_raw_units_in_hover(po):
    _, result = po
    fig = investment_bars(result.table)
    time, money, resources, totals = fig.data
    assert fig.layout.barmode == "stack"
    total = [a + b + c for a, b, c in zip(time.x, money.x, resources.x)]
    assert total == pytest.approx(list(result.table["invest_eur"].round(0)), abs=2)
    assert "uur" in time.customdata[0][1] and "licenties" in money.customdata[0][1]


def test_difference_is_share_minus_share_sorted(po):
    _, result = po
    fig = share_difference(result.table)
    x = list(fig.data[0].x)
    assert x == sorted(x, reverse=True)
    expected = sorted(((result.table["share_invest"] - result.table["share_ambition"]) * 100).round(1), reverse=True)
    assert x == pytest.approx(expected)
    assert "-0" not in fig.data[0].text


def test_summary_figure_has_all_parts_and_the_headline(po):
    answers, result = po
    fig = summary_figure(result.table, result.overall, school=answers.school.name, round=answers.round)
    kinds = [tr.type for tr in fig.data]
    assert "table" in kinds and "bar" in kinds and "scatter" in kinds
    index = format_number(result.overall["index"], "nl", 2)
    assert "De Regenboog" in fig.layout.title.text and f"Totaalindex {index}" in fig.layout.title.text
    table = next(tr for tr in fig.data if tr.type == "table")
    assert list(table.cells.values[-1]) == list(result.table["explanation"])


def test_english(po, model):
    answers, _ = po
    result = compute(answers, model, lang="en")
    assert quadrant(result.table, lang="en").layout.xaxis.title.text == "Share of the importance (ambition)"
    assert "in balance" in " ".join(result.table["explanation"])
