import shutil
from pathlib import Path

import pytest
import yaml

from imworkbook.base import paths
from imworkbook.model.content import load_model

REPO = Path(__file__).resolve().parents[1]
EXAMPLES = REPO / "data" / "examples"
PO_EXAMPLE = EXAMPLES / "de-regenboog_2026-2027.json"
VO_EXAMPLE = EXAMPLES / "het-baken_2026-2027.json"


@pytest.fixture(autouse=True)
def werkmap(tmp_path, monkeypatch):
    """Every test gets its own empty werkmap."""
    home = tmp_path / "werkmap"
    monkeypatch.setenv("IMWORKBOOK_HOME", str(home))
    return home


@pytest.fixture(scope="session")
def model():
    return load_model()


def data_copy(tmp_path, part: str):
    """A writable copy of ``data/<part>`` (under ``<tmp>/content/``) to break on purpose; returns its folder."""
    target = tmp_path / "content" / part
    shutil.copytree(paths.data_dir() / part, target)
    return target


CONTENT_PARTS = ("maturity", "investment", "landscape", "roles", "raters")


def whole_content_copy(tmp_path) -> Path:
    """A writable copy of every content part and the glossary (under ``<tmp>/content/``); returns that folder."""
    for part in CONTENT_PARTS:
        data_copy(tmp_path, part)
    shutil.copy(paths.data_dir() / "glossary.yaml", tmp_path / "content" / "glossary.yaml")
    return tmp_path / "content"


def edit_yaml(path, change) -> None:
    """Load a YAML file, let ``change`` edit the data in place, write it back."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")


@pytest.fixture
def content_copy(tmp_path):
    """A writable copy of data/maturity to break on purpose; returns its folder."""
    return data_copy(tmp_path, "maturity")


@pytest.fixture
def investment_copy(tmp_path):
    """A writable copy of data/investment to break on purpose; returns its folder."""
    return data_copy(tmp_path, "investment")


def disk_fails_halfway(monkeypatch, error: OSError) -> None:
    """Every atomic write (imworkbook.base.storage) writes half its bytes and then fails with ``error``."""
    import os

    from imworkbook.base import storage

    real_fdopen = os.fdopen

    class HalfWriter:
        def __init__(self, fd, mode):
            self.handle = real_fdopen(fd, mode)

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.handle.close()

        def write(self, data):
            self.handle.write(data[: len(data) // 2])
            raise error
    monkeypatch.setattr(storage.os, "fdopen", HalfWriter)
