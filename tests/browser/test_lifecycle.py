"""A workshop server keeps no kernel of a page that is gone, and a page whose kernel was ended says so.

These tests start their own ``imworkbook app`` with short culling times (seconds instead of minutes), so the
rules can be watched within a test: a page closed, reloaded or left ends its kernel at once (the shutdown
request is accepted: no 403); a page that disappears without a word loses its kernel after the
"disconnected" time; an open page unused for the "idle" time is closed and shows the message with a reload
button, after which the app works again.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

import psutil
import pytest
from playwright.sync_api import Page, expect

from imworkbook.model.content import load_model

from .conftest import ARTIFACTS

N_ITEMS = load_model().n_items  # the example school answers every item

NOTEBOOK = "/voila/render/01_volwassenheid.ipynb"
IDLE_MIN, DISCONNECTED_MIN = 0.4, 0.1  # 24 s and 6 s


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class App:
    def __init__(self, *args: str):
        self.port = _free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.home = Path(tempfile.mkdtemp(prefix="imw-lifecycle-"))
        ARTIFACTS.mkdir(exist_ok=True)
        self.log_path = ARTIFACTS / f"voila-lifecycle-{self.port}.log"
        self.log = open(self.log_path, "w")
        self.proc = subprocess.Popen([sys.executable, "-m", "imworkbook", "app", "--no-browser",
                                      f"--port={self.port}", *args],
                                     stdout=self.log, stderr=subprocess.STDOUT,
                                     env=os.environ | {"IMWORKBOOK_HOME": str(self.home)})
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                urllib.request.urlopen(self.base + "/voila/api/shutdown", timeout=1)
            except urllib.error.HTTPError:
                break
            except OSError:
                time.sleep(0.3)

    def kernels(self) -> set[int]:
        found = set()
        for proc in psutil.Process(self.proc.pid).children(recursive=True):
            try:
                if any("ipykernel" in part for part in proc.cmdline()):
                    found.add(proc.pid)
            except psutil.Error:
                pass
        return found

    def wait_for_kernels(self, count: int, timeout: float) -> int:
        deadline = time.time() + timeout
        while time.time() < deadline:
            if len(self.kernels()) == count:
                return count
            time.sleep(0.5)
        return len(self.kernels())

    def wait_for_log(self, text: str, timeout: float) -> bool:
        deadline = time.time() + timeout
        while time.time() < deadline:
            if text in self.log_path.read_text(errors="replace"):
                return True
            time.sleep(0.5)
        return False

    def refused_requests(self) -> list[str]:
        self.log.flush()
        return re.findall(r"^403 .*$", self.log_path.read_text(errors="replace"), flags=re.MULTILINE)

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        self.log.close()


@pytest.fixture(scope="module")
def app():
    server = App("--pool=0", f"--cull-idle={IDLE_MIN}", f"--cull-disconnected={DISCONNECTED_MIN}")
    yield server
    server.stop()
    assert not server.kernels() if psutil.pid_exists(server.proc.pid) else True


def _ready(page: Page) -> None:
    expect(page.locator(".imw-current select").first).to_be_visible(timeout=90_000)


def test_closing_reloading_and_leaving_a_page_end_its_kernel(app: App, page: Page):
    assert app.wait_for_kernels(0, 10) == 0
    page.goto(app.base + NOTEBOOK)
    _ready(page)
    first = app.kernels()
    assert len(first) == 1

    page.reload()  # the old page says goodbye, the new one gets a new kernel
    _ready(page)
    assert app.wait_for_kernels(1, 15) == 1
    assert app.kernels() != first

    page.goto(app.base + "/voila/render/00_start.ipynb")  # leaving: only the start page's kernel is left
    expect(page.get_by_role("link").first).to_be_visible(timeout=90_000)
    page.go_back()  # Back: werkboek 1 again, with a kernel of its own
    _ready(page)
    assert app.wait_for_kernels(1, 15) == 1

    page.close(run_before_unload=True)  # closing the tab
    assert app.wait_for_kernels(0, 15) == 0
    assert app.refused_requests() == []


def test_a_page_that_vanishes_without_a_goodbye_loses_its_kernel_after_the_disconnected_time(app, browser):
    context = browser.new_context()
    page = context.new_page()
    page.goto(app.base + NOTEBOOK)
    _ready(page)
    assert app.wait_for_kernels(1, 10) == 1
    page.close()  # Playwright's default close runs no unload handler: like a browser that crashed
    assert app.wait_for_kernels(0, DISCONNECTED_MIN * 60 + 40) == 0
    context.close()


def test_an_unused_open_page_is_closed_with_a_message_and_a_reload_continues(app: App, page: Page):
    page.goto(app.base + NOTEBOOK)
    _ready(page)
    message = page.locator("#imw-closed")
    expect(message).to_have_count(0)
    expect(message).to_be_visible(timeout=(IDLE_MIN * 60 + 60) * 1000)
    expect(message).to_have_attribute("role", "alert")
    expect(message).to_contain_text("Deze pagina is gesloten na 0,4 minuten zonder gebruik")
    expect(message).to_contain_text("Je antwoorden zijn bewaard")
    expect(message).to_contain_text("This page was closed")
    button = page.get_by_role("button", name="Pagina herladen · Reload page")
    expect(button).to_be_focused()
    page.screenshot(path=str(ARTIFACTS / "lifecycle_culled_page.png"))
    assert app.wait_for_kernels(0, 10) == 0

    page.keyboard.press("Enter")  # the keyboard alone brings the page back
    _ready(page)
    expect(page.locator("#imw-closed")).to_have_count(0)
    assert app.wait_for_kernels(1, 15) == 1


def test_a_ready_kernel_builds_its_page_when_asked_in_the_language_of_that_moment(browser):
    """A pooled kernel started while the app was Dutch; the participant then chose English: the page is English,
    because the app is built only when the page is requested (imworkbook.apps.page)."""
    pooled = App("--pool=1")
    try:
        # Ready for the start page and werkboek 1: Voila says so once a pooled kernel has started (a kernel process
        # alone is not enough: the page would get a kernel of its own if it came before that moment).
        for notebook in ("00_start.ipynb", "01_volwassenheid.ipynb"):
            assert pooled.wait_for_log(f"Kernel pool of {notebook} is filled", 120), notebook
        page = browser.new_page()
        page.goto(pooled.base + "/voila/render/00_start.ipynb")
        page.get_by_role("button", name="English").first.click(timeout=90_000)
        expect(page.get_by_role("button", name="English").first).to_have_class(re.compile("mod-active"),
                                                                                timeout=30_000)
        page.goto(pooled.base + NOTEBOOK)
        _ready(page)
        expect(page.locator(".imw-progress").first).to_contain_text(f"{N_ITEMS} of {N_ITEMS} answered")
        assert pooled.log_path.read_text().count("Using pre-heated kernel") >= 2
        page.close(run_before_unload=True)
    finally:
        pooled.stop()
