"""Process control for ``imworkbook open`` (JupyterLab) and ``imworkbook app`` (Voila through
:mod:`imworkbook.cli.server`): the notebook folder, the environment, a free port, the command, and running the server
until Ctrl+C, a closed terminal or a kill (then it stops with its kernels; on Linux also when we die)."""

from __future__ import annotations

import errno
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path
from typing import Callable

from imworkbook.base import paths

FIRST_NOTEBOOK = "01_volwassenheid.ipynb"
START_NOTEBOOK = "00_start.ipynb"


def notebook_folder() -> Path:
    """The notebooks to open: the checkout's own, or a copy in the werkmap for an installed package."""
    shipped = paths.notebooks_dir()
    if shipped.parent == paths.PACKAGE_DIR:  # installed wheel: work on a copy the user owns
        target = paths.workspace_dir() / "notebooks"
        target.mkdir(parents=True, exist_ok=True)
        for nb in shipped.glob("*.ipynb"):
            if not (target / nb.name).exists():
                shutil.copy2(nb, target / nb.name)
        return target
    return shipped


def jupyter_env() -> dict[str, str]:
    """The environment for JupyterLab and the app server: the package's Jupyter folder (the ``imworkbook`` Voila
    template with the charts' plotly.js) on ``JUPYTER_PATH``, before anything the user had there."""
    extra = str(paths.PACKAGE_DIR / "jupyter")
    return os.environ | {"JUPYTER_PATH": os.pathsep.join(p for p in (extra, os.environ.get("JUPYTER_PATH")) if p)}


def free_port(preferred: int) -> int:
    import socket

    for port in (preferred, 0):
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            return sock.getsockname()[1]
    raise OSError(errno.EADDRINUSE, os.strerror(errno.EADDRINUSE))


def lab_command(folder: Path, *, port: int | None = None, no_browser: bool = False) -> list[str]:
    command = [sys.executable, "-m", "jupyter", "lab", f"--ServerApp.root_dir={folder}",
               f"--LabApp.default_url=/lab/tree/{FIRST_NOTEBOOK}"]
    if no_browser:
        command.append("--no-browser")
    if port:
        command.append(f"--port={port}")
    if hasattr(os, "geteuid") and os.geteuid() == 0:  # containers and CI run as root; Jupyter refuses otherwise
        command.append("--allow-root")
    return command


def become(command: list[str]) -> int:
    """Run JupyterLab in this process's place (so Ctrl+C and stop signals reach it directly), or wait for it."""
    env = jupyter_env()  # the 'imworkbook' template's static files: the charts' plotly.js (apps/plot.py)
    if os.name == "posix":
        os.execve(command[0], command, env)
    return subprocess.call(command, env=env)


def app_command(folder: Path, port: int, *, pool: int | None = None, cull_idle: float | None = None,
                cull_disconnected: float | None = None, refill_after: float | None = None
                ) -> tuple[list[str], dict[str, str]]:
    """The command (and environment) that serves the notebooks as an app: code hidden, offline.

    It runs Voila through :mod:`imworkbook.cli.server` (kernels that end with their page, a kernel pool, culling)
    with the ``imworkbook`` template (in the package): Voila's lab template without the CDN links, plus the
    message on a page whose kernel was ended.
    """
    env = jupyter_env()
    command = [sys.executable, "-m", "imworkbook.cli.server", str(folder), "--no-browser", f"--port={port}",
               "--Voila.ip=127.0.0.1", "--template=imworkbook", "--VoilaConfiguration.show_tracebacks=True"]
    for flag, value in (("--pool", pool), ("--cull-idle", cull_idle), ("--cull-disconnected", cull_disconnected),
                        ("--refill-after", refill_after)):
        if value is not None:
            command.append(f"{flag}={value}")
    return command, env


def app_url(port: int) -> str:
    return f"http://127.0.0.1:{port}/voila/render/{START_NOTEBOOK}"


def when_ready(port: int, then: Callable[[], None]) -> None:
    """Call ``then`` (in a thread) once the server on ``port`` answers, or after a minute."""
    import threading
    import time
    import urllib.error
    import urllib.request

    def wait() -> None:
        for _ in range(240):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/voila/api/shutdown", timeout=1)
            except urllib.error.HTTPError:
                break  # the server answers
            except OSError:
                time.sleep(0.25)
                continue
            break
        then()

    threading.Thread(target=wait, daemon=True).start()


def serve(command: list[str], env: dict[str, str]) -> int:
    """Run the app server until it ends; Ctrl+C, SIGTERM or SIGHUP ask it to stop (it shuts its kernels down),
    and after 20 seconds it is killed. 0 when we stopped it, else its own exit code."""
    import time

    proc = subprocess.Popen(command, env=env, preexec_fn=die_with_parent if sys.platform == "linux" else None)
    stopping: list[float] = []

    def stop(*_args) -> None:
        """Only a signal is sent here; the wait below notices the end (a wait inside the handler would wait for the
        lock of the wait it interrupted, and so take its whole time-out)."""
        if not stopping:
            stopping.append(time.monotonic())
            try:
                proc.terminate()
            except OSError:
                pass

    for name in ("SIGTERM", "SIGHUP"):
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), stop)
    while True:
        try:
            code = proc.wait(timeout=0.5)
            return 0 if stopping else code
        except KeyboardInterrupt:
            stop()
        except subprocess.TimeoutExpired:
            if stopping and time.monotonic() - stopping[0] > 20:
                proc.kill()


def die_with_parent() -> None:
    """Linux: the Voila server gets SIGTERM when ``imworkbook app`` dies, however it dies (no orphan servers)."""
    import ctypes

    try:
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except OSError:
        pass
