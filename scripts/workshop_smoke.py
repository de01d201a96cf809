"""Smoke test of the workshop set-up in docs/workshop.md, as a facilitator would run it (a manual check, not part of
./scripts/test: it needs root, creates system users, starts JupyterHub and takes about 4 minutes).

    sudo .venv/bin/python scripts/workshop_smoke.py [--hub-env /opt/imworkbook-hub] [--install-checkout]

Needs the hub environment of docs/workshop.md step 1-2 (jupyterhub, jupyterhub-idle-culler, imworkbook, and
configurable-http-proxy in <hub-env>/proxy), playwright in the Python that runs this script (the development
environment: pip install -e ".[test]"), and /usr/bin/chromium.
Everything it makes is temporary: its own state folder (not /srv/imworkbook-hub), three participants and a
facilitator made with scripts/workshop_users.py (removed again with its `verwijder`), its own port.

What it checks:
1. three participants log in at the same moment (Chromium, own name and password) and reach the start page;
   timing per participant from the log-in click;
2. each opens werkboek 1 (the example school), makes their own school and answers one question;
3. isolation: homes 0700 and answers files 0600 owned by the participant; participant A cannot read B's home or
   answers as a system user (what werkboek 3's folder field would do); a participant's password does not log in
   as another participant or as the facilitator; links a participant puts in their werkmap make root touch nothing
   (neither when their server is prepared nor when the facilitator collects);
4. code-free: for a participant /user/A/lab, /user/A/tree, /user/A/api/terminals are not served (404) and
   /hub/admin is refused (403); the app page has the log-out link; the facilitator does get /hub/admin and JupyterLab;
5. memory per participant (PSS of all their processes: server and kernels) with werkboek 1 open;
6. collection (scripts/workshop_collect.sh): exactly the three participants' schools, no example school;
7. idle: after the browsers are gone, the kernels end (WorkshopKernelManager) and then the servers are stopped by
   jupyterhub-idle-culler (short timeouts here: 0.5 min for kernels, 1 min for servers).
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import json
import os
import pwd
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from playwright.async_api import async_playwright, expect

REPO = Path(__file__).resolve().parents[1]
PARTICIPANTS = ["imwsmoke1", "imwsmoke2", "imwsmoke3"]
FACILITATOR = "imwsmokebeg"
SCHOOLS = {"imwsmoke1": "De Linde", "imwsmoke2": "Het Kompas", "imwsmoke3": "De Vlinder"}
START = "/voila/render/imworkbook/notebooks/00_start.ipynb"

checks: list[tuple[str, bool, str]] = []


def check(name: str, ok: bool, detail: str = "") -> bool:
    checks.append((name, bool(ok), detail))
    print(f"[{'ok' if ok else 'FOUT'}] {name}" + (f": {detail}" if detail else ""), flush=True)
    return ok


def pss_mb(uid: int) -> tuple[float, int]:
    """Total PSS (MB) of all processes of ``uid``, and how many there are."""
    total, count = 0, 0
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            if os.stat(f"/proc/{pid}").st_uid != uid:
                continue
            with open(f"/proc/{pid}/smaps_rollup") as fh:
                for line in fh:
                    if line.startswith("Pss:"):
                        total += int(line.split()[1])
                        count += 1
                        break
        except OSError:
            continue
    return total / 1024, count


def processes(uid: int, word: str = "") -> int:
    n = 0
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            if os.stat(f"/proc/{pid}").st_uid == uid and word in open(f"/proc/{pid}/cmdline").read():
                n += 1
        except OSError:
            continue
    return n


def as_user(user: str, *cmd: str) -> subprocess.CompletedProcess:
    return subprocess.run(["runuser", "-u", user, "--", *cmd], capture_output=True, text=True)


async def participant(browser, base: str, user: str, password: str, shots: Path, t0: float) -> dict:
    context = await browser.new_context(viewport={"width": 1366, "height": 1600})
    page = await context.new_page()
    out: dict = {"user": user}
    await page.goto(base + "/hub/login")
    if user == PARTICIPANTS[0]:
        await page.screenshot(path=str(shots / "hub-login.png"))
    await page.fill("#username_input", user)
    await page.fill("#password_input", password)
    await asyncio.sleep(max(0.0, t0 - time.time()))  # the three click at the same moment
    start = time.perf_counter()
    await page.click("#login_submit")
    await expect(page.locator(".imw-route")).to_have_count(3, timeout=240_000)
    out["start_page_s"] = round(time.perf_counter() - start, 1)
    out["logout_link"] = await page.locator("#imw-hub-bar a[href$='hub/logout']").count() == 1
    await page.screenshot(path=str(shots / f"{user}-start.png"))
    await page.locator(".imw-route a", has_text="1. Volwassenheid").first.click()
    await expect(page.locator(".imw-current select").first).to_be_visible(timeout=240_000)
    out["werkboek1_s"] = round(time.perf_counter() - start, 1)
    # their own school: '+ Nieuwe school…', a name, Aanmaken; then one answer (saved at once)
    await page.locator("select").filter(has_text="+ Nieuwe school").first.select_option(label="+ Nieuwe school…")
    await page.get_by_label("Naam van de school").first.fill(SCHOOLS[user])  # the new-school form comes first
    await page.get_by_role("button", name="Aanmaken").click()
    await expect(page.get_by_label("Naam van de school").nth(1)).to_have_value(SCHOOLS[user], timeout=60_000)
    await page.locator(".imw-current select").first.select_option(index=2)
    await expect(page.get_by_text("Opgeslagen om").first).to_be_visible(timeout=60_000)
    await page.screenshot(path=str(shots / f"{user}-werkboek1.png"))
    # code-free and no admin: asked with the participant's own cookies
    for path, want in ((f"/user/{user}/lab", 404), (f"/user/{user}/tree", 404),
                       (f"/user/{user}/api/terminals", 404), ("/hub/admin", 403)):
        response = await page.request.get(base + path, max_redirects=0)
        out[path] = (response.status, want)
    other = next(u for u in PARTICIPANTS if u != user)
    response = await page.request.get(base + f"/user/{other}/api/contents", max_redirects=0)
    out["other_server"] = response.status
    out["context"] = context
    return out


async def browsers(base: str, cards: dict[str, str], shots: Path, results: dict) -> None:
    async with async_playwright() as p:
        browser = await p.chromium.launch(
            executable_path="/usr/bin/chromium",
            args=["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run"])
        t0 = time.time() + 3
        outs = await asyncio.gather(*(participant(browser, base, u, cards[u], shots, t0) for u in PARTICIPANTS))
        results["participants"] = outs
        # memory with werkboek 1 open, all three still connected
        results["pss"] = {u: pss_mb(pwd.getpwnam(u).pw_uid) for u in PARTICIPANTS}
        # a participant's password never logs in as someone else, nor as the facilitator
        ctx = await browser.new_context()
        page = await ctx.new_page()
        refused = []
        for name in (PARTICIPANTS[1], FACILITATOR):
            await page.goto(base + "/hub/login")
            await page.fill("#username_input", name)
            await page.fill("#password_input", cards[PARTICIPANTS[0]])
            await page.click("#login_submit")
            await page.wait_for_load_state()
            refused.append("/hub/login" in page.url and await page.locator("#login_submit").count() == 1)
        results["wrong_password_refused"] = all(refused)
        # the facilitator: the hub's admin page and the full JupyterLab
        await page.goto(base + "/hub/login")
        await page.fill("#username_input", FACILITATOR)
        await page.fill("#password_input", cards[FACILITATOR])
        await page.click("#login_submit")
        await expect(page.locator(".imw-route")).to_have_count(3, timeout=240_000)
        results["facilitator_admin"] = (await page.request.get(base + "/hub/admin")).status
        results["facilitator_lab"] = (await page.request.get(base + f"/user/{FACILITATOR}/lab")).status
        await page.get_by_role("button", name="English").click()  # the app in English (remembered for this user)
        await expect(page.get_by_text("In a workshop").first).to_be_visible(timeout=60_000)
        await page.wait_for_timeout(1000)
        await page.screenshot(path=str(shots / f"{FACILITATOR}-start-en.png"))
        await ctx.close()
        for out in outs:  # the browsers go away without saying goodbye (laptops closed)
            await out.pop("context").close()
        await browser.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--hub-env", default="/opt/imworkbook-hub", help="the hub's environment (docs/workshop.md)")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--install-checkout", action="store_true",
                        help="first install this checkout into the hub environment (pip --no-deps)")
    parser.add_argument("--idle-wait", type=float, default=240, help="seconds to wait for servers to be culled")
    args = parser.parse_args()
    if os.geteuid() != 0:
        sys.exit("needs root (creates users and spawns their servers)")
    env_dir = Path(args.hub_env)
    if args.install_checkout:
        subprocess.run([str(env_dir / "bin" / "pip"), "install", "--quiet", "--no-deps", "--force-reinstall",
                        str(REPO)], check=True)
    work = Path(tempfile.mkdtemp(prefix="imw-hub-smoke-"))
    state = work / "state"
    env = {k: v for k, v in os.environ.items() if k not in ("IMWORKBOOK_HOME", "PYTHONPATH")}
    env |= {
        "WORKSHOP_STATE": str(state), "HUB_URL": f"http://127.0.0.1:{args.port}",
        "WORKSHOP_CULL_KERNEL": "0.5", "WORKSHOP_CULL_SERVER": "1", "WORKSHOP_CULL_EVERY": "15",
        "WORKSHOP_ACTIVITY_INTERVAL": "10", "IMWORKBOOK": str(env_dir / "bin" / "imworkbook"),
    }
    base = f"http://127.0.0.1:{args.port}"
    users_script = [sys.executable, str(REPO / "scripts" / "workshop_users.py")]
    subprocess.run([*users_script, "maak", "--namen", ",".join(PARTICIPANTS), "--begeleider", FACILITATOR,
                    "--adres", base], env=env, check=True, capture_output=True)
    cards_csv = next(state.glob("inloggegevens-*.csv"))
    cards = {row["naam"]: row["wachtwoord"] for row in csv.DictReader(cards_csv.open(encoding="utf-8"), delimiter=";")}
    log = open(work / "hub.log", "w")
    hub = subprocess.Popen([str(env_dir / "bin" / "jupyterhub"), "-f", str(REPO / "docs" / "jupyterhub_config.py")],
                           cwd="/", env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    results: dict = {}
    shots = work / "screenshots"
    shots.mkdir()
    try:
        for _ in range(120):
            try:
                urllib.request.urlopen(base + "/hub/login", timeout=1)
                break
            except OSError:
                time.sleep(0.5)
        check("hub state outside the checkout",
              (state / "jupyterhub.sqlite").exists() and not (REPO / "jupyterhub.sqlite").exists()
              and stat.S_IMODE(state.stat().st_mode) == 0o700, str(state))
        # a participant's links must never make root touch other files: not when their server is prepared
        # (docs/jupyterhub_config.py: prepare_home) and not when the facilitator collects
        bait = work / "alleen-root.json"
        bait.write_text("{}")
        os.chmod(bait, 0o600)
        sly = PARTICIPANTS[2]
        sly_home = pwd.getpwnam(sly).pw_dir
        as_user(sly, "mkdir", "-p", f"{sly_home}/imworkbook/antwoorden")
        as_user(sly, "ln", "-s", str(bait), f"{sly_home}/imworkbook/koppeling.ipynb")
        as_user(sly, "ln", "-s", str(bait), f"{sly_home}/imworkbook/antwoorden/koppeling.json")
        asyncio.run(browsers(base, cards, shots, results))
        st = bait.stat()
        check(f"{sly}: links in the werkmap leave root's files alone", st.st_uid == 0
              and stat.S_IMODE(st.st_mode) == 0o600, f"owner uid {st.st_uid}, mode {oct(stat.S_IMODE(st.st_mode))}")
        for out in results["participants"]:
            user = out["user"]
            check(f"{user}: start page, werkboek 1 and own school", True,
                  f"start page {out['start_page_s']} s after the log-in click, werkboek 1 at {out['werkboek1_s']} s")
            check(f"{user}: log-out link in the app", out["logout_link"])
            for path in (f"/user/{user}/lab", f"/user/{user}/tree", f"/user/{user}/api/terminals", "/hub/admin"):
                got, want = out[path]
                check(f"{user}: {path} refused", got == want, f"HTTP {got}")
            check(f"{user}: another participant's server refused", out["other_server"] in (403, 404),
                  f"HTTP {out['other_server']}")
        check("a participant's password logs in as nobody else (participant or facilitator)",
              results["wrong_password_refused"])
        check("facilitator: /hub/admin and JupyterLab", results["facilitator_admin"] == 200
              and results["facilitator_lab"] == 200,
              f"HTTP {results['facilitator_admin']} and {results['facilitator_lab']}")
        for user in PARTICIPANTS:
            mb, n = results["pss"][user]
            check(f"{user}: memory with werkboek 1 open", mb > 0, f"PSS {mb:.0f} MB in {n} processes")
        # file permissions: private homes and answers
        a, b = PARTICIPANTS[0], PARTICIPANTS[1]
        home_b = Path(pwd.getpwnam(b).pw_dir)
        answers_b = sorted((home_b / "imworkbook" / "antwoorden").glob("*.json"))
        check(f"{b}: answers file saved in own home", len(answers_b) == 1, ", ".join(p.name for p in answers_b))
        modes = {p: stat.S_IMODE(p.stat().st_mode) for p in [home_b, *answers_b]}
        check(f"{b}: home 0700, answers 0600, owner {b}",
              modes[home_b] == 0o700 and all(m == 0o600 for p, m in modes.items() if p != home_b)
              and all(pwd.getpwuid(p.stat().st_uid).pw_name == b for p in answers_b),
              ", ".join(f"{p.name} {oct(m)}" for p, m in modes.items()))
        if answers_b:
            read = as_user(a, "cat", str(answers_b[0]))
            listing = as_user(a, "ls", str(home_b / "imworkbook" / "antwoorden"))
            check(f"{a} cannot read {b}'s answers or list their folder (werkboek 3's folder field)",
                  read.returncode != 0 and listing.returncode != 0, (read.stderr or listing.stderr).strip())
        # collection: exactly the participants' schools
        out_dir = work / "verzameld"
        collected = subprocess.run(["bash", str(REPO / "scripts" / "workshop_collect.sh"), str(out_dir)],
                                   env=env, capture_output=True, text=True)
        (work / "verzamel.log").write_text(collected.stdout + collected.stderr)
        names = subprocess.run(
            [str(env_dir / "bin" / "python"), "-c",
             "import json, sys; from imworkbook.io.collect import collect; r = collect(sys.argv[1]); "
             "print(json.dumps(sorted(d['school']['name'] for d in r.documents)))", str(out_dir)],
            capture_output=True, text=True, env=env)
        found = json.loads(names.stdout or "[]")
        check("collection: exactly the participants' schools, no example", collected.returncode == 0
              and found == sorted(SCHOOLS.values()), f"{found}; validate: "
              + (collected.stdout.strip().splitlines() or ["?"])[-1])
        # idle: kernels end, then servers are stopped by the culler
        t_closed = time.perf_counter()
        uids = {u: pwd.getpwnam(u).pw_uid for u in [*PARTICIPANTS, FACILITATOR]}
        kernels_gone = servers_gone = None
        while time.perf_counter() - t_closed < args.idle_wait:
            if kernels_gone is None and all(processes(uid, "ipykernel") == 0 for uid in uids.values()):
                kernels_gone = time.perf_counter() - t_closed
            if all(processes(uid, "jupyterhub-singleuser") == 0 for uid in uids.values()):
                servers_gone = time.perf_counter() - t_closed
                break
            time.sleep(2)
        check("idle: kernels of the closed pages ended", kernels_gone is not None,
              f"after {kernels_gone:.0f} s" if kernels_gone is not None else "still running")
        check("idle: servers stopped by jupyterhub-idle-culler", servers_gone is not None,
              f"after {servers_gone:.0f} s" if servers_gone is not None else "still running")
    finally:
        hub.send_signal(signal.SIGTERM)
        try:
            hub.wait(90)
        except subprocess.TimeoutExpired:
            os.killpg(hub.pid, signal.SIGKILL)
        log.close()
        removed = subprocess.run([*users_script, "verwijder", "--ja"], env=env, capture_output=True, text=True)
        check("users removed again (workshop_users.py verwijder)", removed.returncode == 0,
              (removed.stdout.strip().splitlines() or [removed.stderr.strip()])[-1])
        shutil.rmtree(state, ignore_errors=True)
    failed = [c for c in checks if not c[1]]
    print(f"\n{len(checks) - len(failed)} passed, {len(failed)} failed")
    print(f"screenshots, hub log and collection: {work}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
