"""Figures are pure: scores in, plotly Figure out; checked without a browser."""

import html
import math

import plotly.graph_objects as go
import pytest

from imworkbook.analysis.scoring import area_scores
from imworkbook.figures import gap_bars, radar
from imworkbook.figures.common import BLUE, ORANGE
from imworkbook.io.reading import load_answers
from imworkbook.model.answers import ItemAnswer, new_answers

from ..conftest import PO_EXAMPLE, VO_EXAMPLE


@pytest.fixture
def po_scores(model):
    return area_scores(load_answers(PO_EXAMPLE, model).answers, model)


def test_radar_shows_current_and_target_per_area(po_scores):
    fig = radar(po_scores)
    assert isinstance(fig, go.Figure)
    current, target = fig.data
    assert current.name == "Huidig niveau" and target.name == "Gewenst niveau"
    assert [html.unescape(t.replace("<br>", " ")) for t in current.theta[:-1]] == list(po_scores["short"])
    assert current.r[:-1] == tuple(round(v, 2) for v in po_scores["current"])
    assert current.r[0] == current.r[-1]  # closed polygon
    assert (current.line.color, target.line.color) == (BLUE, ORANGE)
    assert target.line.dash == "dash"  # distinguishable without colour
    assert fig.layout.polar.radialaxis.range == (0, 5)
    assert fig.layout.title.text == "Volwassenheid per gebied: huidig en gewenst"
    assert fig.layout.separators == ",."


def test_hover_text_carries_the_level_descriptor(po_scores, model):
    fig = radar(po_scores)
    first = po_scores.iloc[0]
    level = int(math.floor(first["current"] + 0.5))
    assert model.level_label(level, "nl") in fig.data[0].text[0]
    assert first["area"] in fig.data[0].text[0]


def test_unknown_areas_leave_a_gap_not_a_zero(model):
    scores = area_scores(load_answers(VO_EXAMPLE, model).answers, model)
    fig = radar(scores)
    current = fig.data[0].r
    unknown = [i for i, v in enumerate(scores["current"]) if math.isnan(v)]
    assert unknown and all(current[i] is None for i in unknown)
    assert fig.data[0].connectgaps is False


def test_gap_bars_sorted_largest_first_and_unknown_named_above(model):
    scores = area_scores(load_answers(VO_EXAMPLE, model).answers, model)
    fig = gap_bars(scores)
    known = fig.data[0]
    assert list(known.x) == sorted(known.x, reverse=True)
    unknown = list(scores.loc[scores["gap"].isna(), "short"])
    assert unknown and not set(unknown) & {html.unescape(y) for y in known.y}  # no bar, no "onbekend" at a label
    note, = [a.text for a in fig.layout.annotations if a.name == "note"]
    assert all(area in html.unescape(note.replace("<br>", " ")) for area in unknown)
    assert fig.layout.yaxis.autorange == "reversed"


def test_empty_state_says_what_to_do(model):
    scores = area_scores(new_answers("Leeg", "vo", "2026-2027", model=model), model)
    for fig in (radar(scores), gap_bars(scores)):
        assert "Nog geen antwoorden" in fig.layout.annotations[0].text


def test_english_labels(po_scores, model):
    scores = area_scores(load_answers(PO_EXAMPLE, model).answers, model, lang="en")
    fig = radar(scores, lang="en")
    assert fig.data[0].name == "Current level"
    assert [t.replace("<br>", " ") for t in fig.data[0].theta[:-1]] == [a.short("en").replace("&", "&amp;")
                                                                       for a in model.areas]
    assert gap_bars(scores, lang="en").layout.xaxis.title.text == "Gap in levels"


def test_figures_do_not_mutate_their_input(po_scores):
    before = po_scores.copy()
    radar(po_scores)
    gap_bars(po_scores)
    assert po_scores.equals(before)


def test_negative_gap_is_drawn_in_another_colour(model):
    a = new_answers("X", "po", "2026-2027", model=model)
    a.answers[model.areas[0].items[0].id] = ItemAnswer(current=4, target=2)
    a.answers[model.areas[1].items[0].id] = ItemAnswer(current=1, target=3)
    fig = gap_bars(area_scores(a, model))
    colours = dict(zip(fig.data[0].x, fig.data[0].marker.color))
    assert colours[-2.0] != colours[2.0]


@pytest.mark.parametrize("label, expected", [
    ("Dialoog", "Dialoog"),
    ("Sturen met info", "Sturen<br>met info"),
    ("Privacy & security", "Privacy &amp;<br>security"),
    ("Informatiebehoefte", "Informatiebehoefte"),
])
def test_long_radar_labels_wrap_at_a_space(label, expected):
    from imworkbook.figures import wrap_label
    assert wrap_label(label) == expected
