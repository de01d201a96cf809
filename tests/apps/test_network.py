"""The facilitator app on the committed example network."""

import pytest

from imworkbook.apps.network import netwerk


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
    assert "boxes" not in app.figs  # no chart at all, and the place of the chart says why
    assert "pas bij minstens 6" in app.boxes["boxes"].children[0].value
    app.group.value = ""
    assert not app.errors


def test_round_switch_and_export(app, werkmap):
    app.round.value = app.round.options[0]
    assert app.school.value in {k for _, k in app.school.options}
    path = app.export("xlsx")
    assert path.exists() and path.parent == werkmap / "rapporten"
    assert not app.errors


def _boxes_drawn(app):
    return [tr for tr in app.figs["boxes"].data if tr.type == "box"] if "boxes" in app.figs else []


def test_the_sentence_and_the_charts_say_what_the_anonymity_rule_shows(app):
    """For every group: the count and the sentence above the charts agree with what the rule releases and with
    what the charts draw (the example network has groups of 3, 5, 7, 20, 35 and 40 schools, some withheld)."""
    from imworkbook.analysis.disclosure import OK, WOULD_BETRAY
    from imworkbook.analysis.network import group_status, select

    seen = set()
    for _label, value in app.group.options:
        app.group.value = value
        sector, band, scope = app._group()
        status = group_status(app.data, app.round.value, sector, band, scope)
        n = select(app.data, app.round.value, sector, band, scope=scope)["key"].nunique()
        info = app.info.value
        if all(s == OK for s in status.values()):
            assert f"Getoond: {n} scholen" in info and _boxes_drawn(app)
            seen.add("shown")
        elif not any(s == OK for s in status.values()):
            assert info.startswith("<p>Niets getoond") and f"telt {n} scholen" in info
            assert not _boxes_drawn(app) and "scholen in deze ronde en groep" not in info
            for chart in ("boxes", "heatmap", "percentiles"):  # no empty axes saying something else: the same sentence
                assert "Niets getoond" in app.boxes[chart].children[0].value and chart not in app.figs
            why = "kleinere groep kunnen uitrekenen" if WOULD_BETRAY in status.values() else "pas bij minstens 6"
            assert why in info
            seen.add(next(s for s in status.values()))
    assert seen == {"shown", "te weinig scholen", WOULD_BETRAY}  # the example network has all three cases
    app.group.value = ""
    assert not app.errors


def test_the_school_list_follows_the_chosen_group(app):
    from imworkbook.analysis.network import select

    for _label, value in app.group.options:
        app.group.value = value
        sector, band, scope = app._group()
        members = set(select(app.data, app.round.value, sector, band, scope=scope)["key"])
        offered = {k for _, k in app.school.options if k}
        assert offered == members
        assert app.school.value in members | {""}
    app.group.value = ""


def test_a_failed_load_is_said_under_its_button_and_gone_after_the_next_load(app):
    good = app.folder.value
    app.folder.value = "/bestaat/niet"
    app.load_button.click()
    assert "niet gevonden" in app.load_msg.value and 'role="alert"' in app.load_msg.value
    assert app.messages.value == ""
    app.folder.value = good
    app.load_button.click()
    assert app.load_msg.value == "" and not app.errors
