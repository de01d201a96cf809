"""Accessibility of the apps on the Python side (issue 14): every RACI select and every field under a question
has a name for screen readers, and every chart has its text alternative (a table of its data) beside it."""

import re

import ipywidgets as W

from imworkbook.apps.proposals import nieuwe_app
from imworkbook.apps.questionnaire import vragenlijst
from imworkbook.apps.roles import rollen


def test_every_raci_select_is_named_by_task_and_role(tmp_path):
    app = rollen("po", folder=tmp_path)
    assert len(app.cells) == len(app.roles.tasks) * len(app.roles.roles)
    task, role = app.roles.tasks[0], app.roles.roles[2]
    cell = app.cells[(task.id, role.id)]
    assert cell.description == f"{task.label('nl')} — rol {role.label('nl')}"
    assert all(d.description and "imw-sr-label" in d._dom_classes for d in app.cells.values())
    assert len({d.description for d in app.cells.values()}) == len(app.cells)  # no two the same
    english = rollen("po", folder=tmp_path, lang="en")
    assert english.cells[(task.id, role.id)].description == f"{task.label('en')} — role {role.label('en')}"


def test_fields_under_a_question_are_named_by_it(tmp_path):
    app = nieuwe_app("po", folder=tmp_path)
    for widget, number in ((app.f_goal, 1), (app.f_activities, 2), (app.f_objects, 4)):
        assert widget.description.startswith(f"{number}. ") and "imw-sr-label" in widget._dom_classes


def _table(box: W.Box) -> str:
    assert isinstance(box.children[0], W.Output) and isinstance(box.children[1], W.HTML)
    return box.children[1].value


def test_every_chart_has_a_table_of_its_data(tmp_path):
    app = vragenlijst("po", folder=tmp_path)
    radar = _table(app.radar_box)
    assert radar.startswith('<details class="imw-chart-data"><summary>Tabel bij de grafiek: ')
    scores = app.scores()
    first_area = str(app.radar_fig.data[0].theta[0])
    assert re.sub(r"<[^>]+>", " ", first_area).split()[0] in radar
    current = float(app.radar_fig.data[0].r[0])
    value = f"{current:.0f}" if current.is_integer() else f"{current:.1f}".replace(".", ",")  # decimal comma
    assert f"<td>{value}</td>" in radar
    assert radar.count("<tr>") - 1 >= len(scores)  # one row per area and series (header row not counted)
    item = app.model.areas[0].items[0].id
    card = app.cards[item]
    card.current.value = 1 if card.current.value != 1 else 5
    assert _table(app.radar_box) != radar  # follows the chart
    assert "Table for the chart" in _table(vragenlijst("po", folder=tmp_path, lang="en").radar_box)


def test_chart_table_leaves_out_zones_and_reference_lines_and_unescapes_labels(tmp_path):
    from imworkbook.apps.charts import chart_table_html
    from imworkbook.apps.investment import verhouding

    app = verhouding("po", folder=tmp_path)
    quadrant = chart_table_html(app.figs["quadrant"], "nl")
    assert "In balans (zone)" not in quadrant and "Precies in verhouding" not in quadrant
    assert "<th scope=\"col\">Aandeel in het belang (ambitie)</th>" in quadrant  # the axis titles head the columns
    assert "<td>Privacy &amp; IBP</td>" in quadrant and "&amp;amp;" not in quadrant  # escaped once
    assert quadrant.count("<tr>") - 1 == 8  # one row per area
    bars = chart_table_html(app.figs["bars"], "nl")
    assert "€ 2" not in bars  # the text labels above the bars are not rows of their own


def test_a_heat_map_is_a_grid_table_with_row_and_column_heads(tmp_path):
    from imworkbook.apps.charts import chart_table_html
    from imworkbook.apps.landscape import applicaties

    fig = applicaties("po", folder=tmp_path, lang="en").figs["coverage"]
    table = chart_table_html(fig, "en")
    trace = fig.data[0]
    assert table.count('<th scope="col">') == len(trace.x)
    assert table.count('<th scope="row">') == len(trace.y)
    assert "<th scope=\"row\">Monitoring pupils&#x27; progress</th>" in table  # the chart's label, escaped once
