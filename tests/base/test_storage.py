"""A read-only or full disk, a folder where a file was expected: a Dutch message naming the path, exit code 2,
nothing half written, no traceback; the network secret is never empty and a bad one is never used.

The read-only and full disks are real file systems (a small tmpfs, remounted read-only) when this machine lets
the tests mount one (root in a container, as in CI); the same errors are also simulated in every run.
"""

from __future__ import annotations

import errno
import os
import shutil
import subprocess
import uuid
from pathlib import Path

import pytest

from imworkbook.analysis.network import network_secret
from imworkbook.base import storage
from imworkbook.base.errors import ImworkbookError
from imworkbook.cli import main

from ..conftest import PO_EXAMPLE, disk_fails_halfway

EXAMPLES = PO_EXAMPLE.parent
RATERS = sorted((EXAMPLES / "invullers").glob("*.json"))


def _mount(size: str) -> Path | None:
    target = Path("/tmp") / f"imw-disk-{uuid.uuid4().hex[:8]}"
    target.mkdir()
    if os.geteuid() != 0 or not shutil.which("mount") or subprocess.run(
            ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(target)], capture_output=True).returncode:
        target.rmdir()
        return None
    return target


def _unmount(target: Path) -> None:
    subprocess.run(["umount", "-l", str(target)], check=False)
    target.rmdir()


@pytest.fixture
def read_only():
    target = _mount("1m")
    if target is None:
        pytest.skip("cannot mount a file system here (needs root)")
    try:
        (target / "werkmap").mkdir()
        subprocess.run(["mount", "-o", "remount,ro", str(target)], check=True)
        yield target
    finally:
        _unmount(target)


@pytest.fixture
def full_disk():
    target = _mount("256k")
    if target is None:
        pytest.skip("cannot mount a file system here (needs root)")
    try:
        fd = os.open(target / "vulling", os.O_WRONLY | os.O_CREAT)
        try:  # fill it up, to the last byte
            for size in (65536, 4096, 1):
                while True:
                    os.write(fd, b"\0" * size)
        except OSError:
            pass
        finally:
            os.close(fd)
        yield target
    finally:  # also when filling failed: never leave a mount behind
        _unmount(target)


def _commands(out: Path, xlsx: Path) -> dict[str, list[str]]:
    return {
        "template": ["template", "--xlsx", str(out / "vragenlijst.xlsx")],
        "report": ["report", str(PO_EXAMPLE), "--out", str(out / "rapport.html")],
        "import": ["import", str(xlsx), "--out", str(out / "ingelezen.json")],
        "merge": ["merge", *map(str, RATERS), "--out", str(out / "samen.json")],
        "compare": ["compare", str(EXAMPLES / "netwerk" / "2026-2027"), "--xlsx", str(out / "netwerk.xlsx")],
    }


@pytest.fixture(scope="module")
def filled_xlsx(tmp_path_factory):
    path = tmp_path_factory.mktemp("xlsx") / "ingevuld.xlsx"
    assert main(["template", "--xlsx", str(path), "--school", str(PO_EXAMPLE)]) == 0
    return path


def _check_refused(argv, capsys, *expected):
    assert main(argv) == 2, argv
    err = capsys.readouterr().err
    assert "Traceback" not in err and "Errno" not in err, err
    assert any(word in err for word in expected), err
    return err


@pytest.mark.parametrize("command", ["template", "report", "import", "merge", "compare"])
def test_a_read_only_folder_is_a_message_with_exit_2(command, read_only, filled_xlsx, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("IMWORKBOOK_HOME", str(tmp_path / "werkmap"))  # the secret can be written
    err = _check_refused(_commands(read_only, filled_xlsx)[command], capsys, "alleen-lezen")
    assert str(read_only) in err
    assert sorted(p.name for p in read_only.iterdir()) == ["werkmap"]  # nothing half written


@pytest.mark.parametrize("command", ["template", "report", "import", "merge", "compare"])
def test_a_full_disk_is_a_message_with_exit_2(command, full_disk, filled_xlsx, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("IMWORKBOOK_HOME", str(tmp_path / "werkmap"))
    _check_refused(_commands(full_disk, filled_xlsx)[command], capsys, "schijf is vol")
    assert sorted(p.name for p in full_disk.iterdir()) == ["vulling"]  # no temporary file left


def test_a_read_only_werkmap_for_the_secret_is_a_message(read_only, monkeypatch, capsys):
    monkeypatch.setenv("IMWORKBOOK_HOME", str(read_only / "werkmap"))
    err = _check_refused(["compare", str(EXAMPLES / "netwerk" / "2026-2027")], capsys, "alleen-lezen")
    assert "werkmap" in err
    assert not (read_only / "werkmap" / "netwerk-geheim.txt").exists()


def test_a_full_disk_never_leaves_an_empty_secret(full_disk):
    with pytest.raises(OSError):
        network_secret(full_disk / "werkmap")  # the folder itself may still fit, the secret's bytes may not
    assert not (full_disk / "werkmap" / "netwerk-geheim.txt").exists()


# --- the same errors, simulated (every run) ------------------------------------------------------------------

@pytest.mark.parametrize("code, words", [(errno.ENOSPC, "schijf is vol"), (errno.EROFS, "alleen-lezen"),
                                         (errno.EACCES, "geen toestemming")])
@pytest.mark.parametrize("command", ["template", "report", "import", "merge", "compare"])
def test_every_writing_command_words_an_os_error(command, code, words, filled_xlsx, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("IMWORKBOOK_HOME", str(tmp_path / "werkmap"))
    out = tmp_path / "uit"
    out.mkdir()
    network_secret(tmp_path / "werkmap")  # made before the disk "fails"
    disk_fails_halfway(monkeypatch, OSError(code, os.strerror(code)))
    _check_refused(_commands(out, filled_xlsx)[command], capsys, words)
    assert list(out.iterdir()) == []  # the half-written temporary file is gone


def test_a_folder_where_the_output_file_should_be_is_a_message(tmp_path, capsys):
    (tmp_path / "rapport.html").mkdir()
    err = _check_refused(["report", str(PO_EXAMPLE), "--out", str(tmp_path / "rapport.html")], capsys,
                         "map", "folder")
    assert "rapport.html" in err


def test_the_secret_is_64_hex_characters_for_the_owner_only(tmp_path):
    secret = network_secret(tmp_path)
    path = tmp_path / "netwerk-geheim.txt"
    assert len(secret) == 64 and int(secret, 16) >= 0
    assert path.stat().st_mode & 0o777 == 0o600
    assert network_secret(tmp_path) == secret  # made once


@pytest.mark.parametrize("content", ["", "\n", "abc123\n", "g" * 64, "0" * 63])
def test_an_empty_or_short_secret_is_refused_never_used(tmp_path, content):
    (tmp_path / "netwerk-geheim.txt").write_text(content)
    with pytest.raises(ImworkbookError, match="leeg of beschadigd"):
        network_secret(tmp_path)


def test_a_killed_save_leaves_no_temporary_file_for_ever(tmp_path):
    target = tmp_path / "school.json"
    target.write_text("{}")
    stale = tmp_path / ".school.json.abcd1234.tmp"  # what a save killed with -9 leaves behind
    stale.write_text("{half")
    os.utime(stale, (1_600_000_000, 1_600_000_000))
    fresh = tmp_path / ".school.json.efgh5678.tmp"  # a save running right now: left alone
    fresh.write_text("{")
    other = tmp_path / ".other.json.abcd1234.tmp"
    other.write_text("{")
    os.utime(other, (1_600_000_000, 1_600_000_000))
    storage.atomic_write_bytes(target, b'{"a": 1}')
    assert not stale.exists() and fresh.exists() and other.exists()
    assert target.read_bytes() == b'{"a": 1}'
