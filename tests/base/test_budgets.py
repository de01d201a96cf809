"""Budgets and fuzzing (issue 11): small files that claim a huge cost are refused cheaply, with a Dutch message
naming the file; every file keeps its own verdict; no exception and no raw exception text escapes the loaders.

Each attack file is built here (benchmarks/attacks.py makes them in milliseconds); each test bounds the time and,
with tracemalloc, the memory the loader may spend on it. The big versions (2 GB bombs, 300 members of 4.9 MB) are
measured in separate processes by benchmarks/bench_budgets.py.
"""

from __future__ import annotations

import io
import json
import re
import sys
import time
import tracemalloc
import zipfile
import zlib
from contextlib import contextmanager
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from imworkbook.base import budgets
from imworkbook.base.errors import AnswersFileError
from imworkbook.cli import main
from imworkbook.io.collect import STATUS_DUPLICATE, STATUS_OK, STATUS_REFUSED, STATUS_WARN, collect
from imworkbook.io.excel import read_workbook
from imworkbook.io.files import read_any as load_answers  # any format: .json, .xlsx, .ods

from ..conftest import REPO

sys.path.insert(0, str(REPO / "benchmarks"))
import attacks  # noqa: E402

RAW = ("Expecting", "Error", "error", "CRC", "Traceback", "zipfile", "json.", "Exceeds", "line ", "column ")
MB = 1024 * 1024


@contextmanager
def bounded(seconds: float = 5.0, megabytes: float = 100.0):
    """The block must finish within ``seconds`` and allocate at most ``megabytes`` at its peak (tracemalloc)."""
    tracemalloc.start()
    start = time.perf_counter()
    try:
        yield
    finally:
        elapsed = time.perf_counter() - start
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    assert elapsed < seconds, f"took {elapsed:.1f} s"
    assert peak < megabytes * MB, f"peak {peak / MB:.0f} MB"


@pytest.fixture(scope="module")
def workbook() -> bytes:
    return attacks.filled_workbook()


def refused(data: bytes, name: str = "vragenlijst.xlsx", seconds: float = 5.0, megabytes: float = 100.0) -> str:
    with bounded(seconds, megabytes), pytest.raises(AnswersFileError) as info:
        read_workbook(data, name)
    text = str(info.value)
    assert name in text and not any(w in text for w in RAW), text
    return text


def no_raw_text(message: str) -> None:
    assert not any(w in message for w in RAW), message


# --- workbooks ----------------------------------------------------------------------------------------------------

def test_the_filled_workbook_itself_loads_within_the_budgets(workbook):
    with bounded(5, 100):
        result = read_workbook(workbook, "vragenlijst.xlsx")
    assert result.answers.school.name == "De Regenboog" and result.answers.answers


@pytest.mark.parametrize("dimension, far_row", [(True, True), (True, False), (False, True)])
def test_a_sheet_claiming_a_million_rows_is_refused_before_reading(workbook, dimension, far_row):
    text = refused(attacks.xlsx_million_rows(workbook, dimension=dimension, far_row=far_row))
    assert "Vragen" in text and "1.000.000" in text and "5.000" in text and "verwijder" in text


def test_many_empty_rows_are_refused(workbook):
    text = refused(attacks.xlsx_many_empty_rows(workbook, rows=budgets.XLSX_MAX_ROWS))
    assert "Vragen" in text and "hoogstens 5.000" in text


def test_a_huge_shared_strings_claim_is_refused_before_parsing(workbook):
    bad = attacks.xlsx_shared_strings(workbook, entries=3)
    bad = bad.replace(b'uniqueCount="3"', b'uniqueCount="90000000"') if b'uniqueCount="3"' in bad else None
    if bad is None:  # the part is deflated: build it again with the claim
        bad = attacks.rewrite_parts(workbook, {"xl/sharedStrings.xml": (
            b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="90000000" '
            b'uniqueCount="90000000"><si><t>a</t></si></sst>')})
    text = refused(bad)
    assert "gedeelde teksten" in text and "90.000.000" in text


def test_many_shared_strings_without_a_claim_are_counted_and_refused(workbook):
    text = refused(attacks.xlsx_shared_strings(workbook, entries=budgets.XLSX_MAX_SHARED_STRINGS + 1, declare=False))
    assert "gedeelde teksten" in text and "meer dan 100.000" in text


def test_millions_of_shared_strings_cost_little(workbook):
    data = attacks.xlsx_shared_strings(workbook, entries=3_000_000)
    assert len(data) < 1 * MB
    refused(data)


def test_a_stylesheet_with_hundreds_of_thousands_of_formats_is_refused(workbook):
    text = refused(attacks.xlsx_styles(workbook, entries=300_000))
    assert "xl/styles.xml" in text and "50.000" in text


def test_a_sheet_that_inflates_to_hundreds_of_megabytes_is_refused_by_its_declared_size(workbook):
    text = refused(attacks.xlsx_bomb(workbook, inflated=300 * MB), seconds=3, megabytes=20)
    assert "uitgepakt" in text and "40 MB" in text


def test_a_sheet_whose_header_understates_its_size_costs_at_most_its_declared_size(workbook):
    text = refused(attacks.xlsx_bomb(workbook, inflated=300 * MB, lie=True), seconds=3, megabytes=20)
    assert "beschadigd" in text


def test_every_part_is_counted_while_it_inflates(workbook, monkeypatch):
    monkeypatch.setattr(budgets, "XLSX_MAX_PART_BYTES", 20_000)
    text = refused(workbook)
    assert "onderdeel" in text and "hoogstens" in text


def test_a_dtd_is_refused(workbook):
    bomb = (b'<?xml version="1.0"?><!DOCTYPE lol [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;">]>'
            b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>&b;</t></si></sst>')
    text = refused(attacks.rewrite_parts(workbook, {"xl/sharedStrings.xml": bomb}))
    assert "DTD" in text


def test_an_answers_file_larger_than_the_budget_is_refused_from_a_workbook(workbook, monkeypatch):
    monkeypatch.setattr("imworkbook.base.budgets.ANSWERS_MAX_BYTES", 2000)
    text = refused(workbook)
    assert "antwoordenbestand" in text and "korter" in text


def test_import_of_a_million_row_claim_is_a_message_not_a_crash(tmp_path, workbook, capsys):
    path = tmp_path / "rijen.xlsx"
    path.write_bytes(attacks.xlsx_million_rows(workbook))
    start = time.perf_counter()
    with pytest.raises(AnswersFileError, match="rijen.xlsx › Vragen"):
        load_answers(path)
    assert time.perf_counter() - start < 5


# --- answers files ------------------------------------------------------------------------------------------------

def test_json_errors_are_dutch(tmp_path):
    for name, text, expect in [("kapot.json", '{"kind": ', "waarde verwacht"),
                               ("diep.json", '{"kind": "imworkbook.answers", "x": ' + "[" * 100_000 + "]" * 100_000 + "}",
                                "te diep genest"),
                               ("cijfers.json", '{"kind": "imworkbook.answers", "x": ' + "9" * 5000 + "}", "cijfers")]:
        path = tmp_path / name
        path.write_text(text)
        with pytest.raises(AnswersFileError) as info:
            load_answers(path)
        assert name in str(info.value) and expect in str(info.value), str(info.value)
        no_raw_text(str(info.value).replace(name, ""))


# --- network zips and folders -------------------------------------------------------------------------------------

def _report(c) -> dict[str, dict]:
    return {r["bestand"]: r for r in c.report.to_dict("records")}


def test_a_zip_member_whose_header_lies_costs_at_most_the_member_budget(tmp_path):
    z = tmp_path / "netwerk.zip"
    z.write_bytes(attacks.zip_lying_member(300 * MB))
    with bounded(5, 60):
        c = collect(z)
    rows = _report(c)
    assert rows["goed.json"]["status"] == STATUS_OK and len(c) == 1
    assert rows["bom.json"]["status"] == STATUS_REFUSED
    assert "beschadigd" in rows["bom.json"]["melding"]
    no_raw_text(rows["bom.json"]["melding"])


def test_a_zip_member_that_declares_its_huge_size_is_refused_unread(tmp_path):
    bomb, crc = attacks.deflate_bomb(300 * MB)
    good = attacks.answers_json("Goede School")
    z = tmp_path / "netwerk.zip"
    z.write_bytes(attacks.raw_zip([("goed.json", good, zlib.crc32(good), len(good), zipfile.ZIP_STORED),
                                   ("groot.json", bomb, crc, 300 * MB, zipfile.ZIP_DEFLATED)]))
    with bounded(3, 30):
        c = collect(z)
    rows = _report(c)
    assert rows["groot.json"]["status"] == STATUS_REFUSED and "te groot" in rows["groot.json"]["melding"]
    assert rows["goed.json"]["status"] == STATUS_OK


def test_a_member_that_inflates_past_the_budget_while_streaming_is_stopped(tmp_path, monkeypatch):
    import imworkbook.io.collect as C

    monkeypatch.setattr(C, "MAX_FILE_BYTES", 100_000)  # the answers-file budget, smaller, so the test is quick
    body = b'{"kind": "imworkbook.answers", "x": "' + b" " * 1_000_000 + b'"}'
    z = tmp_path / "netwerk.zip"
    with zipfile.ZipFile(z, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("groot.json", body)
    data = bytearray(z.read_bytes())  # now make both headers claim 50 KB (under the budget)
    for sig, at in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        i = data.index(sig)
        data[i + at:i + at + 4] = (50_000).to_bytes(4, "little")
    z.write_bytes(bytes(data))
    c = collect(z)
    row = _report(c)["groot.json"]
    assert row["status"] == STATUS_REFUSED and ("beschadigd" in row["melding"] or "groter dan" in row["melding"])


def test_the_zip_total_budget_refuses_later_members_and_loads_the_earlier(tmp_path, monkeypatch):
    monkeypatch.setattr(budgets, "ZIP_MAX_TOTAL_BYTES", 250_000)
    z = tmp_path / "netwerk.zip"
    with zipfile.ZipFile(z, "w", zipfile.ZIP_DEFLATED) as zf:
        for n in range(5):
            zf.writestr(f"s{n}.json", attacks.answers_json(f"School {n}", padding=100_000))
    c = collect(z)
    statuses = [r["status"] for r in c.report.to_dict("records")]
    assert statuses[:2] == [STATUS_OK, STATUS_OK] and set(statuses[2:]) == {STATUS_REFUSED}
    assert all("samen meer dan" in m for m in c.report["melding"][2:])
    assert c.counts["seen"] == 5


def test_a_zip_with_too_many_members_is_refused_before_its_list_is_read(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(budgets, "ZIP_MAX_MEMBERS", 5)
    z = tmp_path / "netwerk.zip"
    with zipfile.ZipFile(z, "w") as zf:
        for n in range(6):
            zf.writestr(f"s{n}.json", attacks.answers_json(f"School {n}"))
    c = collect(z)
    assert c.counts == {**c.counts, "seen": 1, "refused": 1}
    assert "6 bestanden" in c.report["melding"][0] and "hoogstens 5" in c.report["melding"][0]
    assert main(["validate", str(z)]) == 1


def _zip_of(members: int, size: int) -> bytes:
    out = io.BytesIO()
    base = attacks.answers_json("School", padding=size)
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
        for n in range(members):
            zf.writestr(f"s{n:03d}.json", base.replace(b'"name": "School"', f'"name": "School {n}"'.encode()))
    return out.getvalue()


def test_memory_does_not_grow_with_the_number_of_files(tmp_path):
    peaks = {}
    for members in (10, 100):
        z = tmp_path / f"{members}.zip"
        z.write_bytes(_zip_of(members, 1_000_000))
        tracemalloc.start()
        c = collect(z, keep_documents=False, workers=1)
        peaks[members] = tracemalloc.get_traced_memory()[1] / MB
        tracemalloc.stop()
        assert len(c) == members and not c.documents and len(c.columns["schools"]) == members
    assert peaks[100] < peaks[10] + 40, peaks  # 100 MB of documents were read; at most ~32 MB are held at once


def _write(folder: Path, name: str, data: bytes) -> None:
    (folder / name).parent.mkdir(parents=True, exist_ok=True)
    (folder / name).write_bytes(data)


def test_the_latest_saved_copy_counts_and_the_duplicate_keeps_its_own_error(tmp_path):
    _write(tmp_path, "a-oud.json", attacks.answers_json("De Linde", "11AA", saved_at="2026-10-01T10:00:00+00:00"))
    _write(tmp_path, "b-nieuw.json", attacks.answers_json("De Linde", "11AA", saved_at="2026-11-01T10:00:00+02:00"))
    bad = json.loads(attacks.answers_json("De Linde", "11AA", saved_at="2026-09-01T10:00:00+00:00"))
    first = next(iter(bad["answers"]))
    bad["answers"][first]["current"] = 9
    _write(tmp_path, "c-fout.json", json.dumps(bad).encode())
    c = collect(tmp_path)
    rows = _report(c)
    assert rows["b-nieuw.json"]["status"] == STATUS_OK and c.files == ["b-nieuw.json"]
    assert rows["a-oud.json"]["status"] == STATUS_DUPLICATE and "b-nieuw.json" in rows["a-oud.json"]["melding"]
    assert "later opgeslagen" in rows["a-oud.json"]["melding"]
    dup = rows["c-fout.json"]
    assert dup["status"] == STATUS_DUPLICATE and f"answers › {first}" in dup["melding"] and "9" in dup["melding"]


def test_which_duplicate_counts_does_not_depend_on_file_order(tmp_path):
    same = "2026-11-01T10:00:00+00:00"
    for folder, names in (("x", ("a.json", "b.json")), ("y", ("b.json", "a.json"))):
        _write(tmp_path / folder, names[0], attacks.answers_json("De Linde", "11AA", saved_at=same))
        _write(tmp_path / folder, names[1], attacks.answers_json("De Linde", "11AA", saved_at=same, level=2))
    x, y = collect(tmp_path / "x"), collect(tmp_path / "y")
    assert x.files == y.files == ["a.json"]  # a tie: the first by file name
    assert "eerst op bestandsnaam" in _report(x)["b.json"]["melding"]
    # without saved_at a file counts as the oldest
    _write(tmp_path / "z", "a.json", attacks.answers_json("De Linde", "11AA", saved_at=None))
    _write(tmp_path / "z", "b.json", attacks.answers_json("De Linde", "11AA", saved_at=same))
    assert collect(tmp_path / "z").files == ["b.json"]


def test_an_empty_folder_or_a_zip_without_answers_files_is_an_error(tmp_path, capsys):
    (tmp_path / "leeg").mkdir()
    assert main(["validate", str(tmp_path / "leeg")]) == 2
    assert "Geen antwoordenbestanden" in capsys.readouterr().err
    z = tmp_path / "anders.zip"
    with zipfile.ZipFile(z, "w") as zf:
        zf.writestr("lees-mij.txt", "hallo")
    assert main(["validate", str(z)]) == 2
    assert main(["compare", str(tmp_path / "leeg")]) == 2
    assert "Geen antwoordenbestanden" in capsys.readouterr().err


def test_broken_files_in_a_folder_get_dutch_messages_without_exception_text(tmp_path):
    _write(tmp_path, "kapot.json", b'{"kind": ')
    _write(tmp_path, "diep.json", b'{"kind": "imworkbook.answers", "x": ' + b"[" * 100_000 + b"]" * 100_000 + b"}")
    _write(tmp_path, "utf16.json", b"\xff\xfe" + b"\x00\xd8" * 10)
    _write(tmp_path, "zip.xlsx", b"PK\x03\x04" + b"\x00" * 100)
    _write(tmp_path, "goed.json", attacks.answers_json("Goed"))
    c = collect(tmp_path)
    rows = _report(c)
    assert rows["goed.json"]["status"] == STATUS_OK
    for name in ("kapot.json", "diep.json", "utf16.json", "zip.xlsx"):
        assert rows[name]["status"] == STATUS_REFUSED and rows[name]["melding"], name
        no_raw_text(rows[name]["melding"])


def test_control_characters_in_names_are_shown_not_obeyed(tmp_path):
    _write(tmp_path, "rood\x1b[31m.json", attacks.answers_json("School\x1b]0;gehackt\x07 \u202eenoz"))
    row = collect(tmp_path).report.to_dict("records")[0]
    assert row["status"] == STATUS_OK
    assert "\x1b" not in row["bestand"] + row["school"] and "\u202e" not in row["school"]
    assert row["bestand"] == "rood\\u001b[31m.json" and "\\u202e" in row["school"]


# --- fuzzing ------------------------------------------------------------------------------------------------------

def _mutate(data: bytes, edits: list[tuple[int, int, bytes]], cut: int | None) -> bytes:
    out = bytearray(data)
    for at, length, new in edits:
        at %= max(len(out), 1)
        out[at:at + length] = new
    return bytes(out[:cut] if cut is not None else out)


EDITS = st.lists(st.tuples(st.integers(0, 10**6), st.integers(0, 8), st.binary(max_size=8)), max_size=6)
CUTS = st.none() | st.integers(0, 40_000)
FUZZ = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                       HealthCheck.too_slow])


@FUZZ
@given(edits=EDITS, cut=CUTS, text_edit=st.sampled_from([None, ("3", "[[[[[["), ("4", "1e999999"),
                                                          ("po", "\u0000"), ('"', "'"), ("{", "")]))
def test_fuzz_answers_files_raise_only_the_documented_error(tmp_path, edits, cut, text_edit):
    data = attacks.answers_json("Fuzz", saved_at="2026-11-01T10:00:00+00:00")
    if text_edit:
        data = data.replace(text_edit[0].encode(), text_edit[1].encode(), 1)
    path = tmp_path / "fuzz.json"
    path.write_bytes(_mutate(data, edits, cut))
    try:
        result = load_answers(path)
    except AnswersFileError as exc:
        assert exc.problems and all(p.file == "fuzz.json" for p in exc.problems)
        no_raw_text(str(exc).replace("fuzz.json", ""))
    else:
        assert all(p.file == "fuzz.json" for p in result.problems)


@FUZZ
@given(edits=EDITS, cut=CUTS)
def test_fuzz_workbook_bytes(workbook, edits, cut):
    data = _mutate(workbook, edits, cut)
    try:
        read_workbook(data, "fuzz.xlsx")
    except AnswersFileError as exc:
        assert "fuzz.xlsx" in str(exc)


@settings(FUZZ, max_examples=25)
@given(rows=st.integers(1, 10**9), cols=st.sampled_from(["L", "Z", "XFD"]), dimension=st.booleans(),
       far_row=st.booleans(), strings=st.integers(0, 10**9), declare=st.booleans())
def test_fuzz_workbook_claims(workbook, rows, cols, dimension, far_row, strings, declare):
    data = attacks.xlsx_million_rows(workbook, rows=rows, dimension=dimension, far_row=far_row, col=cols)
    data = attacks.xlsx_shared_strings(data, entries=1, declare=False)  # the template has inline strings only
    claim = f' count="{strings}" uniqueCount="{strings}"' if declare else ""
    data = attacks.rewrite_parts(data, {"xl/sharedStrings.xml": lambda x: re.sub(
        rb"<sst([^>]*?)(\s+count=\"\d+\")?(\s+uniqueCount=\"\d+\")?>", f"<sst\\1{claim}>".encode(), x, count=1)})
    start = time.perf_counter()
    try:
        result = read_workbook(data, "fuzz.xlsx")
    except AnswersFileError as exc:
        assert "fuzz.xlsx" in str(exc)
        no_raw_text(str(exc).replace("fuzz.xlsx", ""))
        over = (dimension or far_row) and rows > budgets.XLSX_MAX_ROWS or declare and strings > budgets.XLSX_MAX_SHARED_STRINGS
        assert over or "formule" in str(exc) or "ontbreekt" in str(exc), str(exc)
    else:
        assert not ((dimension or far_row) and rows > budgets.XLSX_MAX_ROWS)
        assert not (declare and strings > budgets.XLSX_MAX_SHARED_STRINGS)
        assert result.answers.school.name == "De Regenboog"
    assert time.perf_counter() - start < 5


MEMBER = st.one_of(
    st.builds(lambda n, lvl: attacks.answers_json(f"School {n}", f"{n:02d}AA", level=lvl),
              st.integers(0, 5), st.sampled_from([1, 3, 5, 9, "x", None])),
    st.binary(max_size=200),
    st.sampled_from([b"", b"{", b'{"kind": "imworkbook.answers"}', b"[" * 5000, b"\xff\xfe\x00\xd8"]),
)
NAME = st.sampled_from(["a.json", "b.json", "map/c.json", "../klimt.json", "/abs.json", ".verborgen.json",
                        "d.xlsx", "e.csv", "f", "g.JSON"])


@FUZZ
@given(members=st.lists(st.tuples(NAME, MEMBER, st.integers(-3, 3), st.booleans()), max_size=8))
def test_fuzz_network_zips(tmp_path, members):
    entries = []
    for n, (name, body, lie, deflate) in enumerate(members):
        comp = body
        if deflate:
            c = zlib.compressobj(6, zlib.DEFLATED, -15)
            comp = c.compress(body) + c.flush()
        declared = max(0, len(body) + lie * 7)  # sometimes the headers lie about the size
        entries.append((f"{n}-{name}" if not name.startswith(("/", "..")) else name, comp, zlib.crc32(body),
                        declared, zipfile.ZIP_DEFLATED if deflate else zipfile.ZIP_STORED))
    z = tmp_path / "fuzz.zip"
    z.write_bytes(attacks.raw_zip(entries))
    with bounded(10, 100):
        c = collect(z)
    report = c.report.to_dict("records")
    assert c.counts["seen"] == len(report) == len(entries)
    for row in report:
        assert row["bestand"]
        if row["status"] in (STATUS_REFUSED, STATUS_DUPLICATE, STATUS_WARN):
            assert row["melding"]
        no_raw_text(row["melding"])
