"""Accessibility of every app page (issue 14, points 4 and 5): axe-core with the WCAG 2.1 A/AA rules finds
nothing on any of the 8 pages with an example school open, in Dutch and in English; each page says its
language and its werkboek in ``<html lang>`` and ``<title>``, and hides the hint meant for JupyterLab.

axe-core is vendored (``tests/browser/vendor/axe.min.js``, see the README there) and injected by Playwright.
A page's results, and screenshots (1366×900, 1920×1080, and every section opened), go to ``test-artifacts/``."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from .conftest import ARTIFACTS

AXE = Path(__file__).parent / "vendor" / "axe.min.js"
READY = 90_000
WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

# What axe may not look at, each with the reason. Only third-party parts we cannot reasonably change.
EXCLUDE: list[list[str]] = []

# notebook -> (a selector that shows the app is there, Dutch title, English title)
PAGES = {
    "00_start.ipynb": (".imw-routes a", "Werkboek informatiemanagement", "Information management workbook"),
    "01_volwassenheid.ipynb": (".imw-current select", "1. Volwassenheid", "1. Maturity"),
    "02_verhouding.ipynb": (".imw-f-money_per_year input", "2. Verhouding", "2. Proportion"),
    "03_netwerk.ipynb": (".js-plotly-plot", "3. Netwerk", "3. Network"),
    "04_applicaties.ipynb": (".js-plotly-plot", "4. Applicaties", "4. Applications"),
    "05_nieuwe_app.ipynb": (".widget-select-multiple select", "5. Nieuwe applicatie", "5. New application"),
    "06_rollen.ipynb": (".imw-raci-head", "6. Rollen", "6. Roles"),
    "07_samenvoegen.ipynb": (".imw-app button", "7. Samenvoegen", "7. Merge raters"),
}
# the collapsed sections (ipywidgets Accordion) on each page; opened before axe looks (werkboek 2: the allocation
# key, the breakdown of the open area, what-if, the one-page summary and the report)
SECTIONS = {"01_volwassenheid.ipynb": 2, "02_verhouding.ipynb": 5, "03_netwerk.ipynb": 1, "04_applicaties.ipynb": 1}
EXAMPLE_07 = re.compile(r"^(Voorbeeld: drie invullers|Example: three raters)")


def open_page(page: Page, voila_url: str, notebook: str) -> None:
    """The page with its example school open, drawn completely (charts included)."""
    ready = PAGES[notebook][0]
    page.goto(f"{voila_url}/voila/render/{notebook}", wait_until="domcontentloaded")
    expect(page.locator(ready).first).to_be_visible(timeout=READY)
    if notebook.startswith("05"):  # the Ja/Nee buttons are a group named by their question
        technical = re.compile(r"^(Technisch|Technically)")
        group = page.get_by_role("group", name=technical)
        expect(group).to_have_count(1)
        expect(group.get_by_role("button")).to_have_count(3)
    if notebook.startswith("07"):
        page.get_by_role("button", name=EXAMPLE_07).click()
        expect(page.locator(".imw-app .widget-dropdown select").nth(1)).to_be_visible(timeout=30_000)
    if notebook[:2] in ("01", "02", "03", "04"):
        expect(page.locator(".js-plotly-plot .main-svg").first).to_be_visible(timeout=30_000)
    page.wait_for_timeout(1500)  # the last charts and messages settle


def open_everything(page: Page) -> int:
    """Open every collapsed section and every chart table, so that axe checks what is in them too."""
    headers = page.locator(".jupyter-widget-Collapse-header[aria-expanded='false']")
    opened = headers.count()
    for i in range(opened):
        headers.first.click()
        page.wait_for_timeout(300)
    page.evaluate("() => document.querySelectorAll('details.imw-chart-data').forEach(d => d.open = true)")
    if opened:
        expect(page.locator(".jupyter-widget-Collapse-header[aria-expanded='false']")).to_have_count(0)
        page.wait_for_timeout(2000)  # charts inside the sections draw
    return opened


def axe_violations(page: Page) -> list[dict]:
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        """async ([exclude, tags]) => {
             const r = await axe.run({include: [document], exclude: exclude},
                                     {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']});
             return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                                            nodes: v.nodes.map(n => n.target.join(' ')).slice(0, 8),
                                            count: v.nodes.length}));
           }""", [EXCLUDE, WCAG])
    return result


def _set_language(voila_home: Path, lang: str) -> None:
    (voila_home / "voorkeuren.json").write_text(json.dumps({"lang": lang}), encoding="utf-8")


POOLED = {"00_start.ipynb", "01_volwassenheid.ipynb"}  # prepared ahead by the kernel pool (imworkbook.cli.server)


def _check_page(page: Page, voila_url: str, notebook: str, lang: str) -> None:
    if notebook not in POOLED:  # the page as sent already says its language (not only after the head script)
        raw = page.request.get(f"{voila_url}/voila/render/{notebook}").text()
        assert f'<html lang="{lang}">' in raw, raw[:300]
    open_page(page, voila_url, notebook)
    _, title_nl, title_en = PAGES[notebook]
    stem = notebook.removesuffix(".ipynb")
    page.screenshot(path=str(ARTIFACTS / f"a11y_{stem}_{lang}.png"))
    size = page.viewport_size  # the same first view on a wide screen (issue 14: 1366×900 and 1920×1080)
    page.set_viewport_size({"width": 1920, "height": 1080})
    page.wait_for_timeout(800)  # charts without a fixed width follow their box
    page.screenshot(path=str(ARTIFACTS / f"a11y_{stem}_{lang}_1920.png"))
    page.set_viewport_size(size)
    sections = open_everything(page)
    assert sections == SECTIONS.get(notebook, 0), f"{notebook}: {sections} collapsed sections"
    pressed = page.evaluate("""() => [...document.querySelectorAll('.widget-toggle-buttons button')]
        .map(b => [b.classList.contains('mod-active'), b.getAttribute('aria-pressed')])""")
    assert pressed and all(state == ("true" if active else "false") for active, state in pressed), pressed
    if notebook.startswith("05"):  # the Ja/Nee buttons are a group named by their question
        technical = re.compile(r"^(Technisch|Technically)")
        group = page.get_by_role("group", name=technical)
        expect(group).to_have_count(1)
        expect(group.get_by_role("button")).to_have_count(3)
    if notebook.startswith("07"):  # each level choice says for which item it is
        current = re.compile(r"^School: (huidig|current) — \S.*\?$")
        expect(page.get_by_role("combobox", name=current).first).to_be_visible()
    if notebook.startswith("02"):  # the sliders of "Wat als…?" say what they set, for which area
        importance = re.compile(r"^Belang — \S" if lang == "nl" else r"^Importance — \S")
        expect(page.get_by_role("slider", name=importance)).to_have_count(8)
    # Voila scrolls in its own panel: a tall window shows the opened sections
    page.set_viewport_size({"width": size["width"], "height": 4000})
    page.wait_for_timeout(500)
    page.screenshot(path=str(ARTIFACTS / f"a11y_{stem}_{lang}_open.png"))
    page.set_viewport_size(size)
    violations = axe_violations(page)
    (ARTIFACTS / f"axe_{stem}_{lang}.json").write_text(json.dumps(violations, indent=1, ensure_ascii=False))
    assert page.evaluate("() => document.documentElement.lang") == lang
    assert page.title().startswith(title_nl if lang == "nl" else title_en), page.title()
    assert stem not in page.title()
    hint = page.get_by_text("Run All Cells")  # the hint for JupyterLab is in the notebook, not shown in the app
    expect(hint.first).to_be_attached()
    expect(hint.filter(visible=True)).to_have_count(0)
    summary = {v["id"]: v["count"] for v in violations}
    assert violations == [], f"axe-core (WCAG 2.1 A/AA) on {notebook} [{lang}]: {summary}\n" + \
        "\n".join(f"{v['id']} ({v['impact']}): {v['help']}: {v['nodes']}" for v in violations)


@pytest.mark.parametrize("notebook", list(PAGES))
def test_page_has_no_wcag_violations_dutch(page: Page, own_app, notebook):
    voila_url, voila_home = own_app
    _set_language(voila_home, "nl")
    _check_page(page, voila_url, notebook, "nl")


@pytest.mark.parametrize("notebook", list(PAGES))
def test_page_has_no_wcag_violations_english(page: Page, own_app, notebook):
    voila_url, voila_home = own_app
    _set_language(voila_home, "en")
    try:
        _check_page(page, voila_url, notebook, "en")
    finally:
        _set_language(voila_home, "nl")
