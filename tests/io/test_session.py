"""Two windows, two processes or a sync client on one school: every acknowledged change is in the file.

A save is a compare-and-swap on the file's content (SHA-256) under the file's lock (imworkbook.base.storage); on a
conflict only the session's own change is applied again on top of what is on disk. Time stamps play no part, so a
file system with coarse time stamps (or a same-size edit within one second) loses nothing either.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import time

import pytest

from imworkbook.io.reading import load_answers
from imworkbook.io.session import Session
from imworkbook.model.content import load_model

EDITS = 150  # per process; each is a separate acknowledged save


@pytest.fixture(scope="module")
def model():
    return load_model()


WORKER = textwrap.dedent("""
    import json, os, sys, time
    from imworkbook.io.session import Session
    from imworkbook.model.content import load_model

    path, role, edits, go, out = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4], sys.argv[5]
    model = load_model()
    items = [i.id for a in model.areas for i in a.items]
    session = Session.open(path, model)
    while not os.path.exists(go):
        time.sleep(0.005)
    acknowledged, reloaded = {}, 0
    for k in range(edits):
        item = items[k % len(items)]
        if role == "notes":
            value = f"toelichting {k}"
            session.set_note(item, value)
        else:
            value = 1 + k % 5
            session.set_level(item, "current", value)
        acknowledged[item] = value  # only after the call returned: the save is acknowledged
        reloaded += session.reloaded
        session.reloaded = False
    with open(out, "w") as fh:
        json.dump({"acknowledged": acknowledged, "reloaded": reloaded}, fh)
""")


def test_two_processes_with_interleaved_edits_lose_no_acknowledged_edit(tmp_path, model):
    session = Session.create("De Linde", "po", "2026-2027", folder=tmp_path, model=model)
    go = tmp_path / "go"
    env = os.environ | {"PYTHONPATH": os.pathsep.join(sys.path)}
    procs = {role: subprocess.Popen([sys.executable, "-c", WORKER, str(session.path), role, str(EDITS), str(go),
                                     str(tmp_path / f"{role}.out")], env=env, stderr=subprocess.PIPE, text=True)
             for role in ("notes", "levels")}
    time.sleep(1.0)  # both have opened the file
    go.touch()
    for role, proc in procs.items():
        _, err = proc.communicate(timeout=240)
        assert proc.returncode == 0, f"{role}: {err}"
    results = {role: json.loads((tmp_path / f"{role}.out").read_text()) for role in procs}
    on_disk = load_answers(session.path, model).answers
    lost = [item for item, note in results["notes"]["acknowledged"].items() if on_disk.answer(item).note != note]
    lost += [item for item, level in results["levels"]["acknowledged"].items()
             if on_disk.answer(item).current != level]
    assert not lost, f"{len(lost)} acknowledged edits lost: {lost[:5]}"
    assert len(results["notes"]["acknowledged"]) == len(results["levels"]["acknowledged"]) == min(EDITS, model.n_items)
    # the test is only meaningful when the two really interleaved: changes had to be applied on a fresh copy
    assert results["notes"]["reloaded"] + results["levels"]["reloaded"] > 0


def test_coarse_time_stamps_and_same_size_edits_lose_nothing(tmp_path, model, monkeypatch):
    """Window 2 -> window 1 -> window 2 ..., on a file system whose time stamps do not move within the test (as
    with one- or two-second granularity), every save leaving the same size: nothing may be lost."""
    frozen = (1_700_000_000, 1_700_000_000)
    real_replace = os.replace

    def replace_with_coarse_time(src, dst):
        os.utime(src, frozen)
        real_replace(src, dst)
    monkeypatch.setattr(os, "replace", replace_with_coarse_time)
    one = Session.create("De Linde", "po", "2026-2027", folder=tmp_path, model=model)
    two = Session.open(one.path, model)
    expected: dict[str, int] = {}
    items = [i.id for a in model.areas for i in a.items][:10]
    for k, item in enumerate(items):
        for window, level in ((two, 2), (one, 3), (two, 4)):  # same size each time: one digit changes
            window.set_level(item, "target", level)
        expected[item] = 4
        one.set_note(items[0], f"ronde {k}")  # window 1 again, so both windows keep meeting each other's edits
    assert one.path.stat().st_mtime == frozen[1]
    on_disk = load_answers(one.path, model).answers
    assert {item: on_disk.answer(item).target for item in items} == expected
    assert on_disk.answer(items[0]).note == f"ronde {len(items) - 1}"


def test_a_sync_client_replacing_the_file_is_not_overwritten(tmp_path, model):
    """A sync tool does not take our lock; it writes a new version (here: atomically, with the old time stamp).
    The next save sees other content, reads it again and applies only its own change on top."""
    session = Session.create("De Linde", "po", "2026-2027", folder=tmp_path, model=model)
    stat = session.path.stat()
    data = json.loads(session.path.read_text(encoding="utf-8"))
    data["answers"]["rollen.tvb_vastgelegd"] = {"current": 4, "target": 5, "note": ""}
    synced = tmp_path / "from-the-cloud.tmp"
    synced.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    os.utime(synced, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    os.replace(synced, session.path)
    session.set_level("visie.ambitieniveau", "current", 2)
    on_disk = load_answers(session.path, model).answers
    assert on_disk.answer("rollen.tvb_vastgelegd").current == 4 and on_disk.answer("visie.ambitieniveau").current == 2
    assert session.reloaded


def test_a_linked_answers_file_is_written_through_the_link_under_the_same_lock(tmp_path, model):
    from imworkbook.base import storage

    real = Session.create("De Linde", "po", "2026-2027", folder=tmp_path / "echt", model=model).path
    link = tmp_path / "link.json"
    link.symlink_to(real)
    assert storage.lock_path(link) == storage.lock_path(real)
    Session.open(link, model).set_level("visie.ambitieniveau", "current", 2)
    assert link.is_symlink() and load_answers(real, model).answers.answer("visie.ambitieniveau").current == 2


def test_two_windows_changing_school_details_and_applications_keep_both(tmp_path, model):
    one = Session.create("De Linde", "po", "2026-2027", folder=tmp_path, model=model, pupils=100)
    two = Session.open(one.path, model)
    one.update_school(pupils=333)
    two.update_school(name="De Linde (Zuid)")  # had not seen the pupils change: only its own field is written
    school = load_answers(one.path, model).answers.school
    assert (school.name, school.pupils) == ("De Linde (Zuid)", 333)
    one.set_application({"name": "Magister", "type": "las"})
    with pytest.raises(ValueError, match="er is al een applicatie"):
        two.set_application({"name": "magister", "type": "las"})  # unique also against the other window's save
    assert [a.name for a in load_answers(one.path, model).answers.landscape] == ["Magister"]
