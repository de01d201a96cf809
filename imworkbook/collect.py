"""Collecting a network's answers files: a folder (nested) or a zip, with a validation report.

Every file seen gets exactly one line in the report (file, school, round, status, message), so the
counts always add up to the number of files. Valid files load even when others fail. The same school
(by school code, else by name) twice in one round is reported as ``dubbel`` and counted once. Files of
older schema versions are migrated. Nothing is extracted to disk: zip members are read in memory, a
member whose path climbs out of the folder (zip slip) is refused, and a file larger than the limit is
refused without being read.
"""

from __future__ import annotations

import os
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Callable, Iterator

import pandas as pd

from .answers import MAX_FILE_BYTES, _decode, parse_answers, slug
from .content import MaturityModel, load_investment_model, load_model
from .fastlane import FastLane, as_document, column_spec, extract_columns, join_columns
from .errors import AnswersFileError

STATUS_OK = "geladen"
STATUS_WARN = "geladen met opmerkingen"
STATUS_REFUSED = "geweigerd"
STATUS_DUPLICATE = "dubbel"
STATUS_SKIPPED = "overgeslagen"
REPORT_COLUMNS = ["bestand", "school", "ronde", "status", "melding"]


@dataclass
class Collected:
    documents: list[dict] = field(default_factory=list)  # valid and unique, in file order, as plain dicts
    files: list[str] = field(default_factory=list)  # the file each document came from
    report: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=REPORT_COLUMNS))
    columns: dict | None = None  # the numbers of the documents as compact arrays (see fastlane.extract_columns)

    @property
    def counts(self) -> dict[str, int]:
        counts = self.report["status"].value_counts().to_dict()
        return {"gezien": len(self.report), **{s: int(counts.get(s, 0)) for s in
                                               (STATUS_OK, STATUS_WARN, STATUS_DUPLICATE, STATUS_REFUSED,
                                                STATUS_SKIPPED)}}

    def __len__(self) -> int:
        return len(self.files)


Member = tuple[str, int, Callable[[], bytes] | None, str | None]  # name, size, reader, refusal message


def _zip_members(zf: zipfile.ZipFile) -> Iterator[Member]:
    for info in zf.infolist():
        if info.is_dir():
            continue
        name = info.filename
        parts = PurePosixPath(name.replace("\\", "/")).parts
        if name.startswith(("/", "\\")) or ".." in parts or (parts and ":" in parts[0]):
            yield name, info.file_size, None, "pad klimt uit de map (zip slip); niet uitgepakt en niet gelezen"
            continue
        yield name, info.file_size, (lambda info=info: zf.read(info)), None


class _FileReader:
    """Reads one file when called (picklable, so a worker process can read it itself)."""

    __slots__ = ("path",)

    def __init__(self, path: str):
        self.path = path

    def __call__(self) -> bytes:
        with open(self.path, "rb") as fh:
            return fh.read()


def _folder_members(source: Path) -> Iterator[Member]:
    if source.is_file():
        yield source.name, source.stat().st_size, _FileReader(str(source)), None
        return
    found: list[tuple[list[str], str]] = []
    linked: set[str] = set()
    root = str(source)
    for folder, dirs, names in os.walk(root):  # plain strings: a national network has 30,000+ files
        rel = os.path.relpath(folder, root)
        prefix = "" if rel == "." else rel.replace(os.sep, "/") + "/"
        found.extend(((prefix + n).split("/"), os.path.join(folder, n)) for n in names)
        for d in dirs:  # a link to a folder is not followed, but it is not silently ignored either
            if os.path.islink(os.path.join(folder, d)):
                linked.add(prefix + d)
                found.append(((prefix + d).split("/"), os.path.join(folder, d)))
    for parts, path in sorted(found):  # by path parts, as before
        name = "/".join(parts)
        if name in linked:
            yield name, 0, None, "koppeling naar een map; niet gevolgd"
            continue
        try:
            size = os.stat(path).st_size
        except OSError as exc:
            yield name, 0, None, f"kan het bestand niet lezen ({exc.strerror or exc})"
            continue
        yield name, size, _FileReader(path), None


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
    if source.is_file() and zipfile.is_zipfile(source):
        with zipfile.ZipFile(source) as zf:  # members are read while the zip is open
            members = list(_zip_members(zf))
            return _merge([_load_chunk(members, model, keep_documents, progress)], progress, len(members))
    members = list(_folder_members(source))
    workers = workers if workers is not None else (os.cpu_count() or 1)
    if keep_documents or workers < 2 or len(members) < PARALLEL_FROM:
        chunks = [_load_chunk(members, model, keep_documents, progress)]
        return _merge(chunks, progress, len(members))
    return _merge(_parallel_chunks(members, model, workers, progress), progress, len(members))


PARALLEL_FROM = 3000  # below this many files, starting worker processes costs more than it saves
CHUNK_MIN = 500  # files per task sent to a worker, at least


def _parallel_chunks(members: list[Member], model: MaturityModel, workers: int,
                     progress: Callable[[int, int], None] | None) -> list["_Chunk"]:
    from concurrent.futures import ProcessPoolExecutor

    size = max(CHUNK_MIN, len(members) // (workers * 6))
    parts = [members[i:i + size] for i in range(0, len(members), size)]
    done = 0
    results: list[_Chunk] = []
    with ProcessPoolExecutor(max_workers=workers) as pool:
        for chunk in pool.map(_load_chunk, parts, [model] * len(parts), [False] * len(parts)):
            results.append(chunk)
            done += len(chunk.rows)
            if progress:
                progress(done, len(members))
    return results


@dataclass
class _Chunk:
    rows: list[dict]
    keys: list[tuple[str, str] | None]  # per row: the school key of a loaded document, else None
    raters: list[str | None]  # per row: the rater role of a loaded document (None: the school's answer)
    documents: list[dict]  # the loaded documents (empty unless kept)
    columns: dict  # their numbers (fastlane.extract_columns)


def _load_chunk(members: list[Member], model: MaturityModel, keep_documents: bool,
                progress: Callable[[int, int], None] | None = None) -> _Chunk:
    """Read and check a list of files: one report line each (duplicates are found later, in _merge)."""
    rows: list[dict] = []
    keys: list[tuple[str, str] | None] = []
    raters: list[str | None] = []
    docs: list[dict] = []
    inv = load_investment_model()
    lane = FastLane(model, inv)
    for i, (name, size, read, refusal) in enumerate(members):
        if progress and i % 250 == 0:
            progress(i, len(members))
        row, doc = _load_one(name, size, read, refusal, lane, model)
        rows.append(row)
        raters.append(doc.get("rater") if doc is not None else None)
        if doc is None:
            keys.append(None)
            continue
        school = doc["school"]
        keys.append(((school.get("code") or "").strip().upper() or slug(school["name"]), doc["round"]))
        docs.append(doc)
    columns = extract_columns(docs, *column_spec(model, inv))
    return _Chunk(rows, keys, raters, docs if keep_documents else [], columns)


def _load_one(name: str, size: int, read: Callable[[], bytes] | None, refusal: str | None, lane: FastLane,
              model: MaturityModel) -> tuple[dict, dict | None]:
    row = {"bestand": name, "school": "", "ronde": "", "status": STATUS_REFUSED, "melding": ""}
    base = PurePosixPath(name).name
    if refusal or read is None:
        row["melding"] = refusal or "kan het bestand niet lezen"
        return row, None
    if base.startswith(".") or ".origineel-" in base:
        row.update(status=STATUS_SKIPPED, melding="verborgen bestand of reservekopie; niet meegeteld")
        return row, None
    suffix = PurePosixPath(name).suffix.lower()
    if size > MAX_FILE_BYTES:
        row["melding"] = (f"bestand is te groot voor een antwoordenbestand ({size / 1e6:,.0f} MB; hoogstens "
                          f"{MAX_FILE_BYTES / 1e6:.0f} MB); niet gelezen").replace(",", ".")
        return row, None
    if suffix not in (".json", ".xlsx", ".xls"):
        kind = {".csv": "een CSV-bestand"}.get(suffix, f"een {suffix or 'onbekend'}-bestand")
        row["melding"] = (f"dit is {kind}, geen antwoordenbestand van imworkbook (.json); lever het "
                          "antwoordenbestand uit het werkboek in")
        return row, None
    if size == 0:
        row["melding"] = "bestand is leeg"
        return row, None
    try:
        data = read()
        doc, problems, loaded = None, [], None
        if suffix in (".xlsx", ".xls"):  # a filled-in questionnaire workbook (the Excel route)
            from .excel import read_workbook

            loaded = read_workbook(data, base, model)
            doc = as_document(loaded.answers)
        elif not data.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")):
            doc = lane.read(data)
        if doc is None:  # the slow lane: lenient parsing with messages
            text, _encoding, problems = _decode(data, base)
            loaded = parse_answers(text, base, model)
            doc = as_document(loaded.answers)
    except AnswersFileError as exc:
        row["melding"] = "; ".join(p.message if not p.where else f"{p.where}: {p.message}" for p in exc.problems)
        return row, None
    except Exception as exc:  # noqa: BLE001 - one odd file never stops the batch
        row["melding"] = f"onverwachte fout bij het lezen ({type(exc).__name__}: {exc})"
        return row, None
    row.update(school=doc["school"]["name"], ronde=doc["round"])
    issues = [p for p in [*problems, *(loaded.problems if loaded else [])] if p.severity in ("fout", "waarschuwing")]
    if issues:
        shown = "; ".join(f"{p.where}: {p.message}" if p.where else p.message for p in issues[:3])
        more = f" (+{len(issues) - 3} meer)" if len(issues) > 3 else ""
        row.update(status=STATUS_WARN, melding=shown + more)
    else:
        row.update(status=STATUS_OK)
    return row, doc


def _merge(chunks: list[_Chunk], progress: Callable[[int, int], None] | None, total: int) -> Collected:
    """Join chunks in file order; the same school and round twice counts once (the first file)."""
    import numpy as np

    result = Collected()
    rows: list[dict] = []
    seen: dict[tuple[str, str], tuple[str, str | None]] = {}
    keep: list[bool] = []  # per loaded document over all chunks
    for chunk in chunks:
        d = 0
        for row, key, rater in zip(chunk.rows, chunk.keys, chunk.raters):
            rows.append(row)
            if key is None:
                continue
            if key in seen:
                first, first_rater = seen[key]
                message = f"zelfde school en ronde als {first}; niet meegeteld (niet samengevoegd)"
                if rater or first_rater:
                    message = (f"nog een invuller van dezelfde school en ronde als {first}; niet meegeteld. Voeg de "
                               "invullers eerst samen (werkboek 7 of imworkbook merge) en lever het samengevoegde "
                               "bestand in")
                row.update(status=STATUS_DUPLICATE, melding=message)
                keep.append(False)
            else:
                seen[key] = (row["bestand"], rater)
                if rater:
                    note = f"ingevuld door één invuller (rol: {rater}), niet samengevoegd met andere invullers"
                    row.update(status=STATUS_WARN, melding="; ".join(m for m in (row["melding"], note) if m))
                keep.append(True)
                result.files.append(row["bestand"])
                if chunk.documents:
                    result.documents.append(chunk.documents[d])
            d += 1
    result.columns = join_columns([c.columns for c in chunks], np.asarray(keep, dtype=bool))
    if progress:
        progress(total, total)
    result.report = pd.DataFrame(rows, columns=REPORT_COLUMNS)
    return result
