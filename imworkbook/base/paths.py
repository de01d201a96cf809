"""Where content, notebooks and the user's own answers live.

* Content (``data/``): the repository's ``data/`` folder in a source checkout,
  the copy inside the package (``imworkbook/_data``) in an installed wheel, or
  any folder named by the environment variable ``IMWORKBOOK_DATA`` (so a
  network can use its own edited content without touching code).
* Werkmap (the user's own answers): ``IMWORKBOOK_HOME`` if set; otherwise
  ``werkmap/`` in the source checkout (ignored by git); otherwise
  ``~/imworkbook``.
"""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parents[1]  # imworkbook/
_CHECKOUT = PACKAGE_DIR.parent


def _in_checkout() -> bool:
    return (_CHECKOUT / "pyproject.toml").is_file() and (_CHECKOUT / "data").is_dir()


def data_dir() -> Path:
    """Folder with the content files (maturity model, strings, examples)."""
    env = os.environ.get("IMWORKBOOK_DATA")
    if env:
        return Path(env).expanduser().resolve()
    if _in_checkout():
        return _CHECKOUT / "data"
    return PACKAGE_DIR / "_data"


def notebooks_dir() -> Path:
    """Folder with the workbook's notebooks as shipped."""
    if _in_checkout() and (_CHECKOUT / "notebooks").is_dir():
        return _CHECKOUT / "notebooks"
    return PACKAGE_DIR / "_notebooks"


def workspace_dir() -> Path:
    """The user's own folder (not in git); created on demand by the callers that write."""
    env = os.environ.get("IMWORKBOOK_HOME")
    if env:
        return Path(env).expanduser().resolve()
    if _in_checkout():
        return _CHECKOUT / "werkmap"
    return Path.home() / "imworkbook"


def answers_dir() -> Path:
    """Folder where answers files are saved: ``<werkmap>/antwoorden``."""
    return workspace_dir() / "antwoorden"
