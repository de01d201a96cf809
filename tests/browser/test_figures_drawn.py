"""The figures as Chromium draws them (issue 14, point 1): the layout tests estimate text boxes from font size
and characters (tests/figures/test_layout.py); here plotly.js itself lays out the example schools' charts and
the awkward ones (one area, all equal, extreme euros), in Dutch and English, with the app's own plotly.js
(figures/plotlyjs.py), and the real boxes are checked: every text inside the figure, no two texts over each other, legends below the x-axis title and off the
plot, point labels off the markers. No server: all charts in one page."""

from __future__ import annotations

import plotly.io as pio
import pytest

from imworkbook.figures.plotlyjs import bundle_js

from .. import figure_cases as cases
from .conftest import ARTIFACTS

MEASURE = """() => [...document.querySelectorAll('.js-plotly-plot')].map(p => {
  const r = p.getBoundingClientRect();
  const box = e => { const b = e.getBoundingClientRect();
    return [b.left - r.left, b.top - r.top, b.right - r.left, b.bottom - r.top]; };
  const all = s => [...p.querySelectorAll(s)].map(box);
  return {id: p.closest('[data-case]').dataset.case, size: [r.width, r.height],
          annotations: [...p.querySelectorAll('g.annotation')].map(a => [
            p.layout.annotations[+a.getAttribute('data-index')].name || '', box(a.querySelector('text'))]),
          title: all('.gtitle'), legend: all('.legend .bg'), plot: all('.nsewdrag'), xtitle: all('.xtitle'),
          ticks: all('.xtick text, .ytick text, .angularaxistick text'), points: all('.scatterlayer .point')};
})"""


def _overlap(a, b, tol=1.0):
    return a[0] < b[2] - tol and b[0] < a[2] - tol and a[1] < b[3] - tol and b[1] < a[3] - tol


def _inside(a, size, tol=1.0):
    return a[0] >= -tol and a[1] >= -tol and a[2] <= size[0] + tol and a[3] <= size[1] + tol


FAMILIES = ("radar", "quadrant", "difference", "bars", "gap", "time", "cost", "coverage", "boxes", "percentiles_all",
            "scatter", "net_types", "heatmap", "trend", "summary")


def _figures():
    out = {}
    for lang in cases.LANGS:
        for maker in (cases.maturity_cases, cases.proportion_cases, cases.landscape_cases, cases.network_cases,
                      cases.summary_cases):
            for name, fig in maker(lang):
                if name.startswith(FAMILIES) and fig.data:
                    out[name] = fig
    return out


@pytest.fixture(scope="module")
def drawn(browser):
    figures = _figures()
    parts = "".join(f"<div data-case='{name}'>" + pio.to_html(fig, include_plotlyjs=False, full_html=False) + "</div>"
                    for name, fig in figures.items())
    page_file = ARTIFACTS / "figures_drawn.html"
    ARTIFACTS.mkdir(exist_ok=True)
    page_file.write_text("<html><head><meta charset='utf-8'><script>" + bundle_js()
                         + "</script></head><body>" + parts + "</body></html>", encoding="utf-8")
    page = browser.new_page(viewport={"width": 1366, "height": 900})
    page.goto(page_file.as_uri())
    page.wait_for_function(f"() => document.querySelectorAll('.js-plotly-plot .main-svg').length >= {len(figures)}",
                           timeout=60_000)
    page.wait_for_timeout(500)
    result = {m["id"]: m for m in page.evaluate(MEASURE)}
    page.close()
    assert set(result) == set(figures)
    return result


def test_every_text_is_inside_its_figure(drawn):
    out = []
    for name, m in drawn.items():
        for kind in ("title", "xtitle", "legend", "ticks"):
            out += [f"{name}: {kind} {b}" for b in m[kind] if not _inside(b, m["size"])]
        out += [f"{name}: annotation {n} {b}" for n, b in m["annotations"] if not _inside(b, m["size"])]
    assert not out, "\n".join(out)


def test_no_two_texts_print_over_each_other(drawn):
    out = []
    for name, m in drawn.items():
        texts = [(n or "annotation", b) for n, b in m["annotations"]] + [("title", b) for b in m["title"]]
        out += [f"{name}: {n} over a tick label" for n, b in texts for t in m["ticks"] if _overlap(b, t)]
        for i, (n1, b1) in enumerate(texts):
            out += [f"{name}: {n1} over {n2}" for n2, b2 in texts[i + 1:] if _overlap(b1, b2)]
    assert not out, "\n".join(out)


def test_legend_sits_below_the_axis_title_and_off_the_plot(drawn):
    out = []
    for name, m in drawn.items():
        for legend in m["legend"]:
            for kind in ("plot", "xtitle", "title", "ticks"):
                out += [f"{name}: legend over the {kind}" for b in m[kind] if _overlap(legend, b)]
            out += [f"{name}: legend over a note" for n, b in m["annotations"] if _overlap(legend, b)]
    assert not out, "\n".join(out)


def test_point_labels_stay_off_the_markers_and_notes_off_the_plot(drawn):
    out = []
    for name, m in drawn.items():
        for n, b in m["annotations"]:
            if n == "label":
                out += [f"{name}: label {b} on a marker {p}" for p in m["points"] if _overlap(b, p, tol=1.5)]
            if n in ("note", "key", "direction", "value"):
                out += [f"{name}: {n} on the plot" for p in m["plot"] if _overlap(b, p)]
    assert not out, "\n".join(out)
    assert any(n == "label" for m in drawn.values() for n, _ in m["annotations"])
