"""Smoke test of the workshop set-up in docs/workshop.md (a manual check, not part of ./scripts/test: it needs
root, creates system users and starts JupyterHub).

    sudo .venv/bin/python scripts/workshop_smoke.py --hub-env /tmp/hubenv --proxy-bin /tmp/chp/node_modules/.bin

Two participants log in with Chromium, each gets the start page as an app and the questionnaire; their answers
land in their own home folder; the facilitator's collection step finds both files.
"""

from __future__ import annotations

import argparse
import os
import pwd
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from playwright.sync_api import expect, sync_playwright

REPO = Path(__file__).resolve().parents[1]
USERS = ["imw1", "imw2"]
PASSWORD = "workshop-smoke"


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--hub-env", required=True, help="venv with jupyterhub and imworkbook installed")
    parser.add_argument("--proxy-bin", required=True, help="folder with configurable-http-proxy")
    parser.add_argument("--port", type=int, default=8765)
    args = parser.parse_args()
    if os.geteuid() != 0:
        sys.exit("needs root (creates users and spawns their servers)")
    for user in USERS:
        try:
            pwd.getpwnam(user)
        except KeyError:
            subprocess.run(["useradd", "-m", "-s", "/bin/bash", user], check=True)
    work = Path(tempfile.mkdtemp(prefix="imw-hub-"))
    env = os.environ | {
        "WORKSHOP_PASSWORD": PASSWORD, "WORKSHOP_USERS": ",".join(USERS), "WORKSHOP_ADMINS": "",
        "HUB_URL": f"http://127.0.0.1:{args.port}",
        "PATH": f"{Path(args.hub_env) / 'bin'}:{args.proxy_bin}:{os.environ['PATH']}",
    }
    env.pop("IMWORKBOOK_HOME", None)
    log = open(work / "hub.log", "w")
    hub = subprocess.Popen([str(Path(args.hub_env) / "bin" / "jupyterhub"), "-f", str(REPO / "docs" / "jupyterhub_config.py")],
                           cwd=work, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{args.port}"
    results = []
    try:
        for _ in range(120):
            try:
                urllib.request.urlopen(base + "/hub/login", timeout=1)
                break
            except OSError:
                time.sleep(0.5)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium",
                                        args=["--no-sandbox", "--headless", "--disable-gpu",
                                              "--disable-background-networking"])
            for user in USERS:
                page = browser.new_context(viewport={"width": 1366, "height": 2400}).new_page()
                start = time.perf_counter()
                page.goto(base + "/hub/login")
                page.fill("#username_input", user)
                page.fill("#password_input", PASSWORD)
                page.click("#login_submit")
                expect(page.locator(".imw-route")).to_have_count(3, timeout=180_000)
                ready = time.perf_counter() - start
                page.screenshot(path=str(work / f"{user}-start.png"))
                page.locator(".imw-route a", has_text="1. Volwassenheid").first.click()
                expect(page.locator(".imw-current select").first).to_be_visible(timeout=120_000)
                page.screenshot(path=str(work / f"{user}-vragenlijst.png"))
                saved = Path(pwd.getpwnam(user).pw_dir) / "imworkbook" / "antwoorden" / "de-regenboog_2026-2027.json"
                owner = pwd.getpwuid(saved.stat().st_uid).pw_name if saved.exists() else None
                results.append((user, round(ready, 1), saved.exists(), owner))
            browser.close()
        # the facilitator's collection step (docs/workshop.md)
        ronde = work / "ronde"
        for user in USERS:
            own = Path(pwd.getpwnam(user).pw_dir) / "imworkbook" / "antwoorden"
            (ronde / user).mkdir(parents=True)
            for f in own.glob("*.json"):
                shutil.copy(f, ronde / user / f.name)
        check = subprocess.run([str(Path(args.hub_env) / "bin" / "imworkbook"), "validate", str(ronde)],
                               capture_output=True, text=True, env=env)
    finally:
        hub.terminate()
        hub.wait(30)
        log.close()
    for user, ready, exists, owner in results:
        print(f"{user}: start page in {ready} s after log-in; answers file in own home: {exists} (owner {owner})")
    print(check.stdout.strip().splitlines()[-1])
    print(f"screenshots and hub log: {work}")
    ok = len(results) == len(USERS) and all(e and o == u for u, _, e, o in results)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
