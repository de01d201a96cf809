"""The report for the board: self-contained, offline, <= 5 MB, honest about what is missing, the priority
rule as documented, the 5-school threshold for the network part, and the CLI (one report and a batch)."""

import json
import re
import shutil

import plotly.offline
import pytest

from imworkbook.analysis.disclosure import MIN_PERCENTILE
from imworkbook.analysis.network import network_frames
from imworkbook.cli import main
from imworkbook.figures.plotlyjs import bundle_js
from imworkbook.io.collect import collect
from imworkbook.io.generate import generate_network
from imworkbook.io.reading import load_answers
from imworkbook.model.answers import Answers, new_answers
from imworkbook.report.board import board_report, save_board_report

from ..conftest import PO_EXAMPLE, VO_EXAMPLE

MAX_BYTES = 2_000_000  # the target is 5 MB; with the app's plotly.js (1.4 MB, figures/plotlyjs.py) about 1.5 MB
PLOTLY_JS = bundle_js()


def _plots(html: str) -> int:
    return html.count("Plotly.newPlot(")


@pytest.fixture(scope="module")
def po(model):
    return load_answers(PO_EXAMPLE, model).answers


@pytest.fixture(scope="module")
def vo(model):
    return load_answers(VO_EXAMPLE, model).answers


def test_full_school_report_is_self_contained_and_small_enough(po, model):
    report = board_report(po, model)
    html = report.html
    assert len(html.encode("utf-8")) <= MAX_BYTES
    assert html.count(PLOTLY_JS[:2000]) == 1  # the app's plotly.js embedded exactly once
    assert plotly.offline.get_plotlyjs()[:2000] not in html  # not plotly's full 4.8 MB
    rest = html.replace(PLOTLY_JS, "")
    assert not re.search(r"(src|href)=['\"]?https?:", rest) and "cdn." not in rest  # nothing from the internet
    assert _plots(html) == 5  # radar, gaps, quadrant, difference, TIME of the applications (no network given)
    assert po.school.name in html and po.round in html
    assert report.missing == []
    assert "Nog niet alles is ingevuld" not in html


def test_half_filled_school_says_what_is_missing(vo, model):
    report = board_report(vo, model)
    # answered = both levels given (or "n.v.t."), as the README defines it
    answered = sum(1 for a in vo.answers.values() if a.current is not None and (a.target is not None or a.current == "nvt"))
    assert 0 < answered < model.n_items
    assert any(f"{answered} van {model.n_items}" in m for m in report.missing)
    assert "Nog niet alles is ingevuld" in report.html
    assert len(report.priorities) >= 1


def test_an_empty_school_still_gets_a_report(model):
    empty = new_answers("Lege School", "po", "2026-2027", pupils=100, model=model)
    report = board_report(empty, model)
    assert f"0 van {model.n_items}" in " ".join(report.missing)
    assert report.priorities.empty and "geen duidelijke voorrang" in report.html
    assert _plots(report.html) == 4 and "Applicaties, nieuwe applicaties en rollen" not in report.html


def test_text_from_the_answers_file_is_escaped(model):
    odd = new_answers("<script>alert(1)</script> School", "po", "2026-2027", model=model)
    html = board_report(odd, model).html
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_english_report(po, model):
    html = board_report(po, model, lang="en").html
    assert "report for the board" in html and "Where to act first" in html and "rapport voor het bestuur" not in html


def test_network_part_respects_the_threshold_for_a_place_in_the_group(tmp_path, po, model):
    generate_network(tmp_path / "net", schools=40, rounds=3, seed=11)
    data = network_frames(collect(tmp_path / "net"))
    n_po = data.schools[(data.schools["sector"] == "po") & (data.schools["round"] == po.round)]["key"].nunique()
    assert n_po >= MIN_PERCENTILE
    report = board_report(po, model, network=data)
    assert _plots(report.html) == 6 and "De school in het netwerk" in report.html
    # only this school and two others of its sector: no statistic, no chart
    few = data.schools[(data.schools["sector"] == "po")]["key"].unique()[:2]
    small = network_frames([d for d in collect(tmp_path / "net").documents
                            if (d["school"]["code"] or "") in set(few)])
    report = board_report(po, model, network=small)
    assert _plots(report.html) == 5 and "te weinig scholen" in report.html.lower()


def test_cli_one_report(tmp_path):
    out = tmp_path / "rapport.html"
    assert main(["report", str(PO_EXAMPLE), "--out", str(out)]) == 0
    assert out.stat().st_size <= MAX_BYTES and "De Regenboog" in out.read_text(encoding="utf-8")


def test_cli_batch_makes_one_report_per_school_and_never_overwrites(tmp_path, capsys):
    generate_network(tmp_path / "net", schools=6, rounds=1, seed=2)
    first = sorted((tmp_path / "net").rglob("*.json"))[0]
    twin = json.loads(first.read_text(encoding="utf-8"))
    twin["school"]["code"] = "99ZZ"  # another school with the same name
    (tmp_path / "net" / "tweeling.json").write_text(json.dumps(twin), encoding="utf-8")
    (tmp_path / "net" / "kapot.json").write_text("{", encoding="utf-8")
    code = main(["report", str(tmp_path / "net"), "--out", str(tmp_path / "uit")])
    reports = sorted((tmp_path / "uit").glob("*.html"))
    assert len(reports) == 7 and code == 1  # one file could not be used: said, not hidden
    err = capsys.readouterr().err
    assert "7 van 7 rapporten" in err and "1 bestand(en) niet gebruikt" in err


def test_report_from_the_app_is_saved_and_offered_as_a_download(tmp_path):
    from imworkbook.apps.questionnaire import vragenlijst

    app = vragenlijst("po", folder=tmp_path)
    path = app.report.make()
    assert path.exists() and path.parent.name == "rapporten"
    assert 'download="de-regenboog_' in app.report.result.value and "data:text/html;base64," in app.report.result.value


def test_report_includes_landscape_proposals_and_roles_when_filled_in(po, model):
    html = board_report(po, model).html
    assert "Applicaties, nieuwe applicaties en rollen" in html
    assert "LeerlingAdmin en Boekhoudpakket" in html  # the register-once finding
    assert "OuderConnect" in html and "Eerst uitzoeken" in html
    assert "IM-coördinator heeft zowel vraagtaken" in html


def test_the_report_escapes_every_value_from_a_file(po, model):
    """The board report is a Jinja2 template with autoescape: a school name or a note with markup stays text."""
    answers = po.model_copy(deep=True)
    answers.school = answers.school.model_copy(update={"name": "<script>alert(1)</script> & Zn"})
    html = board_report(answers, model).html
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt; &amp; Zn" in html


@pytest.mark.parametrize("lang, words", [("nl", ("antwoorden voor één vestiging", "(vestiging 01)")),
                                         ("en", ("answers for one location", "(location 01)"))])
def test_the_report_says_for_what_the_answers_speak(vo, model, lang, words):
    """Issue 15: a board reads 'one location' differently from 'the whole board'."""
    vo = vo.model_copy(deep=True)  # (a module fixture: changed below)
    assert vo.school.scope == "vestiging" and vo.school.location == "01"
    meta = re.search(r"<p class='meta'>(.*?)</p>", board_report(vo, model, lang=lang).html).group(1)
    assert all(w in meta for w in words), meta
    vo.school.scope, vo.school.location = None, None  # not said (an older file): nothing claimed
    meta = re.search(r"<p class='meta'>(.*?)</p>", board_report(vo, model, lang=lang).html).group(1)
    assert words[0] not in meta and words[1] not in meta
