"""The app server's rules without a browser: settings, the two culling rules, a pooled kernel waiting for its page."""

from __future__ import annotations

import asyncio
import functools
import json
import threading
from pathlib import Path
from datetime import timedelta
from types import SimpleNamespace

import pytest

from imworkbook.apps import page as page_module
from imworkbook.base.preferences import language
from imworkbook.cli import server


def test_config_pools_the_first_pages_and_culls_both_ways():
    config = server.server_config(pool=3, cull_idle_min=30, cull_disconnected_min=1.5)
    pools = config.VoilaKernelManager.kernel_pools_config
    assert pools["default"]["pool_size"] == 0
    assert {name: pools[name]["pool_size"] for name in server.POOLED_PAGES} == {
        "00_start.ipynb": 3, "01_volwassenheid.ipynb": 3}
    assert config.VoilaConfiguration.preheat_kernel is True
    assert config.MappingKernelManager.cull_idle_timeout == 1800
    assert config.MappingKernelManager.cull_connected is True
    assert config.WorkshopKernelManager.cull_disconnected_timeout == 90
    assert 5 <= config.MappingKernelManager.cull_interval <= 60
    assert config.VoilaConfiguration.page_config_hook({"a": 1}, base_url="/") == {
        "a": 1, "imworkbookCullIdleMinutes": 30, "imworkbookCullDisconnectedMinutes": 1.5,
        "imworkbookLang": language()}


def test_no_pool_and_never_culling_open_pages():
    config = server.server_config(pool=0, cull_idle_min=0, cull_disconnected_min=2)
    assert "preheat_kernel" not in config.VoilaConfiguration
    assert config.MappingKernelManager.cull_idle_timeout >= 10 ** 9  # jupyter_server culls only with a timeout
    assert config.WorkshopKernelManager.cull_disconnected_timeout == 120


def _run(coroutine) -> None:
    """Run a coroutine on a loop of its own (Playwright's sync API keeps a loop running in the main thread)."""
    errors = []

    def target():
        try:
            asyncio.run(coroutine)
        except BaseException as exc:  # noqa: BLE001 - re-raised in the test's thread
            errors.append(exc)

    thread = threading.Thread(target=target)
    thread.start()
    thread.join()
    if errors:
        raise errors[0]


class _Manager(server.WorkshopKernelManager):
    """The culling rule on fake kernels; shutting down is recorded."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.ended: list[str] = []

    async def shutdown_kernel(self, kernel_id, *args, **kwargs):
        self.ended.append(kernel_id)


def _kernel(idle_seconds: float, state: str = "idle"):
    from jupyter_server._tz import utcnow

    return SimpleNamespace(last_activity=utcnow() - timedelta(seconds=idle_seconds), execution_state=state,
                           kernel_name="python3", kernel_spec=SimpleNamespace(metadata={}))


@pytest.mark.parametrize(("idle", "connections", "state", "ended"), [
    (200, 0, "idle", True),     # page gone for longer than the disconnected time
    (100, 0, "idle", False),    # page gone, still within the grace time
    (200, 0, "busy", False),    # busy kernels are left alone
    (200, 1, "idle", False),    # page open, not yet idle long enough
    (4000, 1, "idle", True),    # page open but unused for longer than the idle time
])
def test_two_culling_rules(idle, connections, state, ended):
    manager = _Manager(cull_idle_timeout=3600, cull_connected=True, cull_disconnected_timeout=120)
    manager._kernels["k"] = _kernel(idle, state)
    manager._kernel_connections["k"] = connections
    _run(manager.cull_kernel_if_idle("k"))
    assert manager.ended == (["k"] if ended else [])


def test_disconnected_rule_off():
    manager = _Manager(cull_idle_timeout=10 ** 9, cull_connected=True, cull_disconnected_timeout=0)
    manager._kernels["k"] = _kernel(10_000)
    manager._kernel_connections["k"] = 0
    _run(manager.cull_kernel_if_idle("k"))
    assert manager.ended == []


def test_compiled_templates_are_shared_between_pages():
    import jinja2

    server._share_compiled_templates()
    from nbconvert.exporters.templateexporter import TemplateExporter

    environment = TemplateExporter()._create_environment()
    assert environment.bytecode_cache is server.BYTECODE_CACHE
    loader = jinja2.DictLoader({"t.html": "{% for i in range(2) %}{{ i }}{% endfor %}"})
    first = jinja2.Environment(loader=loader, bytecode_cache=server.BYTECODE_CACHE)
    second = jinja2.Environment(loader=loader, bytecode_cache=server.BYTECODE_CACHE)
    hits = server.BYTECODE_CACHE.hits
    assert first.get_template("t.html").render() == "01"
    assert second.get_template("t.html").render() == "01"
    assert server.BYTECODE_CACHE.hits == hits + 1
    changed = jinja2.Environment(loader=jinja2.DictLoader({"t.html": "changed"}),
                                 bytecode_cache=server.BYTECODE_CACHE)
    assert changed.get_template("t.html").render() == "changed"  # another source is compiled anew


def test_page_outside_a_pool_does_not_wait(monkeypatch):
    monkeypatch.delenv("VOILA_PREHEAT", raising=False)
    monkeypatch.setattr(page_module, "warm_up", lambda: pytest.fail("no warm-up outside a pool"))
    page_module.wait_for_page()


def test_pooled_kernel_waits_for_its_page_and_takes_the_request(monkeypatch):
    from websockets.sync.server import serve

    received = {}

    def handler(connection):
        received["path"] = connection.request.path
        connection.send(json.dumps({"QUERY_STRING": "lang=en", "SCRIPT_NAME": "/voila/render/01.ipynb"}))

    with serve(handler, "127.0.0.1", 0) as ws_server:
        port = ws_server.socket.getsockname()[1]
        thread = threading.Thread(target=ws_server.serve_forever, daemon=True)
        thread.start()
        for key, value in {"VOILA_PREHEAT": "True", "VOILA_KERNEL_ID": "abc", "VOILA_APP_PORT": str(port),
                           "VOILA_SERVER_URL": "/"}.items():
            monkeypatch.setenv(key, value)
        monkeypatch.delenv("VOILA_WS_BASE_URL", raising=False)
        monkeypatch.delenv("QUERY_STRING", raising=False)
        monkeypatch.delenv("SCRIPT_NAME", raising=False)
        warmed = []
        monkeypatch.setattr(page_module, "warm_up", lambda: warmed.append(True))
        page_module.wait_for_page()
        ws_server.shutdown()
    assert received["path"] == "/voila/query/abc"
    assert warmed == [True]
    import os

    assert os.environ["QUERY_STRING"] == "lang=en"
    assert os.environ["VOILA_PREHEAT"] == "False"  # a second app in the same kernel does not wait again


def test_pooled_kernel_without_a_server_builds_at_once(monkeypatch):
    monkeypatch.setenv("VOILA_PREHEAT", "True")
    monkeypatch.setenv("VOILA_KERNEL_ID", "abc")
    with __import__("socket").socket() as sock:
        sock.bind(("127.0.0.1", 0))
        monkeypatch.setenv("VOILA_APP_PORT", str(sock.getsockname()[1]))  # nobody listens here
    monkeypatch.setattr(page_module, "warm_up", lambda: None)
    page_module.wait_for_page(timeout=1)


def test_warm_up_loads_the_content_a_first_page_needs():
    from imworkbook.model.content import _load_model_cached

    _load_model_cached.cache_clear()
    page_module.warm_up()
    assert _load_model_cached.cache_info().currsize == 1


def test_the_app_command_runs_the_app_server_with_its_options(tmp_path):
    from imworkbook.cli import app_command

    command, env = app_command(tmp_path, 8123, pool=4, cull_idle=30.0, cull_disconnected=None)
    assert command[1:3] == ["-m", "imworkbook.cli.server"]
    assert "--pool=4" in command and "--cull-idle=30.0" in command
    assert not any(part.startswith("--cull-disconnected") for part in command)
    assert "imworkbook" in env["JUPYTER_PATH"]


def test_page_config_says_the_chosen_language(monkeypatch, tmp_path):
    """The page template sets ``<html lang>`` and the title from it before the app is drawn."""
    monkeypatch.setenv("IMWORKBOOK_HOME", str(tmp_path))
    monkeypatch.delenv("IMWORKBOOK_LANG", raising=False)
    hook = server.server_config(pool=0, cull_idle_min=1, cull_disconnected_min=1).VoilaConfiguration.page_config_hook
    assert hook({}, base_url="/")["imworkbookLang"] == "nl"
    (tmp_path / "voorkeuren.json").write_text('{"lang": "en"}', encoding="utf-8")
    assert hook({}, base_url="/")["imworkbookLang"] == "en"


def test_a_used_pool_kernel_is_replaced_after_the_chosen_delay():
    """``--refill-after``: Voila's kernel pool waits that long before it starts a replacement (in a room that
    arrives at once, after the room). Checked on Voila's own class, so a renamed setting fails here."""
    from voila.voila_kernel_manager import voila_kernel_manager_factory

    config = server.server_config(pool=10, cull_idle_min=60, cull_disconnected_min=2, refill_after_s=30)
    manager_class = voila_kernel_manager_factory(server.WorkshopKernelManager, True, 0)
    assert manager_class.__name__ == "VoilaKernelManager"  # the name the config section is keyed by
    assert "fill_delay" in manager_class.class_trait_names(config=True)
    assert config.VoilaKernelManager.fill_delay == 30
    default = server.server_config(pool=1, cull_idle_min=60, cull_disconnected_min=2)
    assert default.VoilaKernelManager.fill_delay == server.DEFAULT_REFILL_AFTER_S
    from imworkbook.cli import app_command

    command, _env = app_command(Path("."), 8123, refill_after=30.0)
    assert "--refill-after=30.0" in command


def test_the_hub_and_the_app_leave_out_the_same_extensions():
    """docs/jupyterhub_config.py cannot import the app server (the hub's process); it names the same list."""
    import re

    hub = (Path(__file__).resolve().parents[2] / "docs" / "jupyterhub_config.py").read_text(encoding="utf-8")
    denied = set(re.findall(r'"--VoilaConfiguration\.extension_denylist=([^"]+)"', hub))
    assert denied == set(server.DENIED_EXTENSIONS)


def _static_app(root: Path):
    """A tornado application as the app server makes it: static files and a page, with the app's gzip."""
    import tornado.web

    class Page(tornado.web.RequestHandler):
        def get(self):
            self.write("<p>" + "pagina " * 400 + self.get_argument("n", "") + "</p>")

    return tornado.web.Application([(r"/static/(.*)", tornado.web.StaticFileHandler, {"path": str(root)}),
                                    (r"/page", Page)], **{"transforms": [server.CachedGZip]})


async def _fetch_all(app, paths: list[str], gzip_ok: bool = True) -> list:
    import socket

    from tornado.httpclient import AsyncHTTPClient
    from tornado.httpserver import HTTPServer

    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(16)
    sock.setblocking(False)
    http_server = HTTPServer(app)
    http_server.add_sockets([sock])
    client = AsyncHTTPClient(force_instance=True)

    def fetch(path):
        return client.fetch(f"http://127.0.0.1:{sock.getsockname()[1]}{path}", decompress_response=False,
                            headers={"Accept-Encoding": "gzip" if gzip_ok else "identity"})

    try:  # one after the other: the second of a pair comes after the first was kept
        return [await fetch(path) for path in paths]
    finally:
        client.close()
        http_server.stop()


def test_a_static_file_is_compressed_once_and_served_whole_from_memory(tmp_path, monkeypatch):
    import gzip
    import os
    import random

    monkeypatch.setattr(server.CachedGZip, "_cache", server.OrderedDict())
    monkeypatch.setattr(server.CachedGZip, "_cached_bytes", 0)
    random.seed(7)
    # larger than tornado's 64 KB chunks, so the file is written (and compressed) in several parts
    body = "".join(f"var a{i} = {random.random()};\n" for i in range(20_000)).encode()
    (tmp_path / "app.js").write_bytes(body)
    compressions = []
    real_gzip_file = gzip.GzipFile
    monkeypatch.setattr(gzip, "GzipFile", lambda *a, **k: compressions.append(1) or real_gzip_file(*a, **k))
    app = _static_app(tmp_path)
    first, second, plain = [None] * 3

    async def go():
        nonlocal first, second, plain
        first, second = await _fetch_all(app, ["/static/app.js", "/static/app.js"])
        (plain,) = await _fetch_all(app, ["/static/app.js"], gzip_ok=False)

    _run(go())
    assert len(compressions) == 1  # the second participant got the kept copy
    for response in (first, second):
        assert response.headers["Content-Encoding"] == "gzip"
        assert "Accept-Encoding" in response.headers["Vary"]
        assert gzip.decompress(response.body) == body
    assert second.body == first.body and int(second.headers["Content-Length"]) == len(second.body)
    assert len(first.body) < len(body) / 2
    assert "Content-Encoding" not in plain.headers and plain.body == body  # a browser without gzip

    # the file changes on disk (same length, later time): compressed anew, never the old copy
    changed = body.replace(b"var", b"let")
    (tmp_path / "app.js").write_bytes(changed)
    later = os.stat(tmp_path / "app.js").st_mtime + 5
    os.utime(tmp_path / "app.js", (later, later))

    async def again():
        nonlocal first
        (first,) = await _fetch_all(app, ["/static/app.js"])

    _run(again())
    assert gzip.decompress(first.body) == changed and len(compressions) == 2

    # a room at once: two participants compress the same file before either copy is kept (their answers'
    # parts interleave when the network is slow); the copy is kept and counted once
    from tornado.httputil import HTTPHeaders, HTTPServerRequest, RequestStartLine

    def answer():
        request = HTTPServerRequest(start_line=RequestStartLine("GET", "/static/other.js", "HTTP/1.1"),
                                    headers=HTTPHeaders({"Accept-Encoding": "gzip", "Host": "127.0.0.1"}))
        headers = HTTPHeaders({"Content-Type": "application/javascript", "Etag": '"e1"',
                               "Last-Modified": "Tue, 01 Dec 2026 00:00:00 GMT", "Content-Length": str(len(body))})
        return server.CachedGZip(request), headers

    (a, a_headers), (b, b_headers) = answer(), answer()
    half = len(body) // 2
    parts_a = [a.transform_first_chunk(200, a_headers, body[:half], False)[2]]
    parts_b = [b.transform_first_chunk(200, b_headers, body[:half], False)[2]]
    parts_a.append(a.transform_chunk(body[half:], True))
    parts_b.append(b.transform_chunk(body[half:], True))
    assert gzip.decompress(b"".join(parts_a)) == gzip.decompress(b"".join(parts_b)) == body
    kept = server.CachedGZip._cache
    assert sum(key[0] == "/static/other.js" for key in kept) == 1
    assert server.CachedGZip._cached_bytes == sum(map(len, kept.values()))  # counted once


def test_pages_and_large_files_are_not_kept(tmp_path, monkeypatch):
    import gzip

    monkeypatch.setattr(server.CachedGZip, "_cache", server.OrderedDict())
    monkeypatch.setattr(server.CachedGZip, "_cached_bytes", 0)
    monkeypatch.setattr(server.CachedGZip, "MAX_FILE", 2_000)
    monkeypatch.setattr(server.CachedGZip, "MAX_TOTAL", 2_000)
    import random

    random.seed(3)
    for name in ("a", "b", "big"):
        size = 40_000 if name == "big" else 3_000
        (tmp_path / f"{name}.js").write_bytes(bytes(random.choice(b"abcdefgh ;\n") for _ in range(size)))
    app = _static_app(tmp_path)
    got = []

    async def go():
        got.extend(await _fetch_all(app, ["/page?n=1", "/page?n=2", "/static/big.js", "/static/a.js",
                                          "/static/b.js"]))

    _run(go())
    assert all(r.headers["Content-Encoding"] == "gzip" for r in got)
    assert gzip.decompress(got[0].body).endswith(b"1</p>") and gzip.decompress(got[1].body).endswith(b"2</p>")
    kept = [key[0] for key in server.CachedGZip._cache]
    assert "/page?n=1" not in kept and "/static/big.js" not in kept  # a page is made per request; too large
    assert kept == ["/static/b.js"]  # a.js went first when b.js made the total too large
    assert server.CachedGZip._cached_bytes == len(got[4].body)


def _pool_owner(manager_class, started: list, delay: float):
    """Just what Voila's pool code uses of its kernel manager; ``_initialize`` records when a kernel starts."""
    import logging

    async def initialize(notebook_name, *_args, **_kwargs):
        started.append(asyncio.get_running_loop().time())
        return {"renderer": SimpleNamespace(stop_generator=False, rendered_cache=[]), "task": None,
                "kernel_id": f"k{len(started)}"}

    owner = SimpleNamespace(fill_delay=delay, kernel_pools_config={"01.ipynb": {"pool_size": 1}}, _pools={},
                            root_dir=".", parent=SimpleNamespace(base_url="/", server_url="/", port=1),
                            log=logging.getLogger("test"), _initialize=initialize)
    owner.fill_if_needed = functools.partial(manager_class.fill_if_needed, owner)
    return owner


def test_a_page_after_the_last_prepared_kernel_does_not_wait_out_the_refill_delay():
    """Voila gives the next page the pool's replacement even while it still waits out --refill-after; the
    page that asks wakes it (on Voila's own pool code), and a replacement nobody asked for still waits."""
    from voila.voila_kernel_manager import voila_kernel_manager_factory

    server._refills_start_when_asked()
    manager_class = voila_kernel_manager_factory(server.WorkshopKernelManager, True, 0)
    started: list[float] = []

    async def room():
        loop = asyncio.get_running_loop()
        owner = _pool_owner(manager_class, started, delay=30)
        owner.fill_if_needed(delay=0, notebook_name="01.ipynb")  # the pool is filled when the server starts
        await asyncio.sleep(0.05)
        assert len(started) == 1
        # the first participant takes the prepared kernel; its replacement waits 30 s
        assert not server.wake_next_in_pool(owner, "01.ipynb")
        first = await manager_class.get_rendered_notebook(owner, notebook_name="01.ipynb")
        assert first[2] == "k1"
        await asyncio.sleep(0.2)
        assert len(started) == 1  # the replacement has not started
        # the second participant arrives: the waiting replacement starts now, not 30 s from now
        asked = loop.time()
        assert server.wake_next_in_pool(owner, "01.ipynb")
        # (awaited directly: nothing runs between Voila making the next replacement and the third page asking)
        second = await manager_class.get_rendered_notebook(owner, notebook_name="01.ipynb")
        assert second[2] == "k2" and started[1] - asked < 1
        # the third arrives at once, before Voila's new replacement has taken its first step: woken all the same
        asked = loop.time()
        assert server.wake_next_in_pool(owner, "01.ipynb")
        third = await asyncio.wait_for(manager_class.get_rendered_notebook(owner, notebook_name="01.ipynb"), 5)
        assert third[2] == "k3" and started[2] - asked < 1
        await asyncio.sleep(0.2)
        assert len(started) == 3  # and its own replacement waits again
        for task in owner._pools["01.ipynb"]:
            task.cancel()

    _run(room())


def test_the_page_handler_wakes_the_pool_before_voila_takes_from_it(monkeypatch):
    from voila.handler import VoilaHandler

    order = []
    monkeypatch.setattr(server, "wake_next_in_pool",
                        lambda kernel_manager, notebook: order.append(("wake", kernel_manager, notebook)))

    async def voila_page(self, path=None):
        order.append(("voila", path))
        yield "<html>"

    monkeypatch.setattr(VoilaHandler, "get_generator", voila_page)
    manager = object()
    monkeypatch.setattr(server.PageHandler, "kernel_manager", manager)
    handler = object.__new__(server.PageHandler)
    handler.notebook_path = None

    async def render():
        return [chunk async for chunk in handler.get_generator(path="01_volwassenheid.ipynb")]

    got = []

    async def go():
        got.extend(await render())

    _run(go())
    assert got == ["<html>"]
    assert order == [("wake", manager, "01_volwassenheid.ipynb"), ("voila", "01_volwassenheid.ipynb")]
