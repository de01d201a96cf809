"""The app's own plotly.js (imworkbook/widgets/plot.py): the bundle in the template matches the Python plotly
package and holds every chart type the app draws, and a chart's text can never break out of its page."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import plotly
import plotly.graph_objects as go
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from imworkbook.apps import plot
from imworkbook.figures.plotlyjs import BUNDLE

REPO = Path(__file__).resolve().parents[2]


def _banner() -> str:
    return BUNDLE.read_text(encoding="utf-8")[:400]


def test_the_bundle_is_the_plotly_js_version_of_the_python_package():
    embedded = (Path(plotly.__file__).parent / "package_data" / "plotly.min.js").read_text(encoding="utf-8")[:200]
    version = re.search(r"plotly\.js v(\d+\.\d+\.\d+)", embedded).group(1)
    assert f"plotly.js v{version} " in _banner(), \
        f"plotly {plotly.__version__} draws with plotly.js {version}: rebuild with scripts/build_plotly.sh"
    pinned = json.loads((REPO / "tools" / "plotly-bundle" / "package.json").read_text())["dependencies"]["plotly.js"]
    assert pinned == version, "tools/plotly-bundle/package.json pins another plotly.js than the Python package's"


def test_the_bundle_holds_exactly_the_trace_types_the_app_allows():
    traces = set(re.search(r"traces: ([a-z,]+);", _banner()).group(1).split(","))
    assert traces == set(plot.TRACES)
    entry = (REPO / "tools" / "plotly-bundle" / "entry.js").read_text(encoding="utf-8")
    registered = set(re.findall(r"require\('plotly\.js/lib/([a-z]+)'\)", entry)) - {"core"}
    assert registered | {"scatter"} == set(plot.TRACES)  # scatter is in plotly.js's core
    assert len(BUNDLE.read_bytes()) < 2_000_000, "the partial bundle grew towards the full one (4.8 MB)"


def test_a_chart_type_outside_the_bundle_is_refused_with_the_remedy(tmp_path):
    pie = go.Figure(go.Pie(values=[1, 2]))
    with pytest.raises(ValueError, match="pie.*tools/plotly-bundle"):
        plot.figure_output(pie, {})
    from imworkbook.report import board as report

    with pytest.raises(ValueError, match="pie"):  # the reports embed the same bundle
        report._fig_html(pie)


def test_the_app_charts_use_only_bundled_trace_types():
    """Every figure the apps draw for the example schools goes through figure_output, which refuses other types;
    here the figure functions are called directly with example data, so a new chart type fails here first."""
    from imworkbook import figures
    from imworkbook.analysis.scoring import area_scores
    from imworkbook.io.reading import load_answers
    from imworkbook.io.workspace import list_examples
    from imworkbook.model.content import load_model

    model = load_model()
    for path in list_examples():
        answers = load_answers(path, model).answers
        scores = area_scores(answers, model, "nl")
        for fig in (figures.radar(scores, lang="nl"), figures.gap_bars(scores, lang="en")):
            plot.figure_spec_json(fig, {})


@settings(max_examples=150, deadline=None)
@given(st.text())
def test_no_chart_text_can_end_the_script_or_change_on_the_way(title):
    fig = go.Figure(go.Bar(x=[1], y=[title]), layout={"title": {"text": title}})
    out = plot.figure_output(fig, {"locale": "nl"}, failed=title)
    page = out["data"]["text/html"]
    spec_part = page.split('class="imw-plot-spec">', 1)[1].split("</script>", 1)[0]
    assert "<" not in spec_part and ">" not in spec_part and "&" not in spec_part
    spec = plot.output_spec(out)
    assert spec["layout"]["title"]["text"] == title and spec["data"][0]["y"] == [title]
    assert page.count("<script") == 2 and page.count("</script>") == 2
    failed = re.search(r'data-failed="([^"]*)"', page).group(1)
    assert html.unescape(failed) == title


def test_a_chart_keeps_its_size_before_plotly_js_has_drawn_it():
    out = plot.figure_output(go.Figure(go.Scatter(x=[1], y=[2]), layout={"width": 480, "height": 300}), {})
    assert 'style="width:480px;height:300px;"' in out["data"]["text/html"]
