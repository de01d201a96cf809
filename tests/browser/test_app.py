"""The maturity notebook served as an app: answer, see the radar redraw, reload, answer still there."""

import json
import time

import pytest

from playwright.sync_api import Page, expect

from imworkbook.model.content import load_model

from .conftest import ARTIFACTS, tall_screenshot

N_ITEMS = load_model().n_items  # the example school answers every item

NOTEBOOK = "/voila/render/01_volwassenheid.ipynb"
GAP_X = "() => { const p = document.querySelectorAll('.js-plotly-plot')[1]; return p && p.data ? Array.from(p.data[0].x).join(';') : null; }"
RADAR_CURRENT_R0 = "() => { const p = document.querySelectorAll('.js-plotly-plot')[0];" \
                   " return p && p.data && p.data.length > 0 ? p.data[0].r[0] : null; }"


def _open(page: Page, url: str) -> float:
    start = time.perf_counter()
    page.goto(url, wait_until="domcontentloaded")
    expect(page.locator(".js-plotly-plot").first).to_be_visible(timeout=90_000)
    expect(page.locator(".imw-current select").first).to_be_visible(timeout=90_000)
    return time.perf_counter() - start


def test_answer_redraws_radar_and_persists_after_reload(page: Page, voila_url, voila_home):
    ready = _open(page, voila_url + NOTEBOOK)
    (ARTIFACTS / "timing.txt").write_text(f"voila page ready: {ready:.2f} s\n")
    expect(page.locator(".imw-progress")).to_contain_text(f"{N_ITEMS} van {N_ITEMS} beantwoord")
    tall_screenshot(page, "01_ready.png")

    first = page.locator(".imw-current select").first
    before_index = first.evaluate("s => s.selectedIndex")  # 0 = "— kies —", 1..5 = the levels
    new_index = 5 if before_index == 1 else 1
    target_label = first.evaluate(f"s => s.options[{new_index}].text")  # labels use no-break spaces
    r_before, gap_before = page.evaluate(RADAR_CURRENT_R0), page.evaluate(GAP_X)
    first.select_option(index=new_index)
    page.wait_for_function(f"() => ({RADAR_CURRENT_R0})() !== {r_before}", timeout=30_000)
    page.wait_for_function(f"() => ({GAP_X})() !== '{gap_before}'", timeout=30_000)
    assert page.evaluate(RADAR_CURRENT_R0) != r_before
    expect(page.locator(".imw-levels td.cur").first).to_be_visible()
    expect(page.get_by_text("Opgeslagen om")).to_be_visible(timeout=10_000)
    tall_screenshot(page, "02_after_change.png")

    saved = list((voila_home / "antwoorden" / "voorbeelden").glob("*.json"))  # your copy of the example school
    assert [p.name for p in saved] == ["de-regenboog_2026-2027.json"]
    assert not list((voila_home / "antwoorden").glob("*.json"))  # ... is not one of your schools (issue 17)

    again = _open(page, voila_url + NOTEBOOK)  # a new page = a new kernel that reads the saved file
    with open(ARTIFACTS / "timing.txt", "a") as fh:
        fh.write(f"voila page ready again (new kernel, server warm): {again:.2f} s\n")
    reloaded = page.locator(".imw-current select").first
    assert reloaded.evaluate("s => s.selectedIndex") == new_index
    assert reloaded.evaluate("s => s.options[s.selectedIndex].text") == target_label
    page.screenshot(path=str(ARTIFACTS / "03_after_reload.png"), full_page=True)


def test_keyboard_moves_to_next_area(page: Page, voila_url):
    _open(page, voila_url + NOTEBOOK)
    button = page.get_by_role("button", name="Volgend gebied").first
    button.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_text("Rollen, taken, verantwoordelijkheden en bevoegdheden —")).to_be_visible(timeout=30_000)


def test_proportion_app_rejects_text_at_the_field_and_redraws_on_a_number(page: Page, voila_url):
    page.goto(voila_url + "/voila/render/02_verhouding.ipynb", wait_until="domcontentloaded")
    expect(page.locator(".js-plotly-plot").first).to_be_visible(timeout=90_000)
    field = page.locator(".imw-f-money_per_year input").first
    expect(field).to_be_visible(timeout=90_000)
    field.fill("veel")
    field.press("Enter")
    expect(page.get_by_text("geen getal: 'veel'")).to_be_visible(timeout=30_000)
    quadrant_y = ("() => { const p = document.querySelectorAll('.js-plotly-plot')[0];"
                  " return p.data.slice(2).map(t => Array.from(t.y).join(',')).join('|'); }")
    before = page.evaluate(quadrant_y)
    field.fill("25.000")
    field.press("Enter")
    page.wait_for_function(f"() => ({quadrant_y})() !== {before!r}", timeout=30_000)
    expect(page.get_by_text("geen getal: 'veel'")).to_be_hidden()
    tall_screenshot(page, "04_proportion.png")


def test_facilitator_app_shows_the_report_first_and_compares_anonymously(page: Page, voila_url):
    page.goto(voila_url + "/voila/render/03_netwerk.ipynb", wait_until="domcontentloaded")
    expect(page.locator(".imw-report").first).to_be_visible(timeout=90_000)
    expect(page.get_by_text("fouten/kapot.json").first).to_be_visible()
    expect(page.locator(".js-plotly-plot").first).to_be_visible(timeout=90_000)
    heat = ("() => { const p = [...document.querySelectorAll('.js-plotly-plot')]"
            ".find(p => p.data && p.data[0] && p.data[0].type === 'heatmap');"
            " return p ? p.data[0].y.filter(y => !String(y).startsWith('S-')).length : -1; }")
    page.wait_for_function(f"() => ({heat})() === 1", timeout=30_000)  # only the chosen school by name
    tall_screenshot(page, "05_network.png")


def test_start_page_routes_language_switch_and_nothing_from_the_internet(page: Page, voila_url, voila_home):
    outside: list[str] = []
    page.on("request", lambda r: outside.append(r.url) if not r.url.startswith((voila_url, "data:", "blob:")) else None)
    page.goto(voila_url + "/voila/render/00_start.ipynb", wait_until="domcontentloaded")
    routes = page.locator(".imw-route")
    expect(routes).to_have_count(3, timeout=90_000)
    expect(routes.nth(0)).to_contain_text("In een workshop")
    expect(routes.nth(2)).to_contain_text("begeleider")
    tall_screenshot(page, "00_start.png")
    try:
        page.locator(".imw-route a", has_text="1. Volwassenheid").first.click()
        expect(page.locator(".imw-current select").first).to_be_visible(timeout=90_000)
        expect(page.get_by_text("Huidig niveau").first).to_be_visible()
        page.get_by_role("button", name="English").click()
        expect(page.get_by_text("Current level").first).to_be_visible(timeout=30_000)
        expect(page.get_by_text("Huidig niveau")).to_have_count(0)
        expect(page.locator(".js-plotly-plot").first).to_be_visible(timeout=30_000)
        expect(page.locator(".imw-progress")).to_contain_text(f"{N_ITEMS} of {N_ITEMS} answered")
        tall_screenshot(page, "04_english.png")
        assert '"lang": "en"' in (voila_home / "voorkeuren.json").read_text()
        page.reload(wait_until="domcontentloaded")  # the choice is remembered by the next page
        expect(page.get_by_text("Current level").first).to_be_visible(timeout=90_000)
    finally:  # back to Dutch for the other tests
        page.get_by_role("button", name="Nederlands").click()
        expect(page.get_by_text("Huidig niveau").first).to_be_visible(timeout=30_000)
    assert outside == [], f"requests outside the app (it must work offline): {outside}"


def test_board_report_downloads_and_opens_offline(page: Page, voila_url, browser, tmp_path):
    _open(page, voila_url + NOTEBOOK)
    page.get_by_text("Rapport voor het bestuur", exact=True).click()  # the accordion
    page.get_by_role("button", name="Rapport voor het bestuur maken").click()
    link = page.locator("a.imw-download")
    expect(link).to_be_visible(timeout=60_000)
    with page.expect_download() as info:
        link.click()
    saved = tmp_path / info.value.suggested_filename
    info.value.save_as(saved)
    assert saved.name.endswith("_bestuursrapport.html") and saved.stat().st_size <= 5_000_000
    offline = browser.new_context(offline=True)  # no network at all: everything must be in the file
    report = offline.new_page()
    report.goto(saved.as_uri())
    expect(report.locator(".js-plotly-plot")).to_have_count(5, timeout=30_000)  # incl. the TIME quadrant
    expect(report.locator(".js-plotly-plot .main-svg").first).to_be_visible()
    expect(report.get_by_text("Waar eerst aan werken")).to_be_visible()
    report.screenshot(path=str(ARTIFACTS / "06_report_offline.png"), full_page=True)
    offline.close()


def test_two_raters_are_merged_into_the_school_answer(page: Page, voila_url, voila_home):
    page.goto(voila_url + "/voila/render/07_samenvoegen.ipynb", wait_until="domcontentloaded")
    page.get_by_role("button", name="Voorbeeld: drie invullers van De Regenboog").click(timeout=90_000)
    expect(page.get_by_text("Invullers die meedoen:")).to_be_visible(timeout=30_000)
    page.get_by_role("checkbox", name="IM-coördinator").uncheck()  # two raters: head and ICT coordinator
    expect(page.get_by_text(f"2 invullers, {N_ITEMS} items")).to_be_visible(timeout=30_000)
    first = page.locator(".widget-dropdown select").nth(1)  # the first 'School: huidig' choice
    for _ in range(3):  # the rows are rebuilt after the checkbox; choose again if a rebuild replaced ours
        first.select_option(index=3)  # 0 = "— kies —", so index 3 = level 3
        page.wait_for_timeout(500)
        if first.evaluate("s => s.selectedIndex") == 3:
            break
    tall_screenshot(page, "07_merge.png")
    school_file = voila_home / "antwoorden" / "voorbeelden" / "de-regenboog_2026-2027.json"  # example raters' merge
    existed = school_file.exists()  # the other tests opened the example school, so usually it does
    page.get_by_role("button", name="Samenvoegen en opslaan als antwoord van de school").click()
    if existed:  # never replaced without asking
        expect(page.get_by_text("Er is al een antwoordenbestand van de school")).to_be_visible(timeout=30_000)
        page.get_by_role("checkbox", name="een bestaand schoolbestand vervangen").check()
        page.get_by_role("button", name="Samenvoegen en opslaan als antwoord van de school").click()
    expect(page.get_by_text("Opgeslagen als het antwoord van de school")).to_be_visible(timeout=30_000)
    if existed:
        assert list(school_file.parent.glob("de-regenboog_2026-2027.origineel-*.json"))
    merged = json.loads(school_file.read_text(encoding="utf-8"))
    assert "rater" not in merged and merged["answers"]["visie.ambitieniveau"]["current"] == 3
    assert "Verschil tussen invullers" in merged["answers"]["visie.ambitieniveau"]["note"]


@pytest.mark.parametrize("notebook, marker, shot", [
    ("04_applicaties.ipynb", "vastgelegd in LeerlingAdmin en Boekhoudpakket", "08_applicaties.png"),
    ("05_nieuwe_app.ipynb", "Eerst uitzoeken", "09_nieuwe_app.png"),
    ("06_rollen.ipynb", "IM-coördinator heeft zowel vraagtaken", "10_rollen.png"),
])
def test_landscape_proposal_and_roles_apps_show_their_findings(page: Page, voila_url, notebook, marker, shot):
    page.goto(voila_url + "/voila/render/" + notebook, wait_until="domcontentloaded")
    expect(page.get_by_text(marker).first).to_be_visible(timeout=90_000)
    if notebook.startswith("04"):
        expect(page.locator(".js-plotly-plot").first).to_be_visible(timeout=30_000)
    tall_screenshot(page, shot)
