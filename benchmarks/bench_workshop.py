"""A workshop room on one server: page-ready times under a burst, kernels left behind, memory per participant.

Starts ``imworkbook app`` exactly as a user does (own empty werkmap, own port), drives Debian's Chromium with
Playwright, and prints one table with a column per server configuration, so the effect of a setting is read
side by side from one run:

    .venv/bin/python benchmarks/bench_workshop.py                       # default app vs. no kernel pool
    .venv/bin/python benchmarks/bench_workshop.py --participants 20 --config "pool 4=--pool 4"

What is measured, per configuration:

- **one page**: werkboek 1 opened alone, three times (median); ready = a chart and the first level field visible;
- **burst**: N participants open werkboek 1 at the same moment (each its own browser context = its own
  cookies, as separate computers have): p50, p95 and max page-ready time, and pages that failed (not ready
  within 120 s);
- **memory per participant**: proportional set size (PSS, shared pages split fairly) of the server and all its
  kernels with the N pages open, minus the idle server, divided by N;
- **kernels after visits**: 20 page visits (open, then reload, navigate away or close the tab, in turn), all
  pages closed, then ``--settle`` seconds later the number of kernels alive, next to the idle baseline (the
  preheated pool), and the number of ``403`` answers in the server log.

- **server only**: the same burst without browsers (the page's HTML complete);
- **a room of laptops**: N participants open werkboek 1 at the same moment, each on a computer of their own,
  as in a workshop. One of them is Chromium on this machine and is timed (page ready as above); the others
  are ``Laptop``s: every request a page makes of the server (the page, its ± 90 files, the kernel connection
  and all widgets), without the drawing that their own laptop does. ``--room-rounds`` fresh rooms (the pool
  refilled each time) give as many measured pages.

In the burst the ten browsers run on the same two cores as the server: pessimistic figures for a room where
every participant has a computer of their own, which is what the room of laptops measures. Not a test:
nothing here asserts; see the README for targets.
"""

from __future__ import annotations

import argparse
import asyncio
import gzip
import http.cookiejar
import json
import os
import re
import shlex
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path
from urllib.parse import urlencode

import psutil

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
NOTEBOOK = "/voila/render/01_volwassenheid.ipynb"
READY_TIMEOUT_MS = 120_000


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """``imworkbook app`` in a subprocess with its own werkmap and log."""

    def __init__(self, extra_args: list[str], log_path: Path):
        self.port = _free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.home = Path(tempfile.mkdtemp(prefix="imw-bench-home-"))
        self.log_path = log_path
        self.log = open(log_path, "w")
        env = os.environ | {"IMWORKBOOK_HOME": str(self.home)}
        self.proc = subprocess.Popen([sys.executable, "-m", "imworkbook", "app", "--no-browser",
                                      f"--port={self.port}", *extra_args],
                                     stdout=self.log, stderr=subprocess.STDOUT, env=env)

    def wait_until_answering(self, timeout: float = 90) -> None:
        deadline = time.time() + timeout
        while time.time() < deadline:
            try:
                urllib.request.urlopen(self.base + "/voila/api/shutdown", timeout=1)
            except urllib.error.HTTPError:
                return
            except OSError:
                time.sleep(0.3)
        raise RuntimeError(f"server did not answer within {timeout} s; see {self.log_path}")

    def tree(self) -> list[psutil.Process]:
        try:
            root = psutil.Process(self.proc.pid)
            return [root, *root.children(recursive=True)]
        except psutil.NoSuchProcess:
            return []

    def kernels(self) -> int:
        count = 0
        for proc in self.tree():
            try:
                if any("ipykernel" in part for part in proc.cmdline()):
                    count += 1
            except psutil.Error:
                pass
        return count

    def pss_mb(self) -> float:
        total = 0
        for proc in self.tree():
            try:
                total += proc.memory_full_info().pss
            except psutil.Error:
                pass
        return total / 2**20

    def settle(self, quiet_for: float = 8, timeout: float = 180) -> int:
        """Wait until the number of kernels has not changed for ``quiet_for`` seconds and CPU is quiet."""
        deadline = time.time() + timeout
        last, since = self.kernels(), time.time()
        used = _server_cpu(self)
        while time.time() < deadline:
            time.sleep(1)
            now, before, used = self.kernels(), used, _server_cpu(self)
            busy = used - before > 0.2  # more than 20 % of a core in the last second
            if now != last or busy:
                last, since = now, time.time()
            elif time.time() - since >= quiet_for:
                break
        return last

    def refilled(self, baseline: int, timeout: float = 180) -> None:
        """Wait until the preheated pool is full again and no page's kernel is left (``baseline`` kernels), then
        until the server is quiet."""
        deadline = time.time() + timeout
        while self.kernels() != baseline and time.time() < deadline:
            time.sleep(1)
        self.settle(quiet_for=3)

    def count_in_log(self, pattern: str) -> int:
        self.log.flush()
        return len(re.findall(pattern, self.log_path.read_text(errors="replace"), flags=re.MULTILINE))

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
        self.log.close()
        shutil.rmtree(self.home, ignore_errors=True)  # the werkmap made for this run


def _server_cpu(server: Server) -> float:
    used = _cpu_seconds(server)
    return used["server"] + used["kernels"]


# Moments in the page's life, in ms since navigation start: set by a MutationObserver (first widget, first chart
# drawn) and read from the Navigation/Resource Timing API (HTML complete, kernel connection opened).
_MARKS_INIT = """
  window.__imw = {};
  new MutationObserver(() => {
    const m = window.__imw, t = performance.now();
    if (!m.widget && document.querySelector('.jupyter-widgets')) m.widget = t;
    if (!m.chart && document.querySelector('.js-plotly-plot .main-svg')) m.chart = t;
  }).observe(document, {subtree: true, childList: true});"""
_MARKS_READ = """() => {
  const n = performance.getEntriesByType('navigation')[0];
  const ws = performance.getEntriesByType('resource').find(e => e.name.includes('/api/kernels/'));
  return {html: n.responseEnd, scripts: n.loadEventEnd, kernel: ws ? ws.startTime : null,
          widget: window.__imw.widget || null, chart: window.__imw.chart || null};
}"""
PHASES = (("html", "HTML complete (server: kernel from the pool, app built, page rendered)"),
          ("scripts", "page scripts loaded (Voila, widgets, plotly.js)"),
          ("kernel", "connection to the kernel opened"),
          ("widget", "first widget drawn"),
          ("chart", "first chart drawn"))


async def _open(browser, url: str, marks: dict | None = None,
                files: list[str] | None = None) -> tuple[float | None, object]:
    """Open ``url`` in a new context (its own cookies and cache); ``files`` collects what the page fetched."""
    context = await browser.new_context(viewport={"width": 1366, "height": 900}, locale="nl-NL")
    page = await context.new_page()
    if files is not None:
        origin = _origin(url)
        page.on("request", lambda r: files.append(r.url[len(origin):]) if r.url.startswith(origin) and
                "/api/" not in r.url and r.url != url else None)
    if marks is not None:
        await page.add_init_script(_MARKS_INIT)
    start = time.perf_counter()
    try:
        await page.goto(url, wait_until="domcontentloaded", timeout=READY_TIMEOUT_MS)
        await page.locator(".js-plotly-plot").first.wait_for(state="visible", timeout=READY_TIMEOUT_MS)
        await page.locator(".imw-current select").first.wait_for(state="visible", timeout=READY_TIMEOUT_MS)
        seconds = time.perf_counter() - start
        if marks is not None:
            marks.update(await page.evaluate(_MARKS_READ))
        return seconds, context
    except Exception as exc:  # noqa: BLE001 - a page that does not become ready is a failure to count
        print(f"   page failed: {type(exc).__name__}: {str(exc).splitlines()[0]}", flush=True)
        return None, context


async def _close(context) -> None:
    """Close the tab as a person does: the page's unload handlers run (Playwright skips them by default)."""
    for page in context.pages:
        await page.close(run_before_unload=True)
    await asyncio.sleep(0.5)
    await context.close()


_KERNEL_ID = re.compile(rb'"kernelId":\s*"([0-9a-f-]+)"')  # in the page's jupyter-config-data


def _page_kernel(body: bytes) -> str | None:
    """The id of the kernel a page's HTML was made with, or None."""
    found = _KERNEL_ID.search(body)
    return found.group(1).decode() if found else None


def _origin(url: str) -> str:
    return url.split("/voila/")[0]


def _fetch(url: str) -> float | None:
    """The page's HTML as a browser gets it, timed; then the page is left as a closed tab leaves it (the shutdown
    request with its ``_xsrf`` cookie), so its kernel does not linger into the next measurement."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    start = time.perf_counter()
    try:
        with opener.open(url, timeout=READY_TIMEOUT_MS / 1000) as response:
            body = response.read()
    except OSError:
        return None
    seconds = time.perf_counter() - start
    # complete (our template's footer) and with the app's widget in it (not a page without its output)
    complete = b"imw-closed" in body and b"application/vnd.jupyter.widget-view+json" in body
    kernel = _page_kernel(body)
    if kernel:
        xsrf = next((c.value for c in jar if c.name == "_xsrf"), "")
        try:
            opener.open(f"{_origin(url)}/voila/api/shutdown/{kernel}",
                        data=urlencode({"_xsrf": xsrf}).encode(), timeout=30).close()
        except OSError:
            pass
    return seconds if complete else None


_WS_PROTOCOL = "v1.kernel.websocket.jupyter.org"  # what Voila's page speaks to its kernel


class Laptop:
    """A participant with a computer of their own, as the server sees it: the requests of one page, no drawing.

    What Chromium's page does against the server, in the same order (recorded from a real page, see
    ``_open``): the page (its kernel comes from the pool and has run the notebook), every file the page
    loads, compressed as a browser asks (six at a time, a browser's limit per server), the page's check of
    its kernel, the kernel connection with ``kernel_info``, and the widget manager's ``request_states`` whose
    answer holds every widget of the page. Ready = that answer arrived; drawing is the laptop's own work.
    Leaving = the shutdown request the page sends when it is closed (with its ``_xsrf`` cookie).
    """

    def __init__(self, base: str, files: list[str]):
        from tornado.httpclient import AsyncHTTPClient

        self.base, self.files = base, files
        self.http = AsyncHTTPClient(force_instance=True, max_clients=6)
        self.cookies: dict[str, str] = {}
        self.kernel: str | None = None
        self.session = uuid.uuid4().hex
        self.ws = None

    def _headers(self) -> dict[str, str]:
        return {"Accept-Encoding": "gzip", "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}

    async def _get(self, url: str):
        response = await self.http.fetch(url, headers=self._headers(), decompress_response=False,
                                         request_timeout=READY_TIMEOUT_MS / 1000, raise_error=True)
        for header in response.headers.get_list("Set-Cookie"):
            name, _, rest = header.partition("=")
            self.cookies[name.strip()] = rest.split(";")[0]
        return response

    def _send(self, channel: str, msg_type: str, content: dict, metadata: dict | None = None) -> None:
        from jupyter_server.services.kernels.connection.base import serialize_msg_to_ws_v1

        header = {"msg_id": uuid.uuid4().hex, "username": "", "session": self.session, "msg_type": msg_type,
                  "version": "5.3", "date": time.strftime("%Y-%m-%dT%H:%M:%S.000Z", time.gmtime())}
        parts = [json.dumps(x).encode() for x in (header, {}, metadata or {}, content)]
        self.ws.write_message(serialize_msg_to_ws_v1(parts, channel), binary=True)

    async def _until(self, channel: str, msg_type: str, method: str | None = None) -> None:
        from jupyter_server.services.kernels.connection.base import deserialize_msg_from_ws_v1

        while True:
            message = await self.ws.read_message()
            if message is None:
                raise ConnectionError("kernel connection closed")
            got, parts = deserialize_msg_from_ws_v1(message)
            if got != channel or json.loads(parts[0]).get("msg_type") != msg_type:
                continue
            if method is None or json.loads(parts[3]).get("data", {}).get("method") == method:
                return

    async def open(self, path: str) -> float | None:
        from tornado.httpclient import HTTPRequest
        from tornado.websocket import websocket_connect

        start = time.perf_counter()
        try:
            page = await self._get(self.base + path)
            body = page.body
            if page.headers.get("Content-Encoding") == "gzip":
                body = gzip.decompress(body)
            self.kernel = _page_kernel(body)
            if not self.kernel or b"application/vnd.jupyter.widget-view+json" not in body:
                raise ValueError("page without its kernel or its widget")
            await asyncio.gather(*(self._get(self.base + f) for f in self.files))
            await self._get(f"{self.base}/api/kernels/{self.kernel}")
            ws_base = self.base.replace("http", "ws", 1)
            request = HTTPRequest(f"{ws_base}/api/kernels/{self.kernel}/channels?session_id={self.session}",
                                  headers=self._headers(), request_timeout=READY_TIMEOUT_MS / 1000)
            self.ws = await websocket_connect(request, subprotocols=[_WS_PROTOCOL], max_message_size=2**28)
            self._send("shell", "kernel_info_request", {})
            await self._until("shell", "kernel_info_reply")
            comm = uuid.uuid4().hex
            control = {"version": "1.0.0"}  # the widget control protocol of ipywidgets 8
            self._send("shell", "comm_open", {"comm_id": comm, "target_name": "jupyter.widget.control", "data": {}},
                       control)
            self._send("shell", "comm_msg", {"comm_id": comm, "data": {"method": "request_states"}}, control)
            await asyncio.wait_for(self._until("iopub", "comm_msg", "update_states"), READY_TIMEOUT_MS / 1000)
            self._send("shell", "comm_close", {"comm_id": comm, "data": {}})
            return time.perf_counter() - start
        except Exception as exc:  # noqa: BLE001 - a page that does not become ready is a failure to count
            print(f"   laptop page failed: {type(exc).__name__}: {str(exc)[:200]}", flush=True)
            return None

    async def leave(self) -> None:
        if self.ws is not None:
            self.ws.close()
        if self.kernel is not None:
            try:
                await self.http.fetch(f"{self.base}/voila/api/shutdown/{self.kernel}", method="POST",
                                      headers=self._headers(), raise_error=False,
                                      body=urlencode({"_xsrf": self.cookies.get("_xsrf", "")}))
            except OSError:
                pass
        self.http.close()


def _cpu_seconds(server: Server) -> dict[str, float]:
    """CPU seconds used so far by the app server, its kernels and the browser (its processes are elsewhere)."""
    used = {"server": 0.0, "kernels": 0.0, "browser": 0.0}
    own = {p.pid for p in server.tree()}
    for proc in psutil.process_iter():
        try:
            times = proc.cpu_times()
            cmd = " ".join(proc.cmdline())
            name = proc.name()
        except psutil.Error:
            continue
        part = ("kernels" if "ipykernel" in cmd else "server") if proc.pid in own else \
            "browser" if "chrom" in name or "headless_shell" in cmd else None
        if part:
            used[part] += times.user + times.system
    return used


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    k = (len(ordered) - 1) * q
    lo, hi = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (k - lo)


async def measure(extra_args: list[str], participants: int, visits: int, settle: float, log_path: Path,
                  room_rounds: int = 10) -> dict:
    from playwright.async_api import async_playwright

    server = Server(extra_args, log_path)
    result: dict = {}
    try:
        server.wait_until_answering()
        result["kernels idle (pool)"] = server.settle()
        idle_pss = server.pss_mb()
        result["server idle, MB"] = idle_pss
        async with async_playwright() as pw:
            browser = await pw.chromium.launch(executable_path=CHROMIUM,
                                               args=["--no-sandbox", "--headless", "--disable-gpu"])
            url = server.base + NOTEBOOK

            singles, phases, files = [], [], []
            for i in range(3):
                marks: dict = {}
                seconds, context = await _open(browser, url, marks, files if i == 0 else None)
                singles.append(seconds if seconds is not None else float("nan"))
                phases.append(marks)
                await _close(context)
                server.settle(quiet_for=3)
            result["one page, s (median of 3)"] = statistics.median(singles)
            for key, label in PHASES:  # where the time of one page goes
                values = [m[key] / 1000 for m in phases if m.get(key) is not None]
                result[f"  one page: {label}, s"] = statistics.median(values) if values else float("nan")

            server.settle(quiet_for=3)
            cpu_before = _cpu_seconds(server)
            opened = await asyncio.gather(*(_open(browser, url) for _ in range(participants)))
            ready = [s for s, _ in opened if s is not None]
            result[f"burst of {participants}: pages ready"] = f"{len(ready)} of {participants}"
            result["burst p50, s"] = _pct(ready, 0.5)
            result["burst p95, s"] = _pct(ready, 0.95)
            result["burst max, s"] = max(ready) if ready else float("nan")
            cpu_after = _cpu_seconds(server)
            for part in ("server", "kernels", "browser"):
                result[f"burst CPU s per page: {part}"] = (cpu_after[part] - cpu_before[part]) / participants
            await asyncio.sleep(10)  # widgets settle, pool refills
            result["memory per participant, MB"] = (server.pss_mb() - idle_pss) / participants
            for _, context in opened:
                await _close(context)

            # Page visits as people make them: open, then reload / navigate away / close, in turn.
            for i in range(visits):
                seconds, context = await _open(browser, url)
                page = context.pages[0]
                if i % 3 == 0:
                    await page.reload(wait_until="domcontentloaded")
                    await page.locator(".imw-current select").first.wait_for(state="visible",
                                                                             timeout=READY_TIMEOUT_MS)
                elif i % 3 == 1:
                    await page.goto(server.base + "/voila/render/00_start.ipynb", wait_until="load")
                    await page.wait_for_timeout(1500)
                await _close(context)
            await browser.close()
        await asyncio.sleep(settle)
        result[f"kernels {settle:.0f} s after {visits} visits"] = server.kernels()
        result["403 answers in the log"] = server.count_in_log(r"^403 [A-Z]+ .*ms$")

        # The server alone: the same burst without browsers (participants on computers of their own). A
        # page's HTML is complete when its kernel has run the notebook; widgets are then fetched by the page.
        server.settle(quiet_for=3)
        times = await asyncio.gather(*(asyncio.to_thread(_fetch, url) for _ in range(participants)))
        done = [t for t in times if t is not None]
        result[f"server only, burst of {participants}: HTML complete"] = f"{len(done)} of {participants}"
        result["server only: p50, s"] = _pct(done, 0.5)
        result["server only: p95, s"] = _pct(done, 0.95)

        # A room of laptops: every participant draws the page on a computer of their own. N participants
        # open werkboek 1 at the same moment: one in Chromium (on this machine), the others as the server
        # sees them (``Laptop``: every request of a page, no drawing). Each round a fresh room; the Chromium
        # page is the participant whose time is measured, so the rounds give a distribution.
        if room_rounds:
            real, server_part, failed = [], [], 0
            async with async_playwright() as pw:
                browser = await pw.chromium.launch(executable_path=CHROMIUM,
                                                   args=["--no-sandbox", "--headless", "--disable-gpu"])
                for _ in range(room_rounds):
                    server.refilled(result["kernels idle (pool)"])  # every round starts as a room arrives
                    laptops = [Laptop(server.base, files) for _ in range(participants - 1)]
                    (seconds, context), *others = await asyncio.gather(
                        _open(browser, url), *(laptop.open(NOTEBOOK) for laptop in laptops))
                    real += [seconds] if seconds is not None else []
                    server_part += [t for t in others if t is not None]
                    failed += (seconds is None) + sum(t is None for t in others)
                    await _close(context)
                    await asyncio.gather(*(laptop.leave() for laptop in laptops))
                await browser.close()
            result[f"room of {participants} laptops, {room_rounds} rounds: pages that failed"] = failed
            result["room: page ready in Chromium, p50, s"] = _pct(real, 0.5)
            result["room: page ready in Chromium, p95, s"] = _pct(real, 0.95)
            result["room: page ready in Chromium, max, s"] = max(real) if real else float("nan")
            result["room: server's part of a page (widgets sent), p95, s"] = _pct(server_part, 0.95)
    finally:
        server.stop()
    return result


def _fmt(value) -> str:
    if isinstance(value, float):
        return "–" if value != value else f"{value:.1f}" if value >= 10 else f"{value:.2f}"
    return str(value)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--participants", type=int, default=10)
    parser.add_argument("--visits", type=int, default=20)
    parser.add_argument("--settle", type=float, default=60)
    parser.add_argument("--room-rounds", type=int, default=10,
                        help="rounds of the room of laptops (one Chromium page measured per round; 0: skip)")
    parser.add_argument("--config", action="append", metavar="NAME=ARGS",
                        help="a server configuration: a column name and the extra arguments of `imworkbook app` "
                             "(repeatable; default: 'app as installed' and 'no kernel pool=--pool 0')")
    args = parser.parse_args(argv)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))  # stopped: the servers are stopped too (finally)
    configs = args.config or ["app as installed=", "no kernel pool=--pool 0"]
    columns: dict[str, dict] = {}
    logs = Path(tempfile.mkdtemp(prefix="imw-bench-logs-"))
    for spec in configs:
        name, _, extra = spec.partition("=")
        print(f"== {name}: imworkbook app {extra}".rstrip(), flush=True)
        columns[name] = asyncio.run(measure(shlex.split(extra), args.participants, args.visits, args.settle,
                                            logs / f"{len(columns)}.log", args.room_rounds))
    rows = list(dict.fromkeys(key for col in columns.values() for key in col))
    width = max(len(r) for r in rows)
    print(f"\nWorkshop benchmark ({os.cpu_count()} cores; browser on the same machine; logs in {logs})\n")
    print("| " + "measure".ljust(width) + " | " + " | ".join(columns) + " |")
    print("|-" + "-" * width + "-|" + "|".join("-" * (len(c) + 2) for c in columns) + "|")
    for row in rows:
        print("| " + row.ljust(width) + " | "
              + " | ".join(_fmt(col.get(row, "")).rjust(len(name)) for name, col in columns.items()) + " |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
