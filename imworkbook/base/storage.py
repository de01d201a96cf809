"""Writing files so that nothing is lost: atomic replacement, a lock per file, and compare-and-swap on content.

* :func:`atomic_write_bytes` writes a temporary file in the same folder, flushes it to disk and renames it over
  the old one: a reader sees the old or the new file, never half of one. A temporary file left by a process that
  was killed while writing is removed by the next write of the same file.
* :func:`locked` holds a real lock on one file (``filelock``: ``flock`` on Unix, ``LockFileEx`` on Windows) for
  the time of a read-compare-write, so two windows or two processes never interleave their saves. The lock
  files live in a folder of the user's own under the system's temporary folder, not beside the answers.
* :func:`content_digest` is the SHA-256 of a file's bytes. A session remembers the digest of what it last read
  or wrote and, under the lock, compares it with the file before writing. Time and size are not used: a
  same-size edit within a file system's timestamp granularity (one or two seconds) is still seen.

A sync client (OneDrive, Dropbox) does not take the lock; it can only win the short moment between the
comparison and the rename. Everything else that writes an answers file in this package goes through here.

Layer: below the model; imports nothing from the package but :mod:`imworkbook.base.errors`.
"""

from __future__ import annotations

import hashlib
import os
import re
import stat
import tempfile
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Iterator

from filelock import FileLock, Timeout

from imworkbook.base.errors import ImworkbookError, Problem

LOCK_TIMEOUT_S = 15.0  # a save takes milliseconds; a lock held this long belongs to a hung process
_TEMP_RANDOM = re.compile(r"^[a-z0-9_]{8}$")  # what tempfile.mkstemp puts between prefix and suffix


class BusyError(ImworkbookError):
    """Another process holds the file's lock for too long."""


def lock_path(path: Path) -> Path:
    """The lock of ``path``: a file named after a hash of its full path, in a folder of this user's own under the
    system's temporary folder, so locks never clutter (or need write access to) the folder of the file itself.
    Every window and process of one user on one machine uses the same lock for the same file."""
    full = Path(os.path.realpath(path))  # the same file reached through a link (folder or file): the same lock
    return _lock_folder() / (hashlib.sha256(str(full).encode("utf-8", "surrogatepass")).hexdigest()[:40] + ".lock")


_LOCK_FOLDER: Path | None = None


def _lock_folder() -> Path:
    """This user's own folder for locks. On a shared machine another user could create the expected name first
    (to hold our locks, or to plant links): a folder that is not a real directory owned by us, private, is not
    used; a private one is made with ``mkdtemp`` instead."""
    global _LOCK_FOLDER
    if _LOCK_FOLDER is not None:
        return _LOCK_FOLDER
    user = os.getuid() if hasattr(os, "getuid") else os.environ.get("USERNAME", "user")
    folder = Path(tempfile.gettempdir()) / f"imworkbook-locks-{user}"
    try:
        folder.mkdir(mode=0o700, exist_ok=True)
        info = os.lstat(folder)
        ours = stat.S_ISDIR(info.st_mode) and (not hasattr(os, "getuid") or
                                               (info.st_uid == os.getuid() and info.st_mode & 0o077 == 0))
    except OSError:
        ours = False
    _LOCK_FOLDER = folder if ours else Path(tempfile.mkdtemp(prefix="imworkbook-locks-"))
    return _LOCK_FOLDER


@contextmanager
def locked(path: str | Path, timeout: float = LOCK_TIMEOUT_S) -> Iterator[None]:
    """Hold the lock of ``path`` (see :func:`lock_path`) for a read-compare-write."""
    path = Path(path)
    try:
        lock = FileLock(lock_path(path), timeout=timeout)
        with lock:
            yield
    except Timeout:
        raise BusyError(Problem(path.name, "", "file.busy", {"seconds": round(timeout)})) from None


def content_digest(data: bytes | None) -> str | None:
    return None if data is None else hashlib.sha256(data).hexdigest()


def read_if_exists(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return None


def _stale_temp_files(path: Path) -> list[Path]:
    prefix, suffix = f".{path.name}.", ".tmp"
    found = []
    with suppress(OSError):
        for entry in os.scandir(path.parent):
            name = entry.name
            if name.startswith(prefix) and name.endswith(suffix) and \
                    _TEMP_RANDOM.match(name[len(prefix):-len(suffix)]):
                found.append(Path(entry.path))
    return found


def atomic_write_bytes(path: str | Path, data: bytes, mode: int | None = None) -> None:
    """Write ``data`` to ``path`` so that readers see the old or the new file, never half of one.

    A temporary file in the same folder is written and flushed to disk, given the old file's permissions, then
    renamed over the old file (``mode``: the permissions of a new file, e.g. ``0o600`` for a secret; default: as
    the umask allows). On any error (read-only folder, full disk) the temporary file is removed and the
    old file is untouched; the ``OSError`` is raised for the caller to word (:func:`errors.os_error_message`).
    Temporary files of this same file left by a killed process (older than a minute) are removed first.
    """
    path = Path(os.path.realpath(path))  # a link to the file: write the file it points to, keep the link
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        mode = stat.S_IMODE(path.stat().st_mode)
    except OSError:
        if mode is None:
            umask = os.umask(0)
            os.umask(umask)
            mode = 0o666 & ~umask
    remove_stale_temp_files(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        with suppress(OSError):
            os.unlink(tmp)
        raise


def remove_stale_temp_files(path: Path, older_than_s: float = 60.0) -> int:
    """Remove ``.<name>.XXXXXXXX.tmp`` files of ``path`` that no running save can still be writing."""
    import time

    removed = 0
    now = time.time()
    for tmp in _stale_temp_files(path):
        with suppress(OSError):
            if now - tmp.stat().st_mtime >= older_than_s:
                tmp.unlink()
                removed += 1
    return removed
