"""Serve a notebook with Voila and drive it with Playwright in Debian's Chromium.

No browser download is needed (they fail here): Playwright launches the system
Chromium through ``executable_path``. Without Chromium these tests are skipped,
except under CI (``CI=true``), where a missing browser is a failure.
"""

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
ARTIFACTS = REPO / "test-artifacts"
CHROMIUM = os.environ.get("CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"


def pytest_collection_modifyitems(config, items):
    if Path(CHROMIUM).exists():
        return
    if os.environ.get("CI"):
        raise pytest.UsageError(f"CI needs Chromium for the browser tests; not found at {CHROMIUM}")
    skip = pytest.mark.skip(reason=f"Chromium not found ({CHROMIUM}); install it with: apt-get install chromium")
    for item in items:
        if "browser" in str(item.fspath):
            item.add_marker(skip)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": CHROMIUM,
            "args": ["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking",
                     "--disable-component-update", "--no-first-run", "--disable-sync"]}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": {"width": 1366, "height": 900}, "locale": "nl-NL"}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def voila_home():
    return Path(tempfile.mkdtemp(prefix="imworkbook-voila-home-"))


@contextlib.contextmanager
def serve_app(home: Path, log_name: str = "voila.log"):
    """The app as a user starts it (``imworkbook app``) on the werkmap ``home``; yields the base URL."""
    port = _free_port()
    log = open(ARTIFACTS.mkdir(exist_ok=True) or ARTIFACTS / log_name, "w")
    env = os.environ | {"IMWORKBOOK_HOME": str(home)}
    proc = subprocess.Popen([sys.executable, "-m", "imworkbook", "app", "--no-browser", f"--port={port}"],
                            stdout=log, stderr=subprocess.STDOUT, env=env)
    base = f"http://127.0.0.1:{port}"
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            urllib.request.urlopen(base + "/voila/api/shutdown", timeout=1)
        except urllib.error.HTTPError:
            break  # the server answers
        except OSError:
            time.sleep(0.3)
            continue
        break
    try:
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


@pytest.fixture(scope="session")
def voila_url(voila_home):
    """The app with its own empty werkmap (shared by the tests of the session); yields the base URL."""
    with serve_app(voila_home) as base:
        yield base


@pytest.fixture(scope="module")
def own_app():
    """A server on a werkmap of its own, for tests that leave files behind (examples opened, reports made)
    that other tests do not expect; yields (base URL, werkmap)."""
    home = Path(tempfile.mkdtemp(prefix="imworkbook-voila-own-"))
    with serve_app(home, "voila-own.log") as base:
        yield base, home


def tall_screenshot(page, name: str, height: int = 3000) -> None:
    """Voila scrolls inside its own panel, so make the window tall enough to show the whole app."""
    size = page.viewport_size
    page.set_viewport_size({"width": size["width"], "height": height})
    page.wait_for_timeout(300)
    page.screenshot(path=str(ARTIFACTS / name))
    page.set_viewport_size(size)
