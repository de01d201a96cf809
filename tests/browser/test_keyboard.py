"""The app with the keyboard only (issue 14): from the start page to werkboek 1, an answer changed, and the
board report made and downloaded, with nothing but Tab, Enter, Space and the arrow keys (``page.keyboard``).
Every step checks where the focus is, that it can be seen, and what the element says to a screen reader."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from .conftest import ARTIFACTS

READY = 90_000
ACTIVE = """() => { const e = document.activeElement; if (!e) return null;
  const s = getComputedStyle(e);
  return {tag: e.tagName, text: (e.innerText || e.textContent || '').trim().slice(0, 80),
          href: e.getAttribute('href') || '', cls: e.className && e.className.baseVal === undefined ? e.className : '',
          role: e.getAttribute('role'), expanded: e.getAttribute('aria-expanded'),
          outline: s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2}; }"""


def tab_to(page: Page, matches, what: str, limit: int = 700, key: str = "Tab") -> dict:
    """Press ``key`` until the focused element satisfies ``matches``; fail after ``limit`` presses."""
    for _ in range(limit):
        page.keyboard.press(key)
        active = page.evaluate(ACTIVE)
        if active and matches(active):
            return active
    raise AssertionError(f"{what} not reached with {limit}× {key}")


def test_keyboard_only_from_start_to_board_report(page: Page, own_app, tmp_path):
    voila_url, voila_home = own_app
    (voila_home / "voorkeuren.json").write_text('{"lang": "nl"}', encoding="utf-8")
    page.goto(voila_url + "/voila/render/00_start.ipynb", wait_until="domcontentloaded")
    expect(page.locator(".imw-routes a").first).to_be_visible(timeout=READY)

    # the start page: the first link to werkboek 1, followed with Enter
    link = tab_to(page, lambda a: a["tag"] == "A" and a["href"] == "01_volwassenheid.ipynb", "link to werkboek 1")
    assert link["text"] == "1. Volwassenheid" and link["outline"], link
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"01_volwassenheid\.ipynb$"), timeout=30_000)
    expect(page.locator(".imw-current select").first).to_be_visible(timeout=READY)
    expect(page.locator(".js-plotly-plot").first).to_be_visible(timeout=READY)
    assert page.evaluate("() => document.documentElement.lang") == "nl"
    assert page.title().startswith("1. Volwassenheid")

    # an item: Tab to the first "current level" select, another level with the arrow keys
    first = page.locator(".imw-current select").first
    first_id = first.get_attribute("id")
    tab_to(page, lambda a: a["tag"] == "SELECT" and page.evaluate("() => document.activeElement.id") == first_id,
           "the first current-level select")
    before = first.evaluate("s => s.selectedIndex")
    page.keyboard.press("ArrowUp" if before >= 5 else "ArrowDown")
    expect(first).not_to_have_js_property("selectedIndex", before)
    after = first.evaluate("s => s.selectedIndex")
    expect(page.get_by_text("Opgeslagen om")).to_be_visible(timeout=30_000)
    page.screenshot(path=str(ARTIFACTS / "keyboard_01_item_nl.png"))

    # the collapsed section "Rapport voor het bestuur": a button, opened with Enter
    header = tab_to(page, lambda a: a["text"] == "Rapport voor het bestuur", "the board-report section")
    assert header["role"] == "button" and header["expanded"] == "false" and header["outline"], header
    page.screenshot(path=str(ARTIFACTS / "keyboard_02_section_focused_nl.png"))
    box = page.evaluate("() => { const r = document.activeElement.getBoundingClientRect();"
                        " return {x: r.x, y: r.y, width: r.width, height: r.height}; }")
    page.screenshot(path=str(ARTIFACTS / "keyboard_02b_focus_ring_nl.png"),
                    clip={"x": max(0, box["x"] - 8), "y": max(0, box["y"] - 8),
                          "width": min(700, box["width"] + 16), "height": box["height"] + 16})
    page.keyboard.press("Enter")
    expect(page.get_by_role("button", name="Rapport voor het bestuur", exact=True)).to_have_attribute(
        "aria-expanded", "true")

    # its button, pressed with Space; then the download link, followed with Enter
    make = tab_to(page, lambda a: a["tag"] == "BUTTON" and a["text"] == "Rapport voor het bestuur maken",
                  "the button that makes the report")
    assert make["outline"], make
    page.keyboard.press("Space")
    expect(page.locator("a.imw-download")).to_be_visible(timeout=60_000)
    tab_to(page, lambda a: a["tag"] == "A" and "imw-download" in a["cls"], "the download link", limit=10)
    page.screenshot(path=str(ARTIFACTS / "keyboard_03_report_link_nl.png"))
    with page.expect_download() as info:
        page.keyboard.press("Enter")
    saved = tmp_path / info.value.suggested_filename
    info.value.save_as(saved)
    assert saved.name.endswith("_bestuursrapport.html") and saved.stat().st_size > 10_000
    assert "Waar eerst aan werken" in saved.read_text(encoding="utf-8")
    assert first.evaluate("s => s.selectedIndex") == after  # the answer is still there


def test_keyboard_toggle_buttons_say_pressed_and_switch_language(page: Page, own_app):
    """The language switch (ToggleButtons) with Tab and Space: aria-pressed follows, and the page's
    <html lang> and title follow the language; then back to Dutch the same way."""
    voila_url, voila_home = own_app
    (voila_home / "voorkeuren.json").write_text('{"lang": "nl"}', encoding="utf-8")
    page.goto(voila_url + "/voila/render/06_rollen.ipynb", wait_until="domcontentloaded")
    expect(page.locator(".imw-raci-head").first).to_be_visible(timeout=READY)
    dutch = page.get_by_role("button", name="Nederlands")
    expect(dutch).to_have_attribute("aria-pressed", "true")
    expect(page.get_by_role("button", name="English")).to_have_attribute("aria-pressed", "false")
    cell = page.get_by_role("combobox", name=re.compile(r" — rol IM-coördinator$")).first
    expect(cell).to_be_attached()
    try:
        tab_to(page, lambda a: a["tag"] == "BUTTON" and a["text"] == "English", "the English button")
        page.keyboard.press("Space")
        expect(page.get_by_role("button", name="English")).to_have_attribute("aria-pressed", "true", timeout=30_000)
        expect(page.locator("html")).to_have_attribute("lang", "en", timeout=30_000)
        expect(page).to_have_title(re.compile(r"^6\. Roles"))
        expect(page.get_by_role("combobox", name=re.compile(r" — role IM coordinator$")).first).to_be_attached(
            timeout=30_000)
    finally:
        page.get_by_role("button", name="Nederlands").focus()
        page.keyboard.press("Space")
        expect(page.locator("html")).to_have_attribute("lang", "nl", timeout=30_000)
        expect(page).to_have_title(re.compile(r"^6\. Rollen"))
