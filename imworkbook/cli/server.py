"""The app server: Voila, set up for a workshop room (``python -m imworkbook.cli.server`` is what ``imworkbook app`` runs).

Four things are added to a plain ``voila notebooks/``, each through a setting or subclass that Voila and
jupyter_server offer:

1. **A kernel ends when its page is gone.** A Voila page asks the server to end its kernel when it is closed,
   reloaded or left (a ``sendBeacon`` on ``beforeunload``), sending the ``_xsrf`` cookie back as proof. Voila
   never sets that cookie, so every such request was refused (``403 … '_xsrf' argument missing from POST``,
   voila-dashboards/voila#1458) and kernels piled up. :class:`PageHandler` sets the cookie when it serves a
   page. For browsers that vanish without a word (a closed laptop, a lost network) :class:`WorkshopKernelManager`
   ends a kernel whose page has been disconnected for ``cull_disconnected`` seconds; a page that is open but
   unused for ``cull_idle`` seconds is ended too. Answers are saved on every change, so nothing is lost; the
   page then says so (``imworkbook`` template) instead of going dead.
2. **Pages are fast, also when a room arrives at once.** Voila's kernel pool (``preheat_kernel``) starts
   kernels for the pages a room opens first and runs their notebooks up to the point where the app needs the
   request (:func:`imworkbook.apps.page.wait_for_page`): kernel start-up, imports and the rendering of the
   page template are done before anybody asks. A used kernel is replaced ``--refill-after`` seconds later
   (after the room), but a page that asks when every prepared kernel is taken starts its replacement at once
   (:func:`refill_after`; Voila made that page wait out the delay).
3. **Static files compressed once.** Every page fetches ± 90 files (± 6 MB of Voila's JavaScript, styles and the
   app's plotly.js); compressing them again for every participant cost the server ± 0,17 CPU-s per page.
   :class:`CachedGZip` keeps the compressed copy of each versioned static file in memory.
4. **One compiled page template.** nbconvert builds a new Jinja environment for every page and compiles the
   same templates again (about half a second of server CPU per page). A shared in-memory bytecode cache lets
   every page reuse the compiled templates.

This module is the top of the package (like ``cli``): nothing imports it but the launcher.
"""

from __future__ import annotations

import argparse
import asyncio
import functools
import sys
import weakref
from collections import OrderedDict
from collections.abc import Awaitable
from datetime import timedelta

import jinja2
from jupyter_core.utils import ensure_async
from jupyter_server._tz import utcnow
from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager
from jupyter_server.utils import url_path_join
from tornado.web import GZipContentEncoding
from traitlets import Float
from traitlets.config import Config
from voila.app import Voila
from voila.tornado.handler import TornadoVoilaHandler

# The pages a workshop room opens at the same moment: the start page, then werkboek 1.
POOLED_PAGES = ("00_start.ipynb", "01_volwassenheid.ipynb")
DEFAULT_POOL = 1
DEFAULT_CULL_IDLE_MIN = 60.0
DEFAULT_CULL_DISCONNECTED_MIN = 2.0
DEFAULT_REFILL_AFTER_S = 5.0  # Voila: 1 s; later, so that the replacement does not start while the page still loads


def _chosen_language() -> str:
    from imworkbook.base.preferences import language

    return language()


#: A wake-up call per replacement kernel of the pool: an event, made by whichever comes first, the replacement
#: starting its wait or a page asking for it (Voila's task may not have taken its first step yet when the next
#: page asks); None once its wait is over.
_WAKE_CALLS: "weakref.WeakKeyDictionary[asyncio.Task, asyncio.Event | None]" = weakref.WeakKeyDictionary()


async def refill_after(delay: float, start: Awaitable):
    """Voila's ``wait_before`` for the kernel pool's replacements (``--refill-after``), with a wake-up call.

    A replacement waits ``delay`` seconds before it starts, so that in a room arriving at once new kernels do
    not compete with the pages being opened. But Voila puts the waiting replacement in the pool at once and
    gives it to the next page that asks: with every prepared kernel taken, participant N + 1 waited the whole
    delay (30 s with ``--refill-after 30``) before a kernel even started. :func:`wake_next_in_pool` starts it
    as soon as a page asks for it.
    """
    task = asyncio.current_task()
    wake = _WAKE_CALLS.get(task) or _WAKE_CALLS.setdefault(task, asyncio.Event())
    try:
        await asyncio.wait_for(wake.wait(), delay)
    except asyncio.TimeoutError:
        pass
    except asyncio.CancelledError:  # the server stops: the kernel is never started
        getattr(start, "close", lambda: None)()
        raise
    finally:
        _WAKE_CALLS[task] = None
    return await start


def wake_next_in_pool(kernel_manager, notebook: str | None) -> bool:
    """Start the replacement kernel that Voila will give the page now asking for ``notebook``, if it is still
    waiting out its delay or has not begun to. True when one was woken."""
    pool = (getattr(kernel_manager, "_pools", None) or {}).get(notebook) or ()
    if not pool or pool[0].done() or (pool[0] in _WAKE_CALLS and _WAKE_CALLS[pool[0]] is None):
        return False
    _WAKE_CALLS.setdefault(pool[0], asyncio.Event()).set()
    return True


def _refills_start_when_asked() -> None:
    """Let Voila's kernel pool wait for its replacements with :func:`refill_after` (Voila looks its
    ``wait_before`` up when it fills the pool)."""
    import voila.voila_kernel_manager

    voila.voila_kernel_manager.wait_before = refill_after


class PageHandler(TornadoVoilaHandler):
    """Voila's page handler, which also sets the ``_xsrf`` cookie that the page's shutdown request sends back."""

    async def get_generator(self, path=None):
        # Voila hands a page the first kernel of its pool, also a replacement that is still waiting out
        # --refill-after: the participant after the last prepared kernel would wait that long for nothing.
        # Waking it here and Voila taking it from the pool happen without anything in between (no await).
        wake_next_in_pool(self.kernel_manager, self.notebook_path or path)
        async for chunk in super().get_generator(path=path):
            yield chunk

    async def prepare(self, *args, **kwargs):
        await super().prepare(*args, **kwargs)
        self.xsrf_token  # noqa: B018 - reading the token sets the cookie (tornado)
        # <html lang> in the page as sent (nbconvert's template writes the exporter's language_code): the language
        # chosen last. A page prepared ahead by the kernel pool has the language of the moment it was prepared;
        # the page's head script (a11y-head.html.j2) puts the chosen one there before anything is drawn.
        if self.traitlet_config is not None:
            self.traitlet_config.VoilaExporter.language_code = _chosen_language()


class WorkshopKernelManager(AsyncMappingKernelManager):
    """jupyter_server's kernel manager with two culling rules instead of one.

    - a kernel **without any page connected** (tab closed without a goodbye, browser gone) ends after
      ``cull_disconnected_timeout`` seconds without activity;
    - a kernel **with its page still open** ends after ``cull_idle_timeout`` seconds without activity
      (jupyter_server's own rule with ``cull_connected``).

    Kernels that Voila keeps ready in its pool are never culled (Voila's subclass checks that first).
    """

    cull_disconnected_timeout = Float(
        DEFAULT_CULL_DISCONNECTED_MIN * 60, config=True,
        help="Seconds after which a kernel whose page is no longer connected is shut down (0: never).")

    async def cull_kernel_if_idle(self, kernel_id: str):
        kernel = self._kernels.get(kernel_id)
        if kernel is None:
            return None
        connected = self._kernel_connections.get(kernel_id, 0) > 0
        last = getattr(kernel, "last_activity", None)
        if (not connected and last is not None and self.cull_disconnected_timeout > 0
                and getattr(kernel, "execution_state", None) != "busy"):
            idle = utcnow() - last
            if idle > timedelta(seconds=self.cull_disconnected_timeout):
                self.log.info("Kernel %s: page disconnected for %d s, shutting down", kernel_id,
                              idle.total_seconds())
                await ensure_async(self.shutdown_kernel(kernel_id))
                return None
        return await super().cull_kernel_if_idle(kernel_id)


class _SharedBytecodeCache(jinja2.BytecodeCache):
    """Compiled Jinja templates kept in memory for the life of the server, shared by every page."""

    def __init__(self):
        self._store: dict[str, bytes] = {}
        self.hits = 0

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        code = self._store.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)
            if bucket.code is not None:
                self.hits += 1

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self._store[bucket.key] = bucket.bytecode_to_string()


BYTECODE_CACHE = _SharedBytecodeCache()


def _share_compiled_templates() -> None:
    """Give every nbconvert/Voila template environment the shared bytecode cache (checksums keep it honest:
    a changed template file has another key or checksum and is compiled again)."""
    from nbconvert.exporters.templateexporter import TemplateExporter

    original = TemplateExporter._create_environment
    if getattr(original, "_imworkbook", False):
        return

    def create_environment(self):
        environment = original(self)
        environment.bytecode_cache = BYTECODE_CACHE
        return environment

    create_environment._imworkbook = True
    TemplateExporter._create_environment = create_environment


def page_config_hook(page_config: dict, *, idle_min: float, disconnected_min: float, **_kwargs) -> dict:
    """Tell the page after how many minutes it is closed (for its message), and the chosen language (for
    ``<html lang>`` and the title before the app is drawn; the app keeps them right after that)."""
    from imworkbook.base.preferences import language

    return page_config | {"imworkbookCullIdleMinutes": idle_min, "imworkbookCullDisconnectedMinutes": disconnected_min,
                          "imworkbookLang": language()}


class CachedGZip(GZipContentEncoding):
    """tornado's gzip content encoding, with each static file compressed once and then served from memory.

    Only a complete ``200`` answer to a ``GET`` of a path under ``/static/`` with an ``Etag`` is kept, under its
    address, ``Etag``, ``Last-Modified`` and length, so a file that changes on disk is compressed again (tornado
    keeps a static file's ``Etag`` for the life of the server; its modification time is read for every request).
    At most :attr:`MAX_FILE` per file and :attr:`MAX_TOTAL` in all (the oldest go first). A browser that does not
    ask for gzip gets the file as it is, as before.
    """

    MAX_FILE = 8 * 2**20
    MAX_TOTAL = 64 * 2**20
    _cache: "OrderedDict[tuple[str, ...], bytes]" = OrderedDict()
    _cached_bytes = 0

    def __init__(self, request) -> None:
        super().__init__(request)
        self._static = request.method == "GET" and "/static/" in request.path
        self.request_uri = request.uri
        self._key: tuple[str, ...] | None = None
        self._parts: list[bytes] | None = None  # the compressed answer so far, while it may be kept
        self._size = 0
        self._served_from_cache = False

    def transform_first_chunk(self, status_code, headers, chunk, finishing):
        etag = headers.get("Etag")
        if self._gzipping and self._static and status_code == 200 and etag and "Content-Encoding" not in headers:
            key = (self.request_uri, etag, headers.get("Last-Modified", ""), headers.get("Content-Length", ""))
            cached = self._cache.get(key)
            if cached is not None:
                self._cache.move_to_end(key)
                self._served_from_cache, self._gzipping = True, False
                headers["Vary"] = f"{headers['Vary']}, Accept-Encoding" if "Vary" in headers else "Accept-Encoding"
                headers["Content-Encoding"] = "gzip"
                headers["Content-Length"] = str(len(cached))
                return status_code, headers, cached
            self._key = key
        status_code, headers, chunk = super().transform_first_chunk(status_code, headers, chunk, finishing)
        if self._key is not None and self._gzipping:
            self._parts = []
            self._keep(chunk, finishing)
        return status_code, headers, chunk

    def transform_chunk(self, chunk: bytes, finishing: bool) -> bytes:
        if self._served_from_cache:
            return b""  # the handler still reads its file; the compressed copy went out whole
        chunk = super().transform_chunk(chunk, finishing)
        if self._parts is not None:
            self._keep(chunk, finishing)
        return chunk

    def _keep(self, part: bytes, finishing: bool) -> None:
        self._parts.append(part)
        self._size += len(part)
        if self._size > self.MAX_FILE:
            self._parts = None
        elif finishing:
            cls = type(self)
            replaced = cls._cache.pop(self._key, None)  # two participants compressed it at the same moment
            cls._cached_bytes -= len(replaced) if replaced is not None else 0
            cls._cache[self._key] = b"".join(self._parts)
            cls._cached_bytes += self._size
            while cls._cached_bytes > self.MAX_TOTAL and cls._cache:
                cls._cached_bytes -= len(cls._cache.popitem(last=False)[1])
            self._parts = None


class AppServer(Voila):
    """Voila with :class:`PageHandler` for its page route."""

    name = "imworkbook-server"

    def init_settings(self):
        """Compressed responses (gzip, :class:`CachedGZip`): a first page is ± 6 MB (Voila's JavaScript, styles and
        the app's plotly.js), ± 1,8 MB compressed; that counts when a room of laptops opens it over one wifi at the
        same moment. ``transforms`` is the argument of ``tornado.web.Application`` that Voila passes these settings
        to; given, it replaces tornado's own gzip (``compress_response``). (Voila's own ``tornado_settings`` come
        after the application is made, too late for this.)"""
        settings = super().init_settings()
        settings["transforms"] = [CachedGZip]
        return settings

    def init_handlers(self):
        handlers = super().init_handlers()
        render = url_path_join(self.server_url, r"/voila/render/(.*)")
        return [(route, PageHandler, *rest) if route == render and handler is TornadoVoilaHandler
                else (route, handler, *rest) for route, handler, *rest in handlers]


#: JupyterLab extensions the app's pages do not load (see :func:`server_config`): charts come from the app's own
#: plotly.js, and the app shows no code to highlight.
DENIED_EXTENSIONS = ("jupyterlab-plotly", "jupyterlab_pygments")


def server_config(pool: int, cull_idle_min: float, cull_disconnected_min: float,
                  refill_after_s: float = DEFAULT_REFILL_AFTER_S) -> Config:
    """The Voila/jupyter_server settings of the app server (also used by the tests)."""
    config = Config()
    config.VoilaConfiguration.multi_kernel_manager_class = f"{__name__}.WorkshopKernelManager"
    config.VoilaExporter.language_code = _chosen_language()  # <html lang> (PageHandler keeps it up to date)
    # Charts are drawn by the app's own plotly.js (imworkbook/apps/plot.py), not by this extension, which
    # would make every page load 4.8 MB of JavaScript before it connects to its kernel.
    config.VoilaConfiguration.extension_denylist = list(DENIED_EXTENSIONS)
    config.VoilaConfiguration.page_config_hook = functools.partial(
        page_config_hook, idle_min=cull_idle_min, disconnected_min=cull_disconnected_min)
    if pool > 0:
        config.VoilaConfiguration.preheat_kernel = True
        config.VoilaConfiguration.default_pool_size = 0
        config.VoilaKernelManager.kernel_pools_config = {
            "default": {"pool_size": 0}, **{page: {"pool_size": pool} for page in POOLED_PAGES}}
        # A kernel taken from the pool is replaced after this many seconds: in a room that arrives at once,
        # later than the room, so that starting new kernels does not compete with the pages being opened.
        config.VoilaKernelManager.fill_delay = float(refill_after_s)
    # Under a burst the notebook's display output can reach the server seconds after the cell finished;
    # nbclient waits 4 s by default and then renders the page WITHOUT it (a blank page, "Timeout waiting for
    # IOPub output" in the log). Wait as long as a page may take.
    config.VoilaExecutor.iopub_timeout = 120
    # jupyter_server culls only when cull_idle_timeout > 0; "never" for open pages is a very long time.
    config.MappingKernelManager.cull_idle_timeout = int(cull_idle_min * 60) if cull_idle_min > 0 else 10 ** 9
    config.MappingKernelManager.cull_connected = True
    # look a few times within the shortest timeout, but not more than every 5 s nor less than every minute
    shortest = min((m * 60 for m in (cull_idle_min, cull_disconnected_min) if m > 0), default=3600)
    config.MappingKernelManager.cull_interval = int(min(60, max(5, shortest / 4)))
    config.WorkshopKernelManager.cull_disconnected_timeout = max(0.0, cull_disconnected_min * 60)
    return config


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m imworkbook.cli.server", add_help=False)
    parser.add_argument("--pool", type=int, default=DEFAULT_POOL)
    parser.add_argument("--cull-idle", type=float, default=DEFAULT_CULL_IDLE_MIN)
    parser.add_argument("--cull-disconnected", type=float, default=DEFAULT_CULL_DISCONNECTED_MIN)
    parser.add_argument("--refill-after", type=float, default=DEFAULT_REFILL_AFTER_S)
    ours, voila_args = parser.parse_known_args(sys.argv[1:] if argv is None else argv)
    _share_compiled_templates()
    _refills_start_when_asked()
    config = server_config(ours.pool, ours.cull_idle, ours.cull_disconnected, ours.refill_after)
    AppServer.launch_instance(voila_args, config=config)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
