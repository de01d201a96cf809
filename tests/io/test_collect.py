"""imworkbook.io.collect: a network's answers files from a folder or a zip, one report line per file."""

import io
import json
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from imworkbook.io.collect import STATUS_DUPLICATE, STATUS_OK, STATUS_REFUSED, collect

from ..conftest import PO_EXAMPLE, VO_EXAMPLE

PO = json.loads(PO_EXAMPLE.read_text(encoding="utf-8"))
VO = json.loads(VO_EXAMPLE.read_text(encoding="utf-8"))
LATER = dict(PO, saved_at="2027-01-01T10:00:00+01:00")  # the same school and round, saved later


def _files() -> dict[str, bytes]:
    return {"a.json": json.dumps(PO).encode(), "sub/b.json": json.dumps(LATER).encode(),
            "vo.json": json.dumps(VO).encode(), "kapot.json": b"{nee", "lees.txt": b"x",
            "vreemd.json": b'{"a": 1}'}


def _folder(root: Path, files: dict[str, bytes]) -> Path:
    for name, data in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_bytes(data)
    return root


def _status(collected) -> dict[str, str]:
    return dict(zip(collected.report["bestand"], collected.report["status"]))


def test_every_file_gets_one_line_and_the_later_duplicate_counts(tmp_path):
    got = collect(_folder(tmp_path / "net", _files()))
    assert sorted(got.report["bestand"]) == sorted(_files())
    assert _status(got) == {"a.json": STATUS_DUPLICATE, "sub/b.json": STATUS_OK, "vo.json": STATUS_OK,
                            "kapot.json": STATUS_REFUSED, "lees.txt": STATUS_REFUSED, "vreemd.json": STATUS_REFUSED}
    assert sorted(got.files) == ["sub/b.json", "vo.json"] and len(got) == 2
    assert {d["school"]["name"] for d in got.documents} == {"De Regenboog", "Het Baken"}
    counts = got.counts
    assert counts["seen"] == 6 == sum(v for k, v in counts.items() if k != "seen")
    dubbel = got.report.set_index("bestand").loc["a.json", "melding"]
    assert "sub/b.json" in dubbel  # says which file counts
    assert not got.empty


def test_a_zip_gives_the_same_verdicts_and_refuses_a_member_that_climbs_out(tmp_path):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, data in _files().items():
            zf.writestr(name, data)
        zf.writestr("../buiten.json", json.dumps(VO))
    path = tmp_path / "net.zip"
    path.write_bytes(buf.getvalue())
    got = collect(path)
    status = _status(got)
    assert {k: v for k, v in status.items() if k in _files()} == _status(collect(_folder(tmp_path / "f", _files())))
    outside = [name for name in status if "buiten" in name]
    assert len(outside) == 1 and status[outside[0]] == STATUS_REFUSED
    assert len(got.report) == len(_files()) + 1


def test_a_folder_that_does_not_exist_is_said_so(tmp_path):
    with pytest.raises(FileNotFoundError):
        collect(tmp_path / "nergens")


def test_an_empty_folder_is_empty(tmp_path):
    (tmp_path / "leeg").mkdir()
    got = collect(tmp_path / "leeg")
    assert got.empty and len(got) == 0 and got.counts["seen"] == 0


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.permutations(list(_files().items())), st.lists(st.sampled_from(list(_files())), unique=True, min_size=1))
def test_the_verdict_does_not_depend_on_the_order_or_the_other_files(tmp_path_factory, order, chosen):
    """Counts always add up; which file of a duplicate counts depends on saved_at, not on where it is found."""
    files = {name: data for name, data in order if name in chosen}
    root = _folder(tmp_path_factory.mktemp("net"), dict(reversed(list(files.items()))))
    got = collect(root)
    assert got.counts["seen"] == len(files) == len(got.report)
    status = _status(got)
    if "sub/b.json" in files:
        assert status["sub/b.json"] == STATUS_OK
    if "a.json" in files:
        assert status["a.json"] == (STATUS_DUPLICATE if "sub/b.json" in files else STATUS_OK)
    keys = [(d["school"]["code"] or d["school"]["name"], d["round"]) for d in got.documents]
    assert len(keys) == len(set(keys))  # one document per school and round


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.lists(st.text(alphabet="ab-._ é0", min_size=1, max_size=4).filter(lambda p: p not in (".", "..")),
                         min_size=1, max_size=3), min_size=1, max_size=12))
def test_files_of_a_folder_come_in_the_order_of_their_path_parts(tmp_path_factory, paths):
    """A folder's files are listed by their path parts (a file in ``a/`` before ``a-b.json``), the order the
    report and the choice between equal files rely on, whatever the names hold."""
    from imworkbook.io.collect import _folder_members

    root = tmp_path_factory.mktemp("map")
    made: set[str] = set()
    for parts in paths:
        *folders, name = parts
        if any("/".join(parts[:i + 1]) in made for i in range(len(folders))):
            continue  # (a file where a folder would be)
        if any(m.startswith("/".join(parts) + "/") for m in made):
            continue  # (a folder where a file would be)
        (root.joinpath(*folders)).mkdir(parents=True, exist_ok=True)
        root.joinpath(*parts).write_text("{}", encoding="utf-8")
        made.add("/".join(parts))
    names = [name for name, *_ in _folder_members(root)]
    assert sorted(names) == sorted(made)
    assert names == sorted(made, key=lambda n: n.split("/"))
