"""The user's own preferences (now: the interface language), kept in ``<werkmap>/voorkeuren.json``.

Small, forgiving and never fatal: an unreadable or odd file means "the defaults"; writing is atomic.
"""

from __future__ import annotations

import json
import os

from imworkbook.base import paths
from imworkbook.base.i18n import DEFAULT_LANG, LANGS
from imworkbook.base.storage import atomic_write_bytes

FILE_NAME = "voorkeuren.json"


def _path():
    return paths.workspace_dir() / FILE_NAME


def _read() -> dict:
    try:
        data = json.loads(_path().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def language(requested: str | None = None) -> str:
    """``requested`` if given; else ``IMWORKBOOK_LANG``; else the language chosen last time; else Dutch."""
    if requested is not None:
        if requested not in LANGS:
            raise ValueError(f"lang must be one of {LANGS}; got {requested!r}")  # a caller's mistake, not UI text
        return requested
    for lang in (os.environ.get("IMWORKBOOK_LANG"), _read().get("lang")):
        if lang in LANGS:
            return lang
    return DEFAULT_LANG


def remember_language(lang: str) -> None:
    """Keep ``lang`` as the language for the next app that opens (the others keep their own)."""
    if lang not in LANGS:
        raise ValueError(f"lang must be one of {LANGS}; got {lang!r}")
    data = _read() | {"lang": lang}
    path = _path()
    path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write_bytes(path, json.dumps(data, indent=2).encode("utf-8"))
