"""Collecting a network's answers files: a folder (nested) or a zip, with a validation report.

Every file seen gets exactly one line in the report (file, school, round, status, message), so the
counts always add up to the number of files. Valid files load even when others fail. The same school
(by school code, else by name) twice in one round is reported as ``dubbel`` and counted once. Files of
older schema versions are migrated. Nothing is extracted to disk: zip members are read in memory, a
member whose path climbs out of the folder (zip slip) is refused, and a file larger than the limit is
refused without being read.

Which duplicate counts: of the files of one school and round, the one with the latest ``saved_at`` (a file
without it counts as the oldest); on a tie, the first by file name (path in the folder or zip). The others are
``dubbel`` and keep their own verdict: their message names the file that counts and lists their own errors and
warnings. The order in which files are found plays no part.

Budgets (:mod:`imworkbook.base.budgets`): every file at most ``ANSWERS_MAX_BYTES`` (a zip member is counted while it
inflates, so a header that understates its size costs no more than that); a zip at most ``ZIP_MAX_MEMBERS``
members (checked in its end record, before the member list is read) and ``ZIP_MAX_TOTAL_BYTES`` unpacked in
total (members past that are refused, each with a line; the ones before load). With ``keep_documents=False``
only the numbers of each file are kept, so memory does not grow with the number of files.
"""

from __future__ import annotations

import gc
import os
import re
import zipfile
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Callable, Iterator

import pandas as pd

from imworkbook.base import budgets
from imworkbook.base.errors import AnswersFileError, Msg, Parts, Problem, reason_of, render_value
from imworkbook.io.fastlane import Columns, FastLane, as_document, column_spec, extract_columns, join_columns
from imworkbook.io.reading import _decode, parse_answers
from imworkbook.io.safezip import TooLarge, read_capped, read_member, zip_directory
from imworkbook.io.spreadsheet import SUFFIXES as SPREADSHEET_SUFFIXES
from imworkbook.io.workspace import EXAMPLES_SUBFOLDER
from imworkbook.model.answers import MAX_FILE_BYTES, school_identity
from imworkbook.model.content import MaturityModel, load_investment_model, load_model

# the status of a file in the report: neutral ids; their words are i18n keys status_<id> (STATUS_LABELS)
STATUS_OK = "loaded"
STATUS_WARN = "loaded_with_notes"
STATUS_REFUSED = "refused"
STATUS_DUPLICATE = "duplicate"
STATUS_SKIPPED = "skipped"
STATUSES = (STATUS_OK, STATUS_WARN, STATUS_DUPLICATE, STATUS_REFUSED, STATUS_SKIPPED)
STATUS_LABELS = {STATUS_OK: "status_ok", STATUS_WARN: "status_warn", STATUS_DUPLICATE: "status_duplicate",
                 STATUS_REFUSED: "status_refused", STATUS_SKIPPED: "status_skipped"}
REPORT_COLUMNS = ["bestand", "school", "ronde", "status", "melding"]  # column keys
REPORT_HEADER_KEYS = {"bestand": "report_file", "school": "report_school", "ronde": "report_round",
                      "status": "report_status", "melding": "report_message"}  # their words (i18n), wherever shown


def _m(code: str, **values) -> Msg:
    """A report message (i18n key ``problem.collect.<code>``)."""
    return Msg(f"problem.collect.{code}", **values)


@dataclass
class Collected:
    documents: list[dict] = field(default_factory=list)  # valid and unique, in file order, as plain dicts
    files: list[str] = field(default_factory=list)  # the file each document came from
    report: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=REPORT_COLUMNS))
    columns: dict | None = None  # the numbers of the documents as compact arrays (see fastlane.extract_columns)
    messages: list = field(default_factory=list)  # per report row: its message (Parts), for report_in(lang)

    @property
    def counts(self) -> dict[str, int]:
        counts = self.report["status"].value_counts().to_dict()
        return {"seen": len(self.report), **{s: int(counts.get(s, 0)) for s in STATUSES}}

    def report_in(self, lang: str = "nl", labels: bool = True, only_problems: bool = False) -> pd.DataFrame:
        """The report with its messages (and, with ``labels``, its statuses) in ``lang``; the column keys stay
        (``report_<key>`` in i18n are their words). ``report`` itself has the Dutch messages. ``only_problems``:
        the rows of the files not simply loaded (chosen before anything is translated)."""
        from imworkbook.base.i18n import t

        out = self.report[self.report["status"] != STATUS_OK] if only_problems else self.report
        if lang == "nl" and not labels:
            return out
        out = out.copy()
        if lang != "nl" and "messages" in self.__dict__ and len(self.messages) == len(self.report):
            positions = self.report.index.get_indexer(out.index)
            out["melding"] = [_visible(render_value(self.messages[i], lang)) if self.messages[i] else ""
                              for i in positions]
        if labels:
            words = {status: t(key, lang) for status, key in STATUS_LABELS.items()}
            out["status"] = [words.get(v, v) for v in out["status"]]
        return out

    def __len__(self) -> int:
        return len(self.files)

    @property
    def empty(self) -> bool:
        """No file that could be an answers file (``.json``, ``.xlsx``, ``.ods``, ``.xls``) was seen: an empty folder, a zip
        of other files, or the wrong folder."""
        names = self.report.loc[self.report["status"] != STATUS_SKIPPED, "bestand"].astype(str).str.lower()
        return not names.str.endswith((".json", ".xlsx", ".ods", ".xls", ".zip")).any()  # .zip: a zip refused as a whole


class ZipBudgetSpent(Exception):
    """The zip's total unpacked budget is used up: the remaining members are not read."""


Member = tuple[str, int | None, Callable[[], bytes] | None, Msg | None]  # name, size (None: ask the reader),
# reader, refusal message


class _ZipReader:
    """Reads one zip member, at most ``ANSWERS_MAX_BYTES`` while it inflates, within the zip's total budget."""

    __slots__ = ("zf", "info", "used")

    def __init__(self, zf: zipfile.ZipFile, info: zipfile.ZipInfo, used: list[int]):
        self.zf, self.info, self.used = zf, info, used  # used: unpacked bytes so far, shared by all members

    def __call__(self) -> bytes:
        if self.used[0] + min(self.info.file_size, MAX_FILE_BYTES) > budgets.ZIP_MAX_TOTAL_BYTES:
            raise ZipBudgetSpent()
        try:
            data = read_member(self.zf, self.info, MAX_FILE_BYTES)
        except TooLarge as exc:
            self.used[0] += 0 if exc.declared else MAX_FILE_BYTES
            raise
        self.used[0] += len(data)
        return data


def _zip_members(zf: zipfile.ZipFile) -> Iterator[Member]:
    used = [0]
    for info in zf.infolist():
        if info.is_dir():
            continue
        name = info.filename
        parts = PurePosixPath(name.replace("\\", "/")).parts
        if name.startswith(("/", "\\")) or ".." in parts or (parts and ":" in parts[0]):
            yield name, info.file_size, None, _m("zip_slip")
            continue
        yield name, info.file_size, _ZipReader(zf, info, used), None


class _FileReader:
    """Reads one file when called (picklable, so a worker process can read it itself); :meth:`size` measures it."""

    __slots__ = ("path",)

    def __init__(self, path: str):
        self.path = path

    def size(self) -> int:
        return os.stat(self.path).st_size

    def __call__(self) -> bytes:
        with open(self.path, "rb", buffering=0) as fh:  # (unbuffered: one read of the file's own size)
            return read_capped(fh, MAX_FILE_BYTES)  # the file may have grown since it was measured


def _folder_members(source: Path) -> Iterator[Member]:
    if source.is_file():
        yield source.name, source.stat().st_size, _FileReader(str(source)), None
        return
    # (sort key, name, path): sorted by the name's parts, as a string whose separator sorts before every character
    found: list[tuple[str, str, str]] = []
    linked: set[str] = set()
    root = str(source)
    for folder, dirs, names in os.walk(root):  # plain strings: a national network has 30,000+ files
        rel = os.path.relpath(folder, root)
        prefix = "" if rel == "." else rel.replace(os.sep, "/") + "/"
        key = prefix.replace("/", "\0")
        base = os.path.join(folder, "")  # (the folder with its separator, once; not os.path.join per file)
        found.extend([(key + n, prefix + n, base + n) for n in names])
        for d in dirs:  # a link to a folder is not followed, but it is not silently ignored either
            if os.path.islink(os.path.join(folder, d)):
                linked.add(prefix + d)
                found.append((key + d, prefix + d, os.path.join(folder, d)))
    found.sort()
    for _key, name, path in found:
        if name in linked:
            yield name, 0, None, _m("folder_link")
            continue
        yield name, None, _FileReader(path), None  # (measured where it is read: in a worker, for a large folder)


def collect(source: str | Path, model: MaturityModel | None = None,
            progress: Callable[[int, int], None] | None = None, keep_documents: bool = True,
            workers: int | None = None) -> Collected:
    """Load every answers file under ``source`` (a folder, a zip, or one file) with a report line each.

    ``keep_documents=False`` keeps only the numbers (``Collected.columns``), which is all a comparison
    needs; a large folder is then read by several processes at once (``workers``, default: one per core).
    """
    model = model or load_model()
    source = Path(source)
    if not source.exists():
        raise FileNotFoundError(2, "map of zip niet gevonden", str(source))
    if source.is_file() and source.suffix.lower() not in (".xlsx", ".xls", ".ods") and zipfile.is_zipfile(source):
        with open(source, "rb") as fh:
            refusal = _zip_refusal(fh)
            if refusal:
                return _merge([_Chunk([_refused_row(source.name, refusal)], [None], [None], [None], [None], [],
                                      extract_columns([], *column_spec(model, load_investment_model())))],
                              progress, 1)
            with zipfile.ZipFile(fh) as zf:  # members are read while the zip is open
                members = list(_zip_members(zf))
                return _merge([_load_chunk(members, model, keep_documents, progress)], progress, len(members))
    members = list(_folder_members(source))
    workers = workers if workers is not None else (os.cpu_count() or 1)
    if keep_documents or workers < 2 or len(members) < PARALLEL_FROM:
        chunks = [_load_chunk(members, model, keep_documents, progress)]
        return _merge(chunks, progress, len(members))
    with _cycle_collector_paused():  # (the report's rows and messages of every file arrive here: see _load_chunk)
        return _merge(_parallel_chunks(members, model, workers, progress), progress, len(members))


def _zip_refusal(fh) -> Msg | None:
    """Why a whole zip is not read (too many members, a broken member list), checked before the list is loaded."""
    found = zip_directory(fh)
    fh.seek(0)
    if found is None:
        return _m("zip_no_directory")
    count, directory = found
    if count > budgets.ZIP_MAX_MEMBERS or directory > budgets.ZIP_MAX_DIRECTORY_BYTES:
        return _m("zip_too_many_members", count=count, max=budgets.ZIP_MAX_MEMBERS)
    try:
        zipfile.ZipFile(fh).close()
    except Exception as exc:  # noqa: BLE001 - a broken zip is one report line, never a traceback
        return _m("zip_unreadable", why=reason_of(exc))
    finally:
        fh.seek(0)
    return None


def _refused_row(name: str, message: Msg) -> dict:
    return {"bestand": name, "school": "", "ronde": "", "status": STATUS_REFUSED, "melding": Parts([message])}


PARALLEL_FROM = 3000  # below this many files, starting worker processes costs more than it saves
CHUNK_MIN = 500  # files per task sent to a worker, at least


def _parallel_chunks(members: list[Member], model: MaturityModel, workers: int,
                     progress: Callable[[int, int], None] | None) -> list["_Chunk"]:
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    global _SHARED
    size = max(CHUNK_MIN, len(members) // (workers * 16))  # (small tasks: no core waits long for the last one)
    spans = [(i, min(i + size, len(members))) for i in range(0, len(members), size)]
    done = 0
    results: list[_Chunk] = []
    forked = multiprocessing.get_start_method() == "fork"
    if forked:  # the workers see the list as it was when they were made: no copy of 30,000 members is sent
        _SHARED, tasks = members, [(None, start, stop) for start, stop in spans]
    else:
        tasks = [(members[start:stop], 0, stop - start) for start, stop in spans]
    try:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            for chunk in pool.map(_load_span, tasks, [model] * len(tasks)):
                results.append(chunk)
                done += len(chunk.rows)
                if progress:
                    progress(done, len(members))
    finally:
        _SHARED = []
    return results


_SHARED: list[Member] = []  # the members of a parallel collect, for workers made by fork


def _load_span(task: tuple[list[Member] | None, int, int], model: MaturityModel) -> "_Chunk":
    members, start, stop = task
    return _load_chunk((_SHARED if members is None else members)[start:stop], model, False)


@dataclass
class _Chunk:
    rows: list[dict]
    keys: list[tuple[str, str] | None]  # per row: the school key of a loaded document, else None
    raters: list[str | None]  # per row: the rater role of a loaded document (None: the school's answer)
    saved: list[str | None]  # per row: the saved_at of a loaded document
    by_name: list[str | None]  # per row: a loaded document with a school code: its identity by name alone
    documents: list[dict]  # the loaded documents (empty unless kept)
    columns: dict  # their numbers (fastlane.extract_columns)


def _load_chunk(members: list[Member], model: MaturityModel, keep_documents: bool,
                progress: Callable[[int, int], None] | None = None) -> _Chunk:
    """Read and check a list of files: one report line each (duplicates are found later, in _merge).

    Python's cycle collector is paused meanwhile: a parsed file is some 150 dicts, so it would run every few files
    and walk every document still held (a quarter of the time, measured); parsed JSON holds no reference cycles,
    so reference counting frees everything as before."""
    with _cycle_collector_paused():
        return _load_chunk_now(members, model, keep_documents, progress)


@contextmanager
def _cycle_collector_paused() -> Iterator[None]:
    paused = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if paused:
            gc.enable()


def _load_chunk_now(members: list[Member], model: MaturityModel, keep_documents: bool,
                    progress: Callable[[int, int], None] | None) -> _Chunk:
    rows: list[dict] = []
    keys: list[tuple[str, str] | None] = []
    raters: list[str | None] = []
    saved: list[str | None] = []
    by_name: list[str | None] = []
    docs: list[dict] = []
    inv = load_investment_model()
    lane = FastLane(model, inv)
    numbers = Columns(*column_spec(model, inv))
    for i, (name, size, read, refusal) in enumerate(members):
        if progress and i % 250 == 0:
            progress(i, len(members))
        row, doc = _load_one(name, size, read, refusal, lane, model)
        # the report is shown in a terminal and a web page: control characters made visible
        row["bestand"], row["school"] = _visible(row["bestand"]), _visible(row["school"])
        rows.append(row)
        if doc is None:
            keys.append(None)
            raters.append(None)
            saved.append(None)
            by_name.append(None)
            continue
        numbers.add(doc)  # (now, while the document is fresh in memory; without keep_documents it is then let go)
        key, school_name, *_ = numbers.schools[-1]  # (its school key, made once in Columns.add)
        keys.append((key, doc["round"]))
        raters.append(doc.get("rater"))
        saved.append(doc.get("saved_at"))
        named = school_identity(None, school_name)  # (a school known by its code: its identity by name, for _merge)
        by_name.append(named if named != key else None)
        if keep_documents:
            docs.append(doc)
    return _Chunk(rows, keys, raters, saved, by_name, docs if keep_documents else [], numbers.result())


def _load_one(name: str, size: int | None, read: Callable[[], bytes] | None, refusal: Msg | None, lane: FastLane,
              model: MaturityModel) -> tuple[dict, dict | None]:
    row = {"bestand": name, "school": "", "ronde": "", "status": STATUS_REFUSED, "melding": Parts()}
    folders = name.replace("\\", "/").split("/")  # plain strings: this runs for each of 30,000+ files
    base = folders.pop()
    if refusal or read is None:
        row["melding"] = Parts([refusal or _m("unreadable")])
        return row, None
    if size is None:
        try:
            size = read.size()  # type: ignore[attr-defined]
        except OSError as exc:
            row["melding"] = Parts([Msg("problem.file.unreadable", why=reason_of(exc))])
            return row, None
    if base.startswith(".") or ".origineel-" in base:
        row.update(status=STATUS_SKIPPED, melding=Parts([_m("hidden_or_backup")]))
        return row, None
    if EXAMPLES_SUBFOLDER in folders:  # a copy of an example school
        row.update(status=STATUS_SKIPPED, melding=Parts([_m("example")]))
        return row, None
    dot = base.rfind(".")
    suffix = base[dot:].lower() if 0 < dot < len(base) - 1 else ""  # as PurePosixPath.suffix
    if size > MAX_FILE_BYTES:
        row["melding"] = Parts([_m("too_large", mb=round(size / 1e6), max_mb=round(MAX_FILE_BYTES / 1e6))])
        return row, None
    if suffix == ".csv":
        row["melding"] = Parts([Msg("problem.sheet.csv")])
        return row, None
    if suffix not in (".json", *SPREADSHEET_SUFFIXES):
        row["melding"] = Parts([_m("other_kind", suffix=suffix) if suffix else _m("no_suffix")])
        return row, None
    if size == 0:
        row["melding"] = Parts([Msg("problem.answers.empty")])
        return row, None
    try:
        data = read()
        doc, problems, loaded = None, [], None
        if suffix in SPREADSHEET_SUFFIXES:  # a filled-in questionnaire workbook (.xlsx, .ods; the spreadsheet route)
            from imworkbook.io.excel import read_workbook

            loaded = read_workbook(data, base, model)
            doc = as_document(loaded.answers)
        elif not data.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")):
            doc = lane.read(data)
        if doc is None:  # the slow lane: lenient parsing with messages
            text, _encoding, problems = _decode(data, base)
            loaded = parse_answers(text, base, model)
            doc = as_document(loaded.answers)
    except AnswersFileError as exc:
        row["melding"] = Parts(_bare(p) for p in exc.problems)
        return row, None
    except TooLarge:
        row["melding"] = Parts([_m("unpacked_too_large", max_mb=round(MAX_FILE_BYTES / budgets.MB, 1))])
        return row, None
    except ZipBudgetSpent:
        row["melding"] = Parts([_m("zip_budget_spent", max_mb=round(budgets.ZIP_MAX_TOTAL_BYTES / budgets.MB, 1))])
        return row, None
    except Exception as exc:  # noqa: BLE001 - one odd file never stops the batch; never raw exception text
        row["melding"] = Parts([_m("cannot_read", why=reason_of(exc))])
        return row, None
    row.update(school=doc["school"]["name"], ronde=doc["round"])
    issues = [p for p in [*problems, *(loaded.problems if loaded else [])] if p.severity in ("error", "warning")]
    if issues:
        more = [_m("more", n=len(issues) - 3)] if len(issues) > 3 else []
        row.update(status=STATUS_WARN, melding=Parts([*(_bare(p) for p in issues[:3]), *more]))
    else:
        row.update(status=STATUS_OK)
    return row, doc


def _bare(problem: Problem) -> Problem:
    """A problem as a line of the report: the file is the row's own, so only place and message."""
    return problem.replace(file="")


def _moment(saved_at: str | None) -> float:
    """``saved_at`` as a point in time (UTC when no zone is given); missing or unreadable: the oldest."""
    import datetime as dt

    try:
        moment = dt.datetime.fromisoformat(str(saved_at).strip().replace("Z", "+00:00"))
    except (TypeError, ValueError):
        return float("-inf")
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.timezone.utc)
    return moment.timestamp()


def _merge(chunks: list[_Chunk], progress: Callable[[int, int], None] | None, total: int) -> Collected:
    """Join chunks in file order; the same school and round twice counts once: the file with the latest
    ``saved_at``, on a tie the first by file name (see the module docstring). Every duplicate keeps its own
    problems in its message."""
    import numpy as np

    result = Collected()
    rows: list[dict] = []
    loaded: list[tuple[dict, tuple[str, str], str | None, str | None, int, int, str | None]] = []  # row, key,
    for c, chunk in enumerate(chunks):                  # rater, saved, chunk, document in chunk, identity by name
        d = 0
        for row, key, rater, saved, by_name in zip(chunk.rows, chunk.keys, chunk.raters, chunk.saved, chunk.by_name):
            rows.append(row)
            if key is not None:
                loaded.append((row, key, rater, saved, c, d, by_name))
                d += 1
    first_come = lambda e: (-_moment(e[3]), e[0]["bestand"])  # noqa: E731 - which of two files counts
    seen: dict[tuple[str, str], int] = {}
    for entry in loaded:
        seen[entry[1]] = seen.get(entry[1], 0) + 1
    winner: dict[tuple[str, str], tuple[dict, str | None, str | None]] = {}
    for row, key, rater, saved, *_ in sorted((e for e in loaded if seen[e[1]] > 1), key=first_come):
        winner.setdefault(key, (row, rater, saved))  # (only the few keys seen twice need the order)
    keep: list[bool] = []  # per loaded document over all chunks, in file order
    for row, key, rater, saved, c, d, _name in loaded:
        first, first_rater, first_saved = winner.get(key) or winner.setdefault(key, (row, rater, saved))
        if first is row:
            if rater:
                row.update(status=STATUS_WARN, melding=Parts([*row["melding"], _m("one_rater", rater=rater)]))
            keep.append(True)
            result.files.append(row["bestand"])
            if chunks[c].documents:
                result.documents.append(chunks[c].documents[d])
            continue
        why = _m("saved_later") if _moment(first_saved) > _moment(saved) else _m("same_time")
        message = _m("duplicate", first=first["bestand"], why=why)
        if rater or first_rater:
            message = _m("another_rater", first=first["bestand"])
        own = row["melding"] if row["status"] == STATUS_WARN else Parts()
        row.update(status=STATUS_DUPLICATE, melding=Parts([message, _m("own_messages", own=own)]) if own
                   else Parts([message]))
        keep.append(False)
    _same_name_with_and_without_code([e for e in loaded if winner[e[1]][0] is e[0]], first_come)
    result.columns = join_columns([c.columns for c in chunks], np.asarray(keep, dtype=bool))
    if progress:
        progress(total, total)
    result.messages = [row["melding"] for row in rows]
    for row in rows:  # (file and school made visible in _load_chunk)
        row["melding"] = _visible(render_value(row["melding"], "nl")) if row["melding"] else ""
    result.report = pd.DataFrame(rows, columns=REPORT_COLUMNS)
    return result


def _same_name_with_and_without_code(winners: list[tuple], first_come: Callable) -> None:
    """A school identifies by its code, else by its name: the same school once with and once without a code would
    count twice (and make a group look bigger than it is). Names are not unique in the Netherlands, so this is a
    remark on the file without a code, not a merge. ``winners``: the entries that count (see ``_merge``), each
    with the school's identity by name when it has a code; of several coded files, the remark names the one that
    comes first by ``first_come``."""
    uncoded = {e[1] for e in winners if e[6] is None}  # (an identity by name, round)
    coded: dict[tuple[str, str], str] = {}
    for entry in sorted((e for e in winners if e[6] is not None and (e[6], e[1][1]) in uncoded), key=first_come):
        coded.setdefault((entry[6], entry[1][1]), entry[0]["bestand"])
    for row, key, *_ in winners:
        other = coded.get(key)
        if other and key in uncoded:
            row.update(status=STATUS_WARN, melding=Parts([*row["melding"], _m("same_name_no_code", other=other)]))


def _visible(text):
    """Control characters made visible (the report is shown in a terminal and a web page)."""
    if isinstance(text, str) and _CONTROL.search(text):
        return _CONTROL.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
    return text


# C0 and C1 control characters (terminal escape codes), and the invisible ones that reorder or hide text
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")
