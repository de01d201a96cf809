"""The facilitator app on the committed example network."""

import pytest

from imworkbook.widgets.network import netwerk


@pytest.fixture(scope="module")
def app():
    return netwerk()


def test_report_comes_first_with_counts_and_the_broken_files(app):
    assert "geweigerd" in app.report.value and "kapot.json" in app.report.value
    assert app.report.value.index("bestanden:") < app.report.value.index("kapot.json")
    assert not app.errors


def test_comparison_shows_the_highlighted_school_by_name_only(app):
    name = dict((v, k) for k, v in app.school.options)[app.school.value]
    boxes = app.figs["boxes"]
    assert any(tr.name == name for tr in boxes.data if tr.type == "scatter")
    heat = app.figs["heatmap"]
    labels = list(heat.data[0].y)
    assert name in labels and sum(not str(label).startswith("S-") for label in labels) == 1


def test_small_group_gets_no_statistics(app):
    app.group.value = "band:>1000"
    fig = app.figs["boxes"]
    assert not [tr for tr in fig.data if tr.type == "box"]
    assert any("te weinig" in a.text.lower() for a in fig.layout.annotations)
    app.group.value = ""
    assert not app.errors


def test_round_switch_and_export(app, werkmap):
    app.round.value = app.round.options[0]
    assert app.school.value in {k for _, k in app.school.options}
    path = app.export("xlsx")
    assert path.exists() and path.parent == werkmap / "rapporten"
    assert not app.errors
