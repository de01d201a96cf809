"""Forms that edit exactly what you see (issue 11, point 3), in Chromium: a refused value is reported at its
field, the file is untouched, the form keeps what was typed; the corrected value is saved (and only that)."""

import json
import re
from pathlib import Path

from playwright.sync_api import Page, expect

from .conftest import ARTIFACTS, tall_screenshot

LANDSCAPE = "/voila/render/04_applicaties.ipynb"
PROPORTION = "/voila/render/02_verhouding.ipynb"


def _shot(page: Page, name: str) -> None:
    tall_screenshot(page, name, height=3200)


def _open_file(page: Page, voila_home) -> Path:
    """The answers file the app has open, from its status line ("Geopend: <file>" / "Opgeslagen om …: <file>")."""
    status = page.locator(".imw-status, .imw-status-old").filter(has_text=".json").first
    expect(status).to_be_visible(timeout=90_000)
    name = re.search(r"[\w.-]+\.json", status.inner_text()).group(0)
    found = list((voila_home / "antwoorden").rglob(name))  # the examples' working copies are in voorbeelden/
    assert len(found) == 1, found
    return found[0]


def _chosen(select) -> str:
    """The text of the chosen option (ipywidgets writes spaces as no-break spaces)."""
    return select.evaluate("s => s.options[s.selectedIndex].text").replace("\xa0", " ")


def _costs(path) -> dict:
    return {a["name"]: a.get("cost_year") for a in json.loads(path.read_text(encoding="utf-8"))["landscape"]}


def test_werkboek_4_new_application_with_a_bad_then_a_good_cost(page: Page, voila_url, voila_home):
    page.goto(voila_url + LANDSCAPE, wait_until="domcontentloaded")
    apps = page.locator(".imw-land-apps select")
    expect(apps).to_be_visible(timeout=90_000)
    expect(page.locator(".js-plotly-plot").first).to_be_visible(timeout=90_000)
    save = page.get_by_role("button", name="Applicatie opslaan")
    save.click()  # the form as shown (the first application): the file as the baseline, and a "✓ Opgeslagen"
    result = page.locator(".imw-land-result")
    expect(result).to_contain_text("Opgeslagen", timeout=30_000)
    path = _open_file(page, voila_home)
    before = _costs(path)
    assert len(before) >= 2 and "Roosterpakket" not in before

    apps.select_option(label="+ Nieuwe applicatie…")
    name, cost = page.locator(".imw-land-name input"), page.locator(".imw-land-cost-year input")
    expect(name).to_have_value("", timeout=30_000)
    name.fill("Roosterpakket")
    cost.fill("veel")
    save.click()
    message = page.locator(".imw-land-cost-year").locator("xpath=..").locator(".imw-field-error")
    expect(message).to_contain_text("Kosten per jaar (€): geen getal: 'veel'", timeout=30_000)
    expect(message).to_have_attribute("role", "alert")
    expect(result).to_contain_text("Niet opgeslagen")
    expect(result).not_to_contain_text("✓")  # never "✓ Opgeslagen" beside an error
    expect(page.locator(".imw-status").filter(has_text="✓")).to_have_count(0)
    assert _chosen(apps) == "+ Nieuwe applicatie…"  # still the new one
    expect(name).to_have_value("Roosterpakket")
    expect(cost).to_have_value("veel")
    assert _costs(path) == before
    _shot(page, "forms_04_refused_nl.png")
    page.locator(".imw-land-form").screenshot(path=str(ARTIFACTS / "forms_04_form_refused_nl.png"))

    cost.fill("1.200")
    save.click()
    expect(result).to_contain_text("✓ Opgeslagen", timeout=30_000)
    expect(message).to_have_count(0)
    expect(page.locator(".imw-msg-error")).to_have_count(0)
    assert _chosen(apps) == "Roosterpakket"
    assert _costs(path) == {**before, "Roosterpakket": 1200}
    _shot(page, "forms_04_saved_nl.png")


def test_werkboek_4_in_english_shows_the_message_at_the_field(page: Page, voila_url):
    page.goto(voila_url + LANDSCAPE, wait_until="domcontentloaded")
    expect(page.locator(".imw-land-apps select")).to_be_visible(timeout=90_000)
    page.get_by_role("button", name="English").click()
    try:
        apps = page.locator(".imw-land-apps select")
        expect(page.get_by_role("button", name="Save application")).to_be_visible(timeout=30_000)
        apps.select_option(label="+ New application…")
        page.locator(".imw-land-name input").fill("Timetable")
        page.locator(".imw-land-cost-year input").fill("lots")
        page.get_by_role("button", name="Save application").click()
        message = page.locator(".imw-land-cost-year").locator("xpath=..").locator(".imw-field-error")
        expect(message).to_contain_text("Cost per year", timeout=30_000)
        expect(message).to_contain_text("not saved")
        expect(page.locator(".imw-land-result")).to_contain_text("Not saved")
        _shot(page, "forms_04_refused_en.png")
        page.locator(".imw-land-form").screenshot(path=str(ARTIFACTS / "forms_04_form_refused_en.png"))
    finally:
        page.get_by_role("button", name="Nederlands").click()
        expect(page.get_by_role("button", name="Applicatie opslaan")).to_be_visible(timeout=30_000)


def test_werkboek_2_bad_value_at_the_field_changes_nothing_and_a_good_one_is_saved(page: Page, voila_url, voila_home):
    page.goto(voila_url + PROPORTION, wait_until="domcontentloaded")
    expect(page.locator(".js-plotly-plot").first).to_be_visible(timeout=90_000)
    field = page.locator(".imw-f-hours_im input").first
    expect(field).to_be_visible(timeout=90_000)
    path = _open_file(page, voila_home)
    field.fill("veel")
    field.press("Enter")
    message = page.locator(".imw-f-hours_im").first.locator("xpath=..").locator(".imw-field-error")
    expect(message).to_contain_text("geen getal: 'veel'", timeout=30_000)
    expect(message).to_contain_text("niet opgeslagen")
    expect(message).to_have_attribute("role", "alert")
    expect(page.locator(".imw-status").filter(has_text="✓")).to_have_count(0)  # no stale "✓ Opgeslagen"
    expect(field).to_have_value("veel")
    before = path.read_bytes()
    page.wait_for_timeout(500)
    assert path.read_bytes() == before  # nothing written for the refused value
    _shot(page, "forms_02_refused_nl.png")
    page.locator(".imw-f-hours_im").first.locator("xpath=../..").screenshot(path=str(ARTIFACTS / "forms_02_field_nl.png"))
    field.fill("17")
    field.press("Enter")
    expect(page.locator(".imw-status").filter(has_text="✓ Opgeslagen om")).to_be_visible(timeout=30_000)
    expect(message).to_have_count(0)
    saved = json.loads(path.read_text(encoding="utf-8"))["investment"]["areas"]["visie"]
    assert saved["hours_im"] == 17
    page.get_by_role("button", name="English").click()
    try:
        expect(page.get_by_role("button", name="Next area").first).to_be_visible(timeout=30_000)  # rebuilt
        field = page.locator(".imw-f-hours_im input").first
        expect(field).to_be_visible(timeout=30_000)
        field.fill("lots")
        field.press("Enter")
        message = page.locator(".imw-f-hours_im").first.locator("xpath=..").locator(".imw-field-error")
        expect(message).to_contain_text("not saved", timeout=30_000)
        _shot(page, "forms_02_refused_en.png")
    finally:
        page.get_by_role("button", name="Nederlands").click()
        expect(page.locator(".imw-f-hours_im input").first).to_be_visible(timeout=30_000)
    assert json.loads(path.read_text(encoding="utf-8"))["investment"]["areas"]["visie"]["hours_im"] == 17


def test_werkboek_5_and_6_show_a_refused_amount_at_its_field_in_both_languages(page: Page, voila_url):
    """The amounts of werkboek 5 and the hours of werkboek 6 (messages beside their fields since issue 11)."""
    cases = [("05_nieuwe_app.ipynb", {"nl": "Licentie per jaar (€)", "en": "Licence per year (€)"}, "Eerst uitzoeken"),
             ("06_rollen.ipynb", {"nl": "IM-coördinator", "en": "IM coordinator"}, "IM-coördinator heeft zowel")]
    for notebook, label, ready in cases:
        page.goto(voila_url + "/voila/render/" + notebook, wait_until="domcontentloaded")
        expect(page.get_by_text(ready).first).to_be_visible(timeout=90_000)
        try:
            for lang, typed in (("nl", "veel"), ("en", "lots")):
                if lang == "en":
                    page.get_by_role("button", name="English").click()
                    expect(page.get_by_role("textbox", name=label["en"], exact=True)).to_be_visible(timeout=30_000)
                field = page.get_by_role("textbox", name=label[lang], exact=True)
                field.fill(typed)
                field.press("Enter")
                message = field.locator("xpath=ancestor::div[contains(@class,'widget-vbox')][1]").locator(".imw-field-error")
                # in the screen's language (English said "geen getal" before the problems had codes)
                expect(message).to_contain_text(f"geen getal: '{typed}'" if lang == "nl" else f"not a number: '{typed}'",
                                                timeout=30_000)
                expect(message).to_contain_text("niet opgeslagen" if lang == "nl" else "not saved")
                expect(field).to_have_value(typed)
                _shot(page, f"forms_{notebook[:2]}_refused_{lang}.png")
        finally:
            page.get_by_role("button", name="Nederlands").click()
            expect(page.get_by_role("textbox", name=label["nl"], exact=True)).to_be_visible(timeout=30_000)
