import shutil
from pathlib import Path

import pytest

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
