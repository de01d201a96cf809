"""Charts in the app are drawn by the app's own plotly.js (imworkbook/widgets/plot.py), not by the 4.8 MB
jupyterlab-plotly extension: the page never asks for that extension, the chart is drawn, a chart in a closed
section gets its size when the section opens, and the chart's PNG button still saves a picture."""

import re
from pathlib import Path

import plotly
from playwright.sync_api import Page, expect

from .conftest import ARTIFACTS

NOTEBOOK = "/voila/render/01_volwassenheid.ipynb"


def test_charts_come_from_the_apps_own_plotly_js(page: Page, voila_url, tmp_path):
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    encodings: dict[str, str] = {}
    page.on("response", lambda r: encodings.__setitem__(r.url.split("?")[0].rsplit("/", 1)[-1],
                                                       r.headers.get("content-encoding", "")))
    page.goto(voila_url + NOTEBOOK, wait_until="domcontentloaded")
    chart = page.locator(".imw-plot.js-plotly-plot").first
    expect(chart).to_be_visible(timeout=90_000)
    expect(chart.locator("svg.main-svg").first).to_be_visible()
    assert not [u for u in requests if "jupyterlab-plotly" in u], "the plotly extension was loaded after all"
    assert len([u for u in requests if u.endswith("/plotly-imworkbook.min.js")]) == 1
    # sent compressed (imworkbook.cli.server.AppServer): 1.4 MB of JavaScript is ± 0.45 MB over a room's wifi
    assert encodings["plotly-imworkbook.min.js"] == "gzip" and encodings["voila.js"] == "gzip"
    embedded = (Path(plotly.__file__).parent / "package_data" / "plotly.min.js").read_text()[:200]
    assert page.evaluate("() => window.Plotly.version") == re.search(r"v(\d+\.\d+\.\d+)", embedded).group(1)
    width = chart.evaluate("el => el.layout.width")
    assert chart.evaluate("el => el.querySelector('svg.main-svg').getAttribute('width')") == str(width)

    chart.hover()  # the PNG button (plotly.js's toImage) is in the bundle and saves a picture
    with page.expect_download(timeout=30_000) as download:
        chart.locator(".modebar-btn").first.click()
    saved = tmp_path / download.value.suggested_filename
    download.value.save_as(saved)
    assert saved.suffix == ".png" and saved.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_a_chart_in_a_closed_section_is_drawn_at_its_size_when_opened(page: Page, voila_url):
    page.goto(voila_url + "/voila/render/02_verhouding.ipynb", wait_until="domcontentloaded")
    expect(page.locator(".js-plotly-plot").first).to_be_visible(timeout=90_000)
    page.get_by_role("button", name=re.compile("^Wat als")).click()
    section = page.locator(".jupyter-widget-Collapse").filter(has=page.locator(".imw-whatif-invest"))
    chart = section.locator(".imw-plot.js-plotly-plot").first
    expect(chart).to_be_visible(timeout=30_000)
    expect(chart.locator("svg.main-svg").first).to_be_visible()
    width = chart.evaluate("el => el.layout.width || el.clientWidth")
    svg_width = float(chart.evaluate("el => el.querySelector('svg.main-svg').getAttribute('width')"))
    assert abs(svg_width - width) <= 1 and svg_width > 300
    chart.scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / "charts_whatif_open.png"), full_page=False)


def test_a_chart_whose_plotly_js_cannot_be_fetched_says_so_and_keeps_its_table(page: Page, voila_url):
    page.route("**/plotly-imworkbook.min.js", lambda route: route.abort())
    page.goto(voila_url + NOTEBOOK, wait_until="domcontentloaded")
    expect(page.get_by_text("De grafiek kon niet worden geladen").first).to_be_visible(timeout=90_000)
    expect(page.locator(".imw-plot svg")).to_have_count(0)
    expect(page.locator("details.imw-chart-data").first).to_be_attached()  # the same data as a table
