"""Layout rules of every figure, checked in the figure's own pixels (issue 14, point 1): with the example
schools, one area filled, all areas equal, extreme euros and generated data, in Dutch and English.

The rules (tests/figure_rules.py): everything a figure writes stays inside it; no two texts print over each
other or over the title; notes, keys and the which-way labels stay outside the plot; point labels stay
inside it and off every marker; the legend sits between the x-axis title and the bottom edge; axis titles
fit their axis; category labels fit the left margin. Empty data gives the one empty state: a sentence,
no axes."""

from __future__ import annotations

import html
import math
import re

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from imworkbook.analysis.landscape import time_label
from imworkbook.figures.common import AXIS_TITLE, TICKS
from imworkbook.figures.geometry import Frame, annotation_box, subplot_frame, text_size
from imworkbook.figures.labels import place_labels
from imworkbook.figures.landscape import coverage_heatmap, network_types, time_quadrant
from imworkbook.figures.network import percentile_bars
from imworkbook.figures.proportion import quadrant, summary_figure
from imworkbook.model.content import TimeSettings

from .. import figure_cases as cases
from ..figure_rules import check_layout, is_empty_state, markers

EMPTY_CASE = re.compile(r"_(empty|nothing|thin|few|withheld)(_|$)")


def _plain(text: str) -> str:
    return html.unescape(re.sub(r"<br>", " ", str(text)))


@pytest.mark.parametrize("lang", cases.LANGS)
@pytest.mark.parametrize("family", ["maturity_cases", "proportion_cases", "landscape_cases", "network_cases"])
def test_every_figure_keeps_the_layout_rules(family, lang):
    figures = list(getattr(cases, family)(lang))
    assert len(figures) >= 6
    broken = {}
    for name, fig in figures:
        if EMPTY_CASE.search(name):
            assert is_empty_state(fig), f"{name}: not the empty state ({[a.name for a in fig.layout.annotations]})"
            continue
        assert fig.data, name
        problems = check_layout(fig)
        if problems:
            broken[name] = problems
    assert not broken, "\n".join(f"{n}: {p}" for n, ps in broken.items() for p in ps)


def test_the_empty_state_is_one_sentence_that_fits(model):
    figures = [(n, f) for lang in cases.LANGS for n, f in cases.all_cases(lang) if EMPTY_CASE.search(n)]
    kinds = {n.split("_")[0] for n, _ in figures}
    assert kinds >= {"radar", "gap", "quadrant", "difference", "bars", "time", "coverage", "cost", "net", "boxes",
                     "percentiles", "scatter", "heatmap", "trend"}  # every figure function has one
    for name, fig in figures:
        assert is_empty_state(fig), name
        (sentence,) = fig.layout.annotations
        frame = Frame.of(fig)
        assert annotation_box(sentence, frame).inside(frame.paper), f"{name}: the sentence is cut off"
        assert "€" not in sentence.text and "onbekend" not in sentence.text, name


# --- the quadrant -----------------------------------------------------------------------------------------

def _named(fig, areas: list[str]) -> dict[str, int]:
    """How often each area is named on the chart: in a label, or by its number in a label and the key."""
    labels = [_plain(a.text) for a in fig.layout.annotations if a.name == "label"]
    key = "   ".join(_plain(a.text.replace("<br>", "   ")) for a in fig.layout.annotations if a.name == "key")
    numbers = []
    for text in labels:
        for part in text.split(","):
            ends = [int(n) for n in re.findall(r"\d+", part)]
            numbers += list(range(ends[0], ends[-1] + 1)) if "–" in part else ends
    out = {}
    for area in areas:
        plain = _plain(area)
        if key:
            number = re.search(r"(\d+) " + re.escape(plain) + r"(\s{2,}|$)", key)
            out[area] = numbers.count(int(number.group(1))) if number else 0
        else:
            out[area] = sum(re.sub(r"\s+", " ", text).count(plain) for text in labels)
    return out


@pytest.mark.parametrize("lang", cases.LANGS)
@pytest.mark.parametrize("case", ["po", "vo", "one_area", "all_equal", "extreme"])
def test_quadrant_names_every_drawn_area_once(case, lang):
    table = {"po": cases.proportion_table("po", lang), "vo": cases.proportion_table("vo", lang),
             **cases.awkward_tables(lang)}[case]
    fig = quadrant(table, lang=lang, width=470)
    drawn = [s for tr in fig.data[2:] for s in tr.text]
    assert drawn and all(n == 1 for n in _named(fig, drawn).values()), _named(fig, drawn)
    assert check_layout(fig) == []


def test_quadrant_notes_and_legend_are_outside_the_plot():
    table = cases.proportion_table("vo", "nl")  # Dialoog is not counted: a note
    fig = quadrant(table, lang="nl", width=470)
    frame = Frame.of(fig)
    (note,) = [a for a in fig.layout.annotations if a.name == "note"]
    assert "Niet meegeteld" in note.text and "Dialoog" in note.text
    assert not annotation_box(note, frame).overlaps(frame.plot)
    assert not any("Precies in verhouding" in (a.text or "") for a in fig.layout.annotations)  # in the legend now
    assert {"Precies in verhouding", "In balans (zone)"} <= {tr.name for tr in fig.data}
    assert all(tr.showlegend is not False for tr in fig.data)  # a legend entry for every colour


def test_all_areas_equal_get_one_label_with_every_name():
    table = cases.awkward_tables("nl")["all_equal"]
    fig = quadrant(table, lang="nl", width=470)
    (label,) = [a for a in fig.layout.annotations if a.name == "label"]
    assert all(_plain(s) in _plain(label.text) for s in table["short"])


def test_crowded_points_fall_back_to_numbers_and_a_key():
    frame = Frame(260, 260, 40, 10, 20, 40, (0, 10), (0, 10))
    names = [f"Gebied nummer {i}" for i in range(8)]
    xs = [1 + i for i in range(8)]
    ys = [1 + (i % 2) * 0.9 for i in range(8)]
    placed = place_labels(frame, xs, ys, [20] * 8, names)
    assert placed.numbered and placed.unplaced == 0
    assert sorted(int(n) for p in placed.labels for n in re.findall(r"\d+", p.text)) == list(range(1, 9))
    boxes = [p.box for p in placed.labels]
    assert not any(a.overlaps(b) for i, a in enumerate(boxes) for b in boxes[i + 1:])


def test_quadrant_uses_a_key_when_names_cannot_be_placed():
    base = cases.proportion_table("po", "en")
    n = len(base)
    near = [0.1 + 0.004 * i for i in range(n)]  # eight areas in a narrow band, in a small chart
    table = cases.with_shares(base, near, [0.12 + 0.003 * (i % 3) for i in range(n)], [1000.0 * (i + 1) for i in range(n)])
    fig = quadrant(table, lang="en", width=320, height=360)
    assert check_layout(fig) == []
    drawn = [s for tr in fig.data[2:] for s in tr.text]
    assert all(v == 1 for v in _named(fig, drawn).values()), _named(fig, drawn)


shares = st.lists(st.floats(0.01, 10), min_size=1, max_size=8)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ambition=shares, data=st.data(), lang=st.sampled_from(cases.LANGS),
       width=st.sampled_from([470, 500, 700, 1000]))
def test_generated_quadrants_keep_the_rules(ambition, data, lang, width):
    base = cases.proportion_table("po", lang)
    k = len(ambition)
    invest = data.draw(st.lists(st.floats(0, 10), min_size=k, max_size=k))
    euros = data.draw(st.lists(st.sampled_from([0.0, 1.0, 950.0, 12_000.0, 4e6, 3e9]), min_size=k, max_size=k))
    if sum(invest) == 0:
        invest[0] = 1.0
    a = [v / sum(ambition) for v in ambition] + [math.nan] * (len(base) - k)
    i = [v / sum(invest) for v in invest] + [math.nan] * (len(base) - k)
    table = cases.with_shares(base, a, i, euros + [math.nan] * (len(base) - k))
    fig = quadrant(table, lang=lang, width=width)
    assert check_layout(fig) == []
    drawn = [s for tr in fig.data[2:] for s in tr.text]
    assert all(v == 1 for v in _named(fig, drawn).values()), _named(fig, drawn)


def test_summary_quadrant_labels_are_placed_for_its_own_size():
    table = cases.proportion_table("po", "nl")
    fig = summary_figure(table, {"index": 0.7}, school="De Regenboog", round="2026-2027", lang="nl")
    frame = subplot_frame(fig)
    labels = [annotation_box(a, frame) for a in fig.layout.annotations if a.name == "label"]
    assert all(n == 1 for n in _named(fig, list(table["short"])).values())
    dots = markers(fig, frame)
    assert not any(b.overlaps(m) for b in labels for m in dots)
    assert not any(a.overlaps(b) for i, a in enumerate(labels) for b in labels[i + 1:])
    assert all(b.inside(frame.plot) for b in labels)
    legend = {tr.name for tr in fig.data if tr.type != "table" and tr.showlegend is not False and tr.name}
    assert {"Onderinvestering", "In balans", "Overinvestering", "Tijd (eigen uren)", "Geld"} <= legend


# --- werkboek 3 and 4 -----------------------------------------------------------------------------------------

@pytest.mark.parametrize("lang", cases.LANGS)
def test_coverage_areas_have_a_row_of_their_own(lang):
    from imworkbook.analysis.landscape import analyse
    from imworkbook.model.content import load_landscape_reference

    ref = load_landscape_reference()
    an = analyse(cases.examples(lang)["po"].landscape, ref, lang)
    fig = coverage_heatmap(an.coverage, ref, lang=lang, width=960)
    heat = fig.data[0]
    heads = [i for i, y in enumerate(heat.y) if y.startswith("<b>")]
    areas = [a for a in ref.areas if any(ref.area_of(act) == a.id for act in an.coverage.index)]
    assert [_plain(re.sub("<[^>]+>", "", heat.y[i])) for i in heads] == [a.label(lang) for a in areas]
    assert all(all(v is None for v in heat.z[i]) for i in heads)  # the name's row draws no cells
    assert len(heat.y) == len(an.coverage.index) + len(areas)
    assert not [a for a in fig.layout.annotations if a.name not in ("note",)]  # no names on other rows
    lines = sorted(s.y0 for s in fig.layout.shapes)
    assert lines == [i - 0.5 for i in heads[1:]]  # a line between the areas, just above each name


@pytest.mark.parametrize("lang", cases.LANGS)
def test_network_legend_is_under_the_x_axis_title(lang):
    from imworkbook.analysis.landscape import network_landscape
    from imworkbook.model.content import load_landscape_reference

    ref = load_landscape_reference()
    fig = network_types(network_landscape(cases._landscape_docs(), ref), ref, lang=lang, width=940)
    frame = Frame.of(fig)
    legend_top = frame.from_paper(0, fig.layout.legend.y)[1]
    assert legend_top >= frame.plot.y1 + TICKS + AXIS_TITLE - 2
    assert fig.layout.legend.yanchor == "top" and len([tr for tr in fig.data if tr.type == "bar"]) == 2
    assert check_layout(fig) == []


@pytest.mark.parametrize("lang", cases.LANGS)
def test_percentile_bars_have_a_legend_and_values_off_the_median_line(lang):
    net = cases._network()
    current = cases.select(net, net.schools["round"].max())
    key = current["key"].iloc[0]
    short = {a.id: a.short(lang) for a in cases.load_model().areas}
    pct = cases.percentiles(current, key)
    fig = percentile_bars(pct, short, school="X", lang=lang, width=450)
    bar = fig.data[0]
    colours = set(bar.marker.color)
    legend = {tr.marker.color for tr in fig.data[1:] if tr.showlegend is not False}
    assert colours <= legend  # every colour of a bar is in the legend
    values = [a for a in fig.layout.annotations if a.name == "value"]
    assert len(values) == len(bar.x) and not bar.text  # the numbers are not on the bars
    frame = Frame.of(fig)
    median = frame.px(50, 0)[0]
    assert all(a.x == 1 and a.xref == "paper" for a in values)  # right of the plot, so never on x = 50
    assert median < frame.plot.x1
    assert check_layout(fig) == []


@settings(max_examples=25, deadline=None)
@given(apps=st.lists(st.tuples(st.text(st.characters(whitelist_categories=("Lu", "Ll")), min_size=1, max_size=24),
                               st.integers(1, 5), st.integers(1, 5)), min_size=1, max_size=12),
       lang=st.sampled_from(cases.LANGS),
       edges=st.tuples(st.integers(1, 4), st.integers(2, 5)).filter(lambda e: e[0] < e[1]))
def test_generated_time_quadrants_keep_the_rules(apps, lang, edges):
    rule = TimeSettings(low_to=edges[0], high_from=edges[1])  # with or without a middle band
    inventory = pd.DataFrame({"name": [f"{n} {i}" for i, (n, _, _) in enumerate(apps)],
                              "business_fit": [b for _, b, _ in apps], "technical_fit": [t for _, _, t in apps],
                              "cost_per_year": [1000.0] * len(apps)})
    inventory["time"] = [time_label(b, t, rule) for _, b, t in apps]
    fig = time_quadrant(inventory, rule=rule, lang=lang, width=530)
    assert check_layout(fig) == []
    names = [_plain(a.text) for a in fig.layout.annotations if a.name in ("label", "key")]
    assert all(any(n in text for text in names) or any(f"{i + 1}" in text for text in names)
               for i, n in enumerate(inventory["name"]))


def test_text_size_grows_with_characters_and_lines():
    one = text_size("Rollen en taken", 11)
    two = text_size("Rollen<br>en taken", 11)
    assert one[0] > two[0] and two[1] == pytest.approx(2 * one[1])
    assert text_size("Privacy &amp; IBP", 11) == text_size("Privacy & IBP", 11)  # entities are one character


@pytest.mark.parametrize("lang", cases.LANGS)
def test_coverage_application_names_fit_above_the_plot(lang):
    """The names lean at 35 degrees: the last one needs room right of the plot, all of them room above it."""
    for name, fig in cases.landscape_cases(lang):
        if not name.startswith("coverage") or not fig.data:
            continue
        frame = Frame.of(fig)
        columns = list(fig.data[0].x)
        width = max(text_size(c, 11)[0] for c in columns)
        last_centre = frame.l + (len(columns) - 0.5) / len(columns) * frame.plot_w
        assert last_centre + text_size(columns[-1], 11)[0] * math.cos(math.radians(35)) <= frame.width + 1
        notes_bottom = max(annotation_box(a, frame).y1 for a in fig.layout.annotations if a.name == "note")
        assert frame.t - notes_bottom >= width * math.sin(math.radians(35))


def test_summary_without_data_says_so_instead_of_empty_axes():
    table = cases.awkward_tables("nl")["nothing"]
    fig = summary_figure(table, {}, school="Leeg", round="2026-2027", lang="nl")
    sentences = [a.text for a in fig.layout.annotations if a.name == "empty"]
    assert len(sentences) == 2 and "Nog niets te tonen" in sentences[0].replace("<br>", " ")
    assert fig.layout.xaxis.visible is False and fig.layout.yaxis.visible is False  # the quadrant's axes
    assert fig.layout.xaxis3.visible is False  # the bars' axes
    assert [tr.type for tr in fig.data] == ["table"]  # the table still lists the areas
