"""Every file the app makes arrives in the browser (issue 10): on a workshop server the participant's
computer is not the server, so a path on the server is no use. For each export: click the button, the
download link appears, the file arrives, and it opens (HTML in the browser, Excel with openpyxl, CSV with
the csv module). Screenshots of each page with its link, in Dutch and English, go to test-artifacts/."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import openpyxl
from playwright.sync_api import Locator, Page, expect

from .conftest import ARTIFACTS

READY = 90_000  # a new page starts a kernel; on a busy 2-core machine that takes a while


def _ready(page: Page, ready: str) -> Locator:
    """What shows the app is there: a button by its name, or ("text:...") a text such as an accordion title."""
    if ready.startswith("text:"):
        return page.get_by_text(ready[5:], exact=True).first
    return page.get_by_role("button", name=ready).first


def _render(page: Page, voila_url: str, notebook: str, ready: str) -> None:
    page.goto(f"{voila_url}/voila/render/{notebook}", wait_until="domcontentloaded")
    expect(_ready(page, ready)).to_be_visible(timeout=READY)


def _link(page: Page, suffix: str) -> Locator:
    """The download link, found as a user of a screen reader finds it: a link named "Download <file>"."""
    link = page.get_by_role("link", name=re.compile(rf"^Download \S.*\.{suffix}$"))
    expect(link).to_be_visible(timeout=60_000)
    expect(link).to_have_class(re.compile(r"\bimw-download\b"))
    return link


def _download(page: Page, link: Locator, tmp_path: Path, keyboard: bool = False) -> Path:
    name = link.get_attribute("download")
    assert link.inner_text().strip().endswith(f"Download {name}")
    with page.expect_download() as info:
        if keyboard:  # an <a href>: reachable with Tab, followed with Enter
            link.focus()
            page.keyboard.press("Enter")
        else:
            link.click()
    assert info.value.suggested_filename == name
    saved = tmp_path / name
    info.value.save_as(saved)
    assert saved.stat().st_size > 0
    return saved


def _shot(page: Page, link: Locator, name: str) -> None:
    """Voila scrolls inside its own panel: bring the link (and the path under it) to the middle, then
    photograph the window."""
    link.evaluate("a => a.scrollIntoView({block: 'center'})")
    page.wait_for_timeout(300)
    page.screenshot(path=str(ARTIFACTS / name))


def _english(page: Page, ready: str) -> None:
    page.get_by_role("button", name="English").click()
    expect(_ready(page, ready)).to_be_visible(timeout=30_000)


def _back_to_dutch(page: Page, ready: str) -> None:
    """The language is remembered in the werkmap; the other browser tests expect Dutch."""
    page.get_by_role("button", name="Nederlands").click()
    expect(_ready(page, ready)).to_be_visible(timeout=30_000)


def test_network_excel_and_csv_download_and_open(page: Page, voila_url, tmp_path):
    """The shareable export holds no names; the facilitator's own adds the validation list, and says so."""
    share = "Deelbaar Excel-bestand (anoniem)"
    _render(page, voila_url, "03_netwerk.ipynb", share)
    expect(page.locator(".js-plotly-plot").first).to_be_visible(timeout=READY)
    page.get_by_role("button", name=share).click()
    link = _link(page, "xlsx")
    expect(page.get_by_text("Vergelijking geëxporteerd.")).to_be_visible()
    expect(page.locator(".imw-server-path")).to_contain_text("Ook bewaard in de werkmap")
    _shot(page, link, "dl_03_network_nl.png")
    book = openpyxl.load_workbook(_download(page, link, tmp_path))
    assert book.sheetnames == ["Lees mij", "Overzicht", "Per groep", "Per item"]
    assert "DEELBAAR" in book["Lees mij"]["A2"].value
    overview = list(book["Overzicht"].iter_rows(values_only=True))
    assert overview[0][0] == "gebied" and len(overview) > 1 and overview[1][0]

    page.get_by_role("button", name="Excel voor de begeleider (met namen)").click()
    link = page.get_by_role("link", name=re.compile(r"^Download \S.*_begeleider\.xlsx$"))
    expect(link).to_be_visible(timeout=60_000)
    own = openpyxl.load_workbook(_download(page, link, tmp_path))
    assert own.sheetnames[-1] == "Validatie" and "BEGELEIDER" in own["Lees mij"]["A2"].value
    assert any("kapot.json" in str(row[0]) for row in own["Validatie"].iter_rows(values_only=True))

    page.get_by_role("button", name="Deelbaar overzicht als CSV (anoniem)").click()
    link = _link(page, "csv")
    saved = _download(page, link, tmp_path, keyboard=True)
    with open(saved, encoding="utf-8-sig", newline="") as fh:  # for Dutch Excel: ';' and a BOM
        rows = list(csv.reader(fh, delimiter=";"))
    assert rows[0][0] == "gebied" and "aantal scholen" in rows[0] and len(rows) > 1

    _english(page, "Shareable Excel file (anonymous)")
    try:
        page.get_by_role("button", name="Shareable overview as CSV (anonymous)").click()
        link = _link(page, "csv")
        expect(page.get_by_text("Comparison exported.")).to_be_visible()
        expect(page.locator(".imw-server-path")).to_contain_text("Also saved in the workbook folder")
        _shot(page, link, "dl_03_network_en.png")
    finally:
        _back_to_dutch(page, share)


def test_one_page_summary_downloads_and_opens_offline(page: Page, voila_url, browser, tmp_path):
    _render(page, voila_url, "02_verhouding.ipynb", "text:Eén pagina voor het bestuur")
    page.get_by_text("Eén pagina voor het bestuur", exact=True).click()  # the accordion
    page.get_by_role("button", name="Opslaan als HTML").click()
    link = _link(page, "html")
    expect(page.get_by_text("Samenvatting opgeslagen als HTML-bestand.")).to_be_visible()
    _shot(page, link, "dl_02_summary_nl.png")
    saved = _download(page, link, tmp_path)
    assert saved.name.endswith("_verhouding.html")
    text = saved.read_text(encoding="utf-8")
    assert "<html" in text and "<title>" in text and "De Regenboog" in text
    offline = browser.new_context(offline=True)  # it must open without internet
    try:
        summary = offline.new_page()
        summary.goto(saved.as_uri())
        expect(summary.locator(".js-plotly-plot .main-svg").first).to_be_visible(timeout=30_000)
        assert "De Regenboog" in summary.title()
    finally:
        offline.close()

    _english(page, "text:One page for the board")
    try:
        page.get_by_text("One page for the board", exact=True).click()
        page.get_by_role("button", name="Save as HTML").click()
        link = _link(page, "html")
        expect(page.get_by_text("Summary saved as an HTML file.")).to_be_visible()
        _shot(page, link, "dl_02_summary_en.png")
    finally:
        _back_to_dutch(page, "text:Eén pagina voor het bestuur")


def test_application_inventory_downloads_as_excel(page: Page, voila_url, tmp_path):
    _render(page, voila_url, "04_applicaties.ipynb", "Exporteren naar Excel")
    expect(page.get_by_text("LeerlingAdmin").first).to_be_visible(timeout=READY)
    page.get_by_role("button", name="Exporteren naar Excel").click()
    link = _link(page, "xlsx")
    expect(page.get_by_text("Excel-lijst gemaakt.")).to_be_visible()
    _shot(page, link, "dl_04_applications_nl.png")
    saved = _download(page, link, tmp_path)
    assert saved.name.endswith("_applicaties.xlsx")
    rows = list(openpyxl.load_workbook(saved)["Applicaties"].iter_rows(values_only=True))
    assert rows[0][0] == "naam"
    assert {"LeerlingAdmin", "Boekhoudpakket"} <= {row[0] for row in rows[1:]}

    _english(page, "Export to Excel")
    try:
        page.get_by_role("button", name="Export to Excel").click()
        link = _link(page, "xlsx")
        expect(page.get_by_text("Excel list made.")).to_be_visible()
        _shot(page, link, "dl_04_applications_en.png")
    finally:
        _back_to_dutch(page, "Exporteren naar Excel")


def test_printed_proposal_downloads_and_opens(page: Page, voila_url, browser, tmp_path):
    _render(page, voila_url, "05_nieuwe_app.ipynb", "Afdrukbare versie maken")
    expect(page.get_by_text("Eerst uitzoeken").first).to_be_visible(timeout=READY)
    page.get_by_role("button", name="Afdrukbare versie maken").click()
    link = _link(page, "html")
    expect(page.get_by_text("Afdrukbare versie gemaakt.")).to_be_visible()
    _shot(page, link, "dl_05_proposal_nl.png")
    saved = _download(page, link, tmp_path)
    assert saved.name.endswith("_advies.html")
    text = saved.read_text(encoding="utf-8")
    assert "<html" in text and "De Regenboog" in text and "Voorstel: " in text and "€ 15.000" in text
    context = browser.new_context(offline=True)
    try:
        printed = context.new_page()
        printed.goto(saved.as_uri())
        expect(printed.locator("h1")).to_contain_text("Voorstel: ")
        expect(printed.get_by_text("Eerst uitzoeken")).to_be_visible()
        printed.screenshot(path=str(ARTIFACTS / "dl_05_proposal_file.png"), full_page=True)
    finally:
        context.close()

    _english(page, "Make a printable version")
    try:  # the same costs in English ('1,800' used to come back as 1.8, and the total as €6,009)
        expect(page.get_by_text("Total cost over 5 years: €15,000")).to_be_visible()
        page.get_by_role("button", name="Make a printable version").click()
        link = _link(page, "html")
        expect(page.get_by_text("Printable version made.")).to_be_visible()
        _shot(page, link, "dl_05_proposal_en.png")
    finally:
        _back_to_dutch(page, "Afdrukbare versie maken")
