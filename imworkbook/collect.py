"""Collecting a network's answers files: a folder (nested) or a zip, with a validation report.

Every file seen gets exactly one line in the report (file, school, round, status, message), so the
counts always add up to the number of files. Valid files load even when others fail. The same school
(by school code, else by name) twice in one round is reported as ``dubbel`` and counted once. Files of
older schema versions are migrated. Nothing is extracted to disk: zip members are read in memory, a
member whose path climbs out of the folder (zip slip) is refused, and a file larger than the limit is
refused without being read.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Callable, Iterator

import pandas as pd

from .answers import MAX_FILE_BYTES, _decode, parse_answers, slug
from .content import MaturityModel, load_investment_model, load_model
from .fastlane import FastLane, as_document, loads
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

    @property
    def counts(self) -> dict[str, int]:
        counts = self.report["status"].value_counts().to_dict()
        return {"gezien": len(self.report), **{s: int(counts.get(s, 0)) for s in
                                               (STATUS_OK, STATUS_WARN, STATUS_DUPLICATE, STATUS_REFUSED,
                                                STATUS_SKIPPED)}}


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


def _folder_members(source: Path) -> Iterator[Member]:
    if source.is_file():
        yield source.name, source.stat().st_size, source.read_bytes, None
        return
    for path in sorted(p for p in source.rglob("*") if p.is_file() or p.is_symlink()):
        name = path.relative_to(source).as_posix()
        try:
            size = path.stat().st_size
        except OSError as exc:
            yield name, 0, None, f"kan het bestand niet lezen ({exc.strerror or exc})"
            continue
        yield name, size, path.read_bytes, None


def collect(source: str | Path, model: MaturityModel | None = None,
            progress: Callable[[int, int], None] | None = None) -> Collected:
    """Load every answers file under ``source`` (a folder, a zip, or one file) with a report line each."""
    model = model or load_model()
    source = Path(source)
    if not source.exists():
        raise FileNotFoundError(2, "map of zip niet gevonden", str(source))
    if source.is_file() and zipfile.is_zipfile(source):
        with zipfile.ZipFile(source) as zf:  # members are read while the zip is open
            return _collect(list(_zip_members(zf)), model, progress)
    return _collect(list(_folder_members(source)), model, progress)


def _collect(members: list[Member], model: MaturityModel, progress: Callable[[int, int], None] | None) -> Collected:
    rows: list[dict] = []
    result = Collected()
    lane = FastLane(model, load_investment_model())
    seen: dict[tuple[str, str], str] = {}
    for i, (name, size, read, refusal) in enumerate(members):
        if progress:
            progress(i, len(members))
        row = {"bestand": name, "school": "", "ronde": "", "status": STATUS_REFUSED, "melding": ""}
        rows.append(row)
        base = PurePosixPath(name).name
        if refusal:
            row["melding"] = refusal
            continue
        if base.startswith(".") or ".origineel-" in base:
            row.update(status=STATUS_SKIPPED, melding="verborgen bestand of reservekopie; niet meegeteld")
            continue
        suffix = PurePosixPath(name).suffix.lower()
        if size > MAX_FILE_BYTES:
            row["melding"] = (f"bestand is te groot voor een antwoordenbestand ({size / 1e6:,.0f} MB; hoogstens "
                              f"{MAX_FILE_BYTES / 1e6:.0f} MB); niet gelezen").replace(",", ".")
            continue
        if suffix != ".json":
            kind = {".csv": "een CSV-bestand", ".xlsx": "een Excel-bestand", ".xls": "een oud Excel-bestand"}.get(
                suffix, f"een {suffix or 'onbekend'}-bestand")
            row["melding"] = (f"dit is {kind}, geen antwoordenbestand van imworkbook (.json); lever het "
                              "antwoordenbestand uit het werkboek in")
            continue
        if size == 0:
            row["melding"] = "bestand is leeg"
            continue
        try:
            data = read()
            doc, problems, loaded = None, [], None
            if not data.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")):
                try:
                    raw = loads(data)
                    doc = raw if lane.canonical(raw) else None
                except (ValueError, RecursionError, UnicodeDecodeError):
                    doc = None
            if doc is None:  # the slow lane: lenient parsing with messages
                text, _encoding, problems = _decode(data, base)
                loaded = parse_answers(text, base, model)
                doc = as_document(loaded.answers)
        except AnswersFileError as exc:
            row["melding"] = "; ".join(p.message if not p.where else f"{p.where}: {p.message}" for p in exc.problems)
            continue
        except Exception as exc:  # noqa: BLE001 - one odd file never stops the batch
            row["melding"] = f"onverwachte fout bij het lezen ({type(exc).__name__}: {exc})"
            continue
        school, round_ = doc["school"], doc["round"]
        row.update(school=school["name"], ronde=round_)
        key = ((school.get("code") or "").strip().upper() or slug(school["name"]), round_)
        if key in seen:
            row.update(status=STATUS_DUPLICATE, melding=f"zelfde school en ronde als {seen[key]}; niet meegeteld "
                                                        "(niet samengevoegd)")
            continue
        seen[key] = name
        issues = [p for p in [*problems, *(loaded.problems if loaded else [])] if p.severity in ("fout", "waarschuwing")]
        if issues:
            shown = "; ".join(f"{p.where}: {p.message}" if p.where else p.message for p in issues[:3])
            more = f" (+{len(issues) - 3} meer)" if len(issues) > 3 else ""
            row.update(status=STATUS_WARN, melding=shown + more)
        else:
            row.update(status=STATUS_OK)
        result.documents.append(doc)
        result.files.append(name)
    if progress:
        progress(len(members), len(members))
    result.report = pd.DataFrame(rows, columns=REPORT_COLUMNS)
    return result
