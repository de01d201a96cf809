"""The jobs a user can ask for, one function each, called by the CLI (:mod:`imworkbook.cli`) and the apps
(:mod:`imworkbook.apps`) alike, so that each rule (which files make a batch, how a report is named, where a
merged file goes, how a network export is named and what it contains) lives in one place.

Below this module: the model, file reading, analysis, figures and the report. Above it: the apps and the CLI,
which only turn a user's wish into a call here and the result into text. Nothing here prints.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

from imworkbook.base import paths
from imworkbook.base.errors import Problem
from imworkbook.base.i18n import t

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

    from imworkbook.analysis.merge import Rater, Saved
    from imworkbook.analysis.network import NetworkData
    from imworkbook.io.collect import Collected
    from imworkbook.io.reading import LoadResult
    from imworkbook.model.answers import Answers
    from imworkbook.model.content import MaturityModel

OnProgress = Callable[[int, int], None]  # told (done, total) as the work goes on
Notify = Callable[[str], None]


# one school's answers -------------------------------------------------------------------------------------------
def load_answers(path: str | Path, model: MaturityModel | None = None) -> LoadResult:
    """One answers file (.json, .xlsx, .ods) with what was wrong in it; raises for a file that cannot be used."""
    from imworkbook.io.files import read_any

    return read_any(path, model)


def score(path: str | Path, lang: str = "nl", model: MaturityModel | None = None
          ) -> tuple[LoadResult, pd.DataFrame]:
    """The scores per area of one answers file, as the table the apps and the CLI show."""
    from imworkbook.analysis.scoring import score_table
    from imworkbook.model.content import load_model

    model = model or load_model()
    result = load_answers(path, model)
    return result, score_table(result.answers, model, lang)


# board reports --------------------------------------------------------------------------------------------------
def is_batch(source: str | Path) -> bool:
    """A folder or a zip holds many schools (one report each); anything else is one answers file."""
    source = Path(source)
    return source.is_dir() or (source.suffix.lower() not in (".xlsx", ".xls", ".ods") and zipfile.is_zipfile(source))


def board_report(answers: Answers, model: MaturityModel | None = None, out: str | Path | None = None, *,
                 network: NetworkData | None = None, lang: str = "nl") -> Path:
    """Write one school's board report (default: ``<werkmap>/rapporten``); the app's button and the CLI."""
    from imworkbook.model.content import load_model
    from imworkbook.report.board import save_board_report

    return save_board_report(answers, model or load_model(), out, network=network, lang=lang)


@dataclass
class Reports:
    """What :func:`board_reports` did: the reports written, in ``folder``, and how many files were not used."""
    folder: Path
    written: list[Path] = field(default_factory=list)
    refused: int = 0


def board_reports(source: str | Path, out: str | Path | None = None, *, network: NetworkData | None = None,
                  collected: Collected | None = None, model: MaturityModel | None = None, lang: str = "nl",
                  progress: OnProgress | None = None) -> Reports:
    """One board report per usable answers file in the folder or zip ``source``, into the folder ``out``
    (default ``<werkmap>/rapporten``). Two schools with the same name never overwrite each other's report."""
    from imworkbook.io.collect import collect
    from imworkbook.model.answers import Answers
    from imworkbook.model.content import load_model
    from imworkbook.report.board import report_file_name, save_board_report

    model = model or load_model()
    if collected is None:  # else: ``source`` collected with its documents kept (as the network, say)
        collected = collect(source, model)
    folder = Path(out) if out else paths.workspace_dir() / "rapporten"
    documents = collected.documents or []
    done = Reports(folder, refused=len(collected.report) - len(documents))
    names: dict[str, int] = {}
    for n, doc in enumerate(documents, start=1):
        answers = Answers.model_validate(doc)
        name = report_file_name(answers)
        names[name] = names.get(name, 0) + 1
        if names[name] > 1:
            name = name.replace("_bestuursrapport", f"_{names[name]}_bestuursrapport")
        done.written.append(save_board_report(answers, model, folder / name, network=network, lang=lang))
        if progress is not None:
            progress(n, len(documents))
    return done


# a network ------------------------------------------------------------------------------------------------------
@dataclass
class Network:
    """A network read from a folder or zip: every file's report line (``collected``) and the numbers to compare
    (``data``; None when no file was usable)."""
    collected: Collected
    data: NetworkData | None


def load_network(source: str | Path, model: MaturityModel | None = None, *, progress: OnProgress | None = None,
                 keep_documents: bool = False, workers: int | None = None, notify: Notify | None = None,
                 lang: str = "nl") -> Network:
    """Read every answers file in ``source`` and make the network's numbers (with the schools' pseudonyms);
    ``notify`` hears (in ``lang``) when the network secret is made."""
    from imworkbook.analysis.network import network_frames, network_secret
    from imworkbook.io.collect import collect
    from imworkbook.model.content import load_model

    model = model or load_model()
    collected = collect(source, model, progress=progress, keep_documents=keep_documents, workers=workers)
    data = None
    if len(collected):
        data = network_frames(collected, model, secret=network_secret(notify=notify, lang=lang))
    return Network(collected, data)


def loaded_all(collected: Collected) -> bool:
    """Every file was usable (loaded, or skipped as not an answers file): what ``validate`` answers with 0."""
    counts = collected.counts
    return counts["loaded"] + counts["skipped"] == counts["seen"]


def rounds(data: NetworkData) -> list[str]:
    return sorted(data.schools["round"].unique())


def compare(data: NetworkData, model: MaturityModel | None = None, *, round: str | None = None,
            sector: str | None = None, band: str | None = None, scope: str | None = None,
            lang: str = "nl") -> dict[str, pd.DataFrame]:
    """The shareable comparison tables of one group (:func:`imworkbook.analysis.network.comparison_tables`), sheet names and
    headers in ``lang``; the first is the overview."""
    from imworkbook.analysis.network import comparison_tables

    return comparison_tables(data, model, round=round, sector=sector, band=band, scope=scope, lang=lang)


EXPORT_KINDS = ("xlsx", "facilitator", "csv")


def export_name(kind: str, *, round: str, sector: str | None = None, band: str | None = None,
                scope: str | None = None, lang: str = "nl") -> str:
    """The file name of a network export, in ``lang``: ``netwerk_<round>[_sector][_band][_scope]_<deelbaar|
    begeleider>.<ext>`` (English: ``network_…_shareable``/``_facilitator``)."""
    stem = (t("file_network", lang) + f"_{round}" + (f"_{sector}" if sector else "") + (f"_{band}" if band else "")
            + (f"_{scope}" if scope else ""))
    stem = stem.replace("≤", t("file_band_upto", lang)).replace(">", t("file_band_over", lang)).replace("–", "-")
    who = t("file_facilitator" if kind == "facilitator" else "file_shareable", lang)
    return f"{stem}_{who}.{'csv' if kind == 'csv' else 'xlsx'}"


def export_network(tables: dict[str, pd.DataFrame], kind: str, path: str | Path | None = None, *, round: str,
                   sector: str | None = None, band: str | None = None, scope: str | None = None,
                   report: pd.DataFrame | Collected | None = None, lang: str = "nl") -> Path:
    """Write one network export: ``xlsx`` (shareable: anonymous, for every school), ``facilitator`` (adds the
    validation list ``report`` with school and file names; not to be shared; a :class:`Collected` gives its file
    check in ``lang``, made only for this kind) or ``csv`` (the shareable overview).
    ``tables`` from :func:`compare` in the same ``lang``: an export follows the language of the screen or command
    that makes it. ``path`` default: :func:`export_name` in ``<werkmap>/rapporten``."""
    from imworkbook.analysis.network import FACILITATOR, SHAREABLE, export_sheets
    from imworkbook.io.export import write_csv, write_xlsx

    if kind not in EXPORT_KINDS:
        raise ValueError(f"kind must be one of {EXPORT_KINDS}: {kind!r}")
    where = {"round": round, "sector": sector, "band": band, "scope": scope, "lang": lang}
    path = Path(path) if path else paths.workspace_dir() / "rapporten" / export_name(kind, **where)
    if kind == "csv":
        return write_csv(next(iter(tables.values())), path)  # the overview
    if kind == "facilitator":
        if hasattr(report, "report_in"):  # (a Collected)
            report = report.report_in(lang)
        return write_xlsx(export_sheets(tables, FACILITATOR, **where, report=report), path)
    return write_xlsx(export_sheets(tables, SHAREABLE, **where), path)


def file_check_table(collected: Collected, lang: str = "nl", *, only_problems: bool = False) -> pd.DataFrame:
    """The file check of a network (one row per file; ``only_problems``: the files not simply loaded) with headers,
    statuses and messages in ``lang``; the app's table and the CLI's."""
    from imworkbook.io.collect import REPORT_HEADER_KEYS

    rows = collected.report_in(lang, only_problems=only_problems)
    return rows.rename(columns={c: t(REPORT_HEADER_KEYS[c], lang) for c in rows.columns if c in REPORT_HEADER_KEYS})


OVERVIEW_COLUMNS = ("area", "n", "current", "target", "gap", "pp", "explanation")


def overview_table(overview: pd.DataFrame, lang: str = "nl") -> pd.DataFrame:
    """The main columns of the comparison's overview (from :func:`compare` in the same ``lang``)."""
    from imworkbook.analysis.network import COLUMN_KEYS

    return overview[[t(COLUMN_KEYS[c], lang) for c in OVERVIEW_COLUMNS]]


def example_network(out: str | Path, **options: Any) -> list[Path]:
    """Write a made-up network (:func:`imworkbook.io.generate.generate_network`)."""
    from imworkbook.io.generate import generate_network

    return generate_network(out, **options)


# merging raters -------------------------------------------------------------------------------------------------
def read_raters(files: list[str | Path], model: MaturityModel | None = None, *, roles=None, lang: str = "nl"
                ) -> tuple[list[Rater], list[Problem]]:
    """The raters of one school from their answers files, labelled by role (or file name), and the problems."""
    from imworkbook.analysis.merge import Rater, rater_label

    raters, problems = [], []
    for name in files:
        result = load_answers(name, model)
        problems.extend(result.problems)
        raters.append(Rater(rater_label(result.answers, Path(name).name, roles, lang), result.answers))
    return raters, problems


def merged_path(raters: list[Rater], folder: str | Path) -> Path:
    """Where the school's merged file goes: ``<school>_<round>.json`` in ``folder`` (beside the raters' files)."""
    from imworkbook.model.answers import file_name

    first = raters[0].answers
    return Path(folder) / file_name(first.school.name, first.round)


def merge(raters: list[Rater], out: str | Path, model: MaturityModel | None = None, *, overwrite: bool = False,
          choices: dict | None = None, roles=None, lang: str = "nl") -> Saved:
    """Merge the raters and write the school's file, with a backup of the one it replaces (werkboek 7 and
    ``imworkbook merge`` alike); an existing file without ``overwrite`` raises :class:`FileExistsError`."""
    from imworkbook.analysis.merge import merge_and_save
    from imworkbook.model.content import load_model

    return merge_and_save(raters, model or load_model(), Path(out), overwrite=overwrite, choices=choices,
                          roles=roles, lang=lang)


def disagreements(raters: list[Rater], model: MaturityModel | None = None, roles=None) -> list[str]:
    """The items on which the raters differ by the disagreement gap or more."""
    from imworkbook.analysis.merge import compare as compare_raters
    from imworkbook.model.content import load_model

    table = compare_raters(raters, model or load_model(), roles)
    return list(table[table["disagree"]].index)


# the Excel route ------------------------------------------------------------------------------------------------
def template(path: str | Path, school: str | Path | None = None, lang: str = "nl") -> Path:
    """Write the questionnaire workbook (.xlsx, or .ods via LibreOffice), filled in with ``school``'s answers."""
    from imworkbook.io.excel import write_template

    answers = load_answers(school).answers if school else None
    return write_template(path, answers=answers, lang=lang)


@dataclass
class Imported:
    path: Path
    answers: Answers
    problems: list[Problem]

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]


def import_answers(source: str | Path, out: str | Path | None = None, *, overwrite: bool = False) -> Imported:
    """Read a filled-in questionnaire and save it as an answers file (default: in the werkmap, the usual name);
    an existing file without ``overwrite`` raises :class:`FileExistsError`."""
    from imworkbook.io.writing import save_answers
    from imworkbook.model.answers import file_name

    result = load_answers(source)
    answers = result.answers
    path = Path(out) if out else paths.answers_dir() / file_name(answers.school.name, answers.round, answers.rater)
    if path.exists() and not overwrite:
        raise FileExistsError(17, "exists", str(path))
    save_answers(answers, path)
    return Imported(path, answers, list(result.problems))


# the content ----------------------------------------------------------------------------------------------------
@dataclass
class ContentCheck:
    """What :func:`check_content` found: ``problems`` make the content unusable; ``remarks`` (words in files still
    being rewritten) do not count yet. The rest describes the content for the summary."""
    problems: list[Problem]
    remarks: list[Problem]
    pending: list[str]
    model: Any
    investment: Any
    allocation: Any
    roles: Any
    glossary: Any
    landscape: Any
    mappings: dict = field(default_factory=dict)
    loaded: bool = True  # every content file could be loaded (else the problems say which could not)

    @property
    def ok(self) -> bool:
        return not self.problems


def check_content(folder: str | Path | None = None) -> ContentCheck:
    """Load and check a content folder (``model.yaml`` and ``areas/``; the investment model, raters and glossary
    beside it): the model's warnings, the investment model, the UI texts and the glossary's forbidden words.

    A file that cannot be loaded is one problem (or more) and the other files are still loaded and checked, so one
    run names everything that is wrong; what needs a file that did not load is skipped (its part of the summary is
    None), and the computations on the content run only when every file loaded."""
    from imworkbook.model.content import (investment_problems, load_allocation, load_investment_model,
                                          load_landscape_reference, load_mappings, load_model, load_rater_roles)
    from imworkbook.analysis.contentcheck import usability_problems
    from imworkbook.base.errors import ImworkbookError
    from imworkbook.base.i18n import check_strings
    from imworkbook.model.glossary import check_data, load_glossary

    problems: list[Problem] = []

    def attempt(load: Callable, *args: Any) -> Any:
        try:
            return load(*args)
        except ImworkbookError as exc:  # one broken file: named, and the next files are still checked
            problems.extend(exc.problems)
            return None

    folder = Path(folder) if folder else None
    data = folder.parent if folder else None
    model = attempt(load_model, folder)
    inv = attempt(load_investment_model, data / "investment" if data else None)
    allocation = attempt(load_allocation, data / "investment" if data else None)
    roles = attempt(load_rater_roles, data / "raters" if data else None)
    landscape = attempt(load_landscape_reference, data / "landscape" if data else None)  # TIME edges checked here
    glossary = attempt(load_glossary, data if data is not None and (data / "glossary.yaml").exists() else None)
    loaded = not problems
    words = (attempt(check_data, data, glossary) or []) if glossary is not None else []
    remarks = [p for p in words if p.severity == "note"]
    problems += [*(model.warnings if model is not None else []),
                 *(investment_problems(inv, allocation, model) if None not in (inv, allocation, model) else []),
                 *check_strings(), *(p for p in words if p.severity != "note")]
    if loaded:
        problems += usability_problems(data)  # the real computations on answers made from this content
    check = ContentCheck(problems, remarks, list(glossary.pending) if glossary is not None else [], model, inv,
                         allocation, roles, glossary, landscape, loaded=loaded)
    if not problems:
        check.mappings = load_mappings(folder)
    return check
