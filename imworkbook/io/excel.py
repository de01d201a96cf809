"""The spreadsheet route: a questionnaire workbook for schools that will not open Jupyter, and reading it back.

``write_template`` makes an .xlsx (openpyxl) or, through LibreOffice, an .ods with the items, the five level
descriptors, a drop-down for every coded field, input help and error messages in the template's language,
protected sheets (only the yellow input cells can be changed) and print settings (A4 landscape, fit to width,
repeated header row, rows as high as their wrapped text). ``read_workbook`` turns a filled-in workbook (.xlsx or
.ods, saved by Excel or LibreOffice) into a normal answers file: every cell that cannot be used gets a message
naming sheet and cell and the rule of that field, and its value is kept under ``set_aside › cells``; everything
valid loads. Formulas are never evaluated; old ``.xls``, ``.csv`` and password-protected files are refused with
a message.

Layout (template version 2). Every sheet carries hidden **markers**, so a renamed sheet, an inserted row or an
inserted column does no harm and nothing the importer expects can vanish without a message:

* the hidden cell A1 of each sheet says which sheet it is: ``imw:intro`` (Uitleg), ``imw:school`` (School),
  ``imw:items`` (Vragen), ``imw:investment`` (Investering); sheets are found by this marker, not by their name;
* the rest of that hidden row 1 names the field of each column (``current``, ``target``, ``note``,
  ``hours_im``...); columns are found by these field ids, not by their position;
* the hidden column A holds the key of each row (the item id, the area id, the school field such as ``name``);
  rows are found by their key. The visible header is row 2 (key ``imw:head``).

A sheet, column or row the importer needs that is not found (also not under another name) is an error that
names it; the import then stops (exit 2, "geweigerd" in a network folder) rather than losing a section.
Version-1 templates (no markers; fixed positions) are still read.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import math
import re
import textwrap
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.page import PageMargins
from openpyxl.worksheet.properties import PageSetupProperties

from imworkbook.base.storage import atomic_write_bytes
from imworkbook.io.cells import safe_cell, workbook_bytes
from imworkbook.io.reading import LoadResult, parse_answers
from imworkbook.model.answers import KIND, SCHEMA_VERSION, current_round
from imworkbook.model.content import (InvestmentModel, MaturityModel, load_investment_model, load_model,
                                      load_rater_roles)
from imworkbook.base.errors import AnswersFileError, Msg, Problem, Words, pydantic_code, reason_of, where_text
from imworkbook.base.i18n import LANGS, format_number, t
from imworkbook.base.numbers import parse_number
from imworkbook.io.spreadsheet import OLE_MAGIC, Sheet, load_sheets

TEMPLATE_VERSION = 2
SHEETS = {"intro": "Uitleg", "school": "School", "items": "Vragen", "investment": "Investering"}  # Dutch; version 1


SHEET_KEYS = {"intro": "xl_sheet_intro", "school": "xl_sheet_school", "items": "xl_sheet_items",
              "investment": "xl_sheet_investment"}


def sheet_names(lang: str) -> dict[str, str]:
    """The questionnaire's sheet names in ``lang`` (the template follows its language; reading goes by the
    ``imw:`` markers, so any name reads back)."""
    return {kind: t(key, lang) for kind, key in SHEET_KEYS.items()}
MARK = "imw:"  # hidden marker text: "imw:<kind>" in A1 of each sheet
HEAD = "imw:head"  # the key of the visible header row
VERSION_KEY = "version"
VERSION_CELL = "C3"  # Uitleg!C3 (version 1: B3)
SCHOOL_ROWS = ["name", "code", "sector", "pupils", "round", "rater", "hourly_rate", "staff_fte"]  # School!C3:C10
# written since answers schema 3 (scope, location: School!C11:C12) and 4 (the levy: C13); optional when reading, so
# an older filled-in template still loads (a missing row is unknown)
OPTIONAL_SCHOOL_ROWS = ["scope", "location", "levy_eur"]
ITEM_FIELDS = ["id", "area", "nr", "question", "level1", "level2", "level3", "level4", "level5", "current", "target",
               "note"]
COL = {f: n for n, f in enumerate(ITEM_FIELDS, start=1)}  # Vragen: column of each field in a fresh template
FIRST_ROW = 3  # the first data row of Vragen and Investering in a fresh template (row 1 markers, row 2 header)
HEAD_FILL = PatternFill("solid", fgColor="E8EEF3")
INPUT_FILL = PatternFill("solid", fgColor="FFF6E0")
MARK_FONT = Font(color="808080", size=8)

# The rule of each field, in words of that field (data/i18n, keys xl_rule_*): the template's input help and error
# message in its language, and what the import says (in Dutch) when a value does not fit.
_RULES = {"level": "xl_rule_level", "level_help": "xl_rule_level_help", "ambition": "xl_rule_ambition",
          "choice": "xl_rule_choice", "hours": "xl_rule_hours", "euro": "xl_rule_euro",
          "euro_per_year": "xl_rule_euro_per_year", "years": "xl_rule_years", "fte": "xl_rule_fte",
          "sector": "xl_rule_sector", "pupils": "xl_rule_pupils", "rater": "xl_rule_rater",
          "positive": "xl_rule_positive", "levy": "xl_rule_levy", "round": "xl_rule_round", "name": "xl_rule_name",
          "code": "xl_rule_code", "scope": "xl_rule_scope", "location": "xl_rule_location",
          "err_title": "xl_error_title"}
_UNIT_MAX = {"hours": 100_000, "euro": 1_000_000_000, "euro_per_year": 1_000_000_000, "years": 50, "fte": 10_000,
             "choice": 2}


def _tx(key: str, lang: str, **values) -> str:
    return t(_RULES[key], lang, **values)


def _big(n: int, lang: str) -> str:
    return format_number(n, lang, 0)


def _rule(key: str, **values) -> Msg:
    """A field's rule as a value of a problem, worded in the language the problem is shown in."""
    return Msg(_RULES[key], **values)


def _field_rule_msg(f) -> Msg:
    return _rule(f.unit, label=Words(f.label("nl"), f.label("en")), top=_UNIT_MAX[f.unit])


def _field_rule(f, lang: str) -> str:
    """The rule of an investment field, in words of that field."""
    return _tx(f.unit, lang, label=f.label(lang), top=_big(_UNIT_MAX[f.unit], lang))


def _level_choices(model: MaturityModel, lang: str) -> list[str]:
    return [f"{lv.level} {lv.label(lang)}" for lv in model.levels] + [t("weet_niet", lang), t("nvt", lang)]


def _writable(cell) -> None:
    cell.protection = Protection(locked=False)
    cell.fill = INPUT_FILL


def _validation(ws, lang: str, rule: str, title: str, **kwargs) -> DataValidation:
    """A data validation with its input help and its error message switched on (Excel and LibreOffice show
    both); ``rule`` is the field's rule in words, used for both."""
    dv = DataValidation(showErrorMessage=True, showInputMessage=True, errorStyle="stop", **kwargs)
    dv.error, dv.errorTitle = rule[:255], _tx("err_title", lang)
    dv.prompt, dv.promptTitle = rule[:255], title[:32]
    ws.add_data_validation(dv)
    return dv


def _markers(ws, kind: str, fields: list[str]) -> None:
    """Hidden row 1 (``imw:<kind>`` in A1 and the field id of every further column) and hidden column A."""
    ws.cell(row=1, column=1, value=safe_cell(MARK + kind)).font = MARK_FONT
    for c, f in enumerate(fields, start=2):
        ws.cell(row=1, column=c, value=safe_cell(f)).font = MARK_FONT
    ws.cell(row=2, column=1, value=safe_cell(HEAD)).font = MARK_FONT
    ws.row_dimensions[1].hidden = True
    ws.column_dimensions["A"].hidden = True
    ws.column_dimensions["A"].width = 18


def _print(ws, *, title_row: int | None = 2, one_page: bool = False, landscape: bool = True) -> None:
    """A4, landscape, fit to the page width (and height for ``one_page``), the header row on every page."""
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 1 if one_page else 0
    ws.page_margins = PageMargins(left=0.4, right=0.4, top=0.5, bottom=0.6, header=0.2, footer=0.3)
    if title_row:
        ws.print_title_rows = f"{title_row}:{title_row}"
    ws.print_options.gridLines = True
    ws.oddFooter.left.text = "&A"
    ws.oddFooter.right.text = "&P / &N"


def _fit_rows(ws, first_row: int, line_pt: float = 13.0) -> None:
    """Row heights that fit the wrapped text (openpyxl cannot measure text and LibreOffice keeps a row one line
    high when it is given none): lines estimated from each column's width (about one character per unit)."""
    widths = {k: (d.width or 10) for k, d in ws.column_dimensions.items() if not d.hidden}
    for row in ws.iter_rows(min_row=first_row):
        lines = 1
        for cell in row:
            letter = get_column_letter(cell.column)
            if not isinstance(cell.value, str) or letter not in widths:
                continue
            small = cell.font is not None and cell.font.sz is not None and cell.font.sz < 10
            per_line = max(4, int(widths[letter] * (1.1 if small else 0.95)))
            n = sum(max(1, len(textwrap.wrap(part, per_line))) for part in cell.value.split("\n"))
            lines = max(lines, n)
        ws.row_dimensions[row[0].row].height = min(409, round(line_pt * lines + 4))


# --- writing ----------------------------------------------------------------------------------------

def write_template(path: str | Path, model: MaturityModel | None = None, inv: InvestmentModel | None = None, *,
                   answers=None, lang: str = "nl") -> Path:
    """Write the questionnaire workbook (optionally filled in with ``answers``); atomically. A path ending in
    ``.ods`` is written as an .xlsx and converted by LibreOffice (see :func:`imworkbook.io.spreadsheet.convert`)."""
    path = Path(path)
    if path.suffix.lower() == ".ods":
        import tempfile

        from imworkbook.io.spreadsheet import convert

        with tempfile.TemporaryDirectory(prefix="imw-ods-") as tmp:
            xlsx = write_template(Path(tmp) / (path.stem + ".xlsx"), model, inv, answers=answers, lang=lang)
            return convert(xlsx, "ods", path)
    model = model or load_model()
    inv = inv or load_investment_model()
    roles = load_rater_roles()
    wrap = Alignment(wrap_text=True, vertical="top")
    wb = Workbook()

    # the instructions (and the template version)
    ws = wb.active
    names = sheet_names(lang)
    ws.title = names["intro"]
    _markers(ws, "intro", ["label", "value"])
    ws["B2"] = safe_cell(t("xl_title", lang))
    ws["B2"].font = Font(bold=True, size=14)
    ws["A3"], ws["B3"], ws[VERSION_CELL] = VERSION_KEY, safe_cell(t("xl_template_version", lang)), TEMPLATE_VERSION
    ws["A4"], ws["B4"], ws["C4"] = "model", safe_cell(t("xl_model", lang)), safe_cell(f"{model.id} {model.version}")
    for c in ("C3", "C4"):
        ws[c].alignment = Alignment(horizontal="left")
    for n, line in enumerate(t("xl_instructions", lang).split("\n"), start=6):
        ws.cell(row=n, column=2, value=safe_cell(line)).alignment = wrap
        ws.merge_cells(start_row=n, start_column=2, end_row=n, end_column=3)
    ws.column_dimensions["B"].width, ws.column_dimensions["C"].width = 100, 24
    _fit_rows(ws, 6, line_pt=15)
    ws.protection.sheet = True
    _print(ws, title_row=None, one_page=True, landscape=False)

    # the school: one row per field, the value in column C
    ws = wb.create_sheet(names["school"])
    _markers(ws, "school", ["label", "value", "help"])
    ws["B2"], ws["C2"] = safe_cell(t("xl_field", lang)), safe_cell(t("xl_value", lang))
    for c in ws[2][1:3]:
        c.font, c.fill = Font(bold=True), HEAD_FILL
    labels = [t("label_name", lang), t("label_code", lang), t("label_sector", lang), t("label_pupils", lang),
              t("label_round", lang), t("label_rater", lang), t("label_hourly_rate", lang), t("label_staff_fte", lang),
              t("label_scope", lang), t("label_location", lang), t("label_levy", lang)]
    school = answers.school if answers is not None else None
    values = [school.name if school else "", (school.code or "") if school else "", school.sector if school else "po",
              school.pupils if school and school.pupils else None, answers.round if answers is not None else current_round(),
              (answers.rater or "") if answers is not None else "",
              answers.investment.hourly_rate if answers is not None else None,
              answers.investment.staff_fte if answers is not None else None,
              (school.scope or "") if school else "", (school.location or "") if school else "",
              answers.investment.levy_eur if answers is not None else None]
    rules = {"name": _tx("name", lang), "code": _tx("code", lang), "sector": _tx("sector", lang),
             "pupils": _tx("pupils", lang), "round": _tx("round", lang), "rater": _tx("rater", lang),
             "hourly_rate": _tx("positive", lang, label=labels[6]), "staff_fte": _tx("positive", lang, label=labels[7]),
             "scope": _tx("scope", lang), "location": _tx("location", lang), "levy_eur": _tx("levy", lang, label=labels[10])}
    school_row = {}
    for row, (key, label, value) in enumerate(zip(SCHOOL_ROWS + OPTIONAL_SCHOOL_ROWS, labels, values), start=3):
        school_row[key] = row
        ws.cell(row=row, column=1, value=safe_cell(key)).font = MARK_FONT
        ws.cell(row=row, column=2, value=safe_cell(label)).font = Font(bold=True)
        ws.cell(row=row, column=2).alignment = wrap
        _writable(ws.cell(row=row, column=3, value=safe_cell(value)))
        ws.cell(row=row, column=3).alignment = wrap
        ws.cell(row=row, column=4, value=safe_cell(rules[key])).alignment = wrap
    kinds = {
        "name": dict(type="textLength", operator="greaterThan", formula1="0", allow_blank=False),
        "code": None,
        "sector": dict(type="list", formula1='"po,vo"', allow_blank=False),
        "pupils": dict(type="whole", operator="between", formula1="1", formula2="50000", allow_blank=True),
        "round": dict(type="textLength", operator="between", formula1="4", formula2="9", allow_blank=False),
        "rater": dict(type="list", formula1='"' + ",".join(r.id for r in roles.roles) + '"', allow_blank=True),
        "hourly_rate": dict(type="decimal", operator="greaterThan", formula1="0", allow_blank=True),
        "staff_fte": dict(type="decimal", operator="greaterThan", formula1="0", allow_blank=True),
        "scope": dict(type="list", formula1='"school,vestiging,bestuur"', allow_blank=True),
        "location": dict(type="textLength", operator="between", formula1="1", formula2="4", allow_blank=True),
        "levy_eur": dict(type="decimal", operator="between", formula1="0", formula2="100000000", allow_blank=True),
    }
    for key, spec in kinds.items():
        if spec:
            _validation(ws, lang, rules[key], labels[(SCHOOL_ROWS + OPTIONAL_SCHOOL_ROWS).index(key)],
                        **spec).add(f"C{school_row[key]}")
    ws.column_dimensions["B"].width, ws.column_dimensions["C"].width, ws.column_dimensions["D"].width = 30, 34, 60
    _fit_rows(ws, 3)
    ws.protection.sheet = True
    _print(ws)

    # the questions: one row per item
    ws = wb.create_sheet(names["items"])
    _markers(ws, "items", ITEM_FIELDS[1:])
    heads = [t("col_area", lang), t("xl_nr", lang), t("xl_question", lang),
             *[f"{lv.level} {lv.label(lang)}" for lv in model.levels],
             t("label_current", lang), t("label_target", lang), t("label_note", lang)]
    for c, head in enumerate(heads, start=2):
        cell = ws.cell(row=2, column=c, value=safe_cell(head))
        cell.font, cell.fill, cell.alignment = Font(bold=True), HEAD_FILL, wrap
    choices = _level_choices(model, lang)
    level_list = _validation(ws, lang, _tx("level", lang) + " " + _tx("level_help", lang), t("label_current", lang),
                             type="list", formula1='"' + ",".join(choices) + '"', allow_blank=True)
    row = FIRST_ROW
    small = Font(size=9)
    for a_n, area in enumerate(model.areas, start=1):
        for i_n, item in enumerate(area.items, start=1):
            given = answers.answer(item.id) if answers is not None else None
            ws.cell(row=row, column=COL["id"], value=safe_cell(item.id)).font = MARK_FONT
            ws.cell(row=row, column=COL["area"], value=safe_cell(area.short(lang)))
            ws.cell(row=row, column=COL["nr"], value=safe_cell(f"{a_n}.{i_n}"))
            ws.cell(row=row, column=COL["question"], value=safe_cell(f"{item.question(lang)}\n\n{item.guidance(lang)}"))
            for level in range(1, 6):
                ws.cell(row=row, column=COL["level1"] + level - 1, value=safe_cell(item.levels[level](lang))).font = small
            for key in ("current", "target"):
                cell = ws.cell(row=row, column=COL[key], value=safe_cell(_level_cell(
                    getattr(given, key) if given else None, choices)))
                _writable(cell)
                level_list.add(cell.coordinate)
            _writable(ws.cell(row=row, column=COL["note"], value=safe_cell((given.note if given else "") or None)))
            for col in range(2, COL["note"] + 1):
                ws.cell(row=row, column=col).alignment = wrap
            row += 1
    widths = {"B": 15, "C": 5, "D": 40, "E": 24, "F": 24, "G": 24, "H": 24, "I": 24, "J": 14, "K": 14, "L": 32}
    for col, width in widths.items():
        ws.column_dimensions[col].width = width
    _fit_rows(ws, 2, line_pt=12.5)
    ws.freeze_panes = "E3"
    ws.protection.sheet = True
    ws.protection.formatRows = False  # row heights may change (long notes)
    _print(ws)

    # the investment: one row per area
    ws = wb.create_sheet(names["investment"])
    inv_fields = ["area", "ambition", *[f.id for f in inv.fields], "note"]
    _markers(ws, "investment", inv_fields)
    heads = [t("col_area", lang), t("ambition", lang), *[f.label(lang) for f in inv.fields], t("label_note", lang)]
    for c, head in enumerate(heads, start=2):
        cell = ws.cell(row=2, column=c, value=safe_cell(head))
        cell.font, cell.fill, cell.alignment = Font(bold=True), HEAD_FILL, wrap
    amb = _validation(ws, lang, _tx("ambition", lang), t("ambition", lang), type="list", formula1='"1,2,3,4,5"',
                      allow_blank=True)
    by_field = {}
    for f in inv.fields:
        title = f.label(lang)
        if f.unit == "choice":
            spec = dict(type="list", formula1='"0,1,2"', allow_blank=True)
        else:
            low = "1" if f.unit == "years" else "0"
            spec = dict(type="decimal", operator="between", formula1=low, formula2=str(_UNIT_MAX[f.unit]),
                        allow_blank=True)
        by_field[f.id] = _validation(ws, lang, _field_rule(f, lang), title, **spec)
    for r, area in enumerate(model.areas, start=FIRST_ROW):
        values = answers.investment.areas.get(area.id, {}) if answers is not None else {}
        ws.cell(row=r, column=1, value=safe_cell(area.id)).font = MARK_FONT
        ws.cell(row=r, column=2, value=safe_cell(area.name(lang))).alignment = wrap
        cell = ws.cell(row=r, column=3, value=safe_cell(values.get("ambition")))
        _writable(cell)
        amb.add(cell.coordinate)
        cell.alignment = Alignment(vertical="top")
        for c, f in enumerate(inv.fields, start=4):
            cell = ws.cell(row=r, column=c, value=safe_cell(values.get(f.id)))
            _writable(cell)
            cell.alignment = Alignment(vertical="top")
            by_field[f.id].add(cell.coordinate)
        note = ws.cell(row=r, column=4 + len(inv.fields), value=safe_cell(values.get("note") or None))
        _writable(note)
        note.alignment = wrap
    ws.column_dimensions["B"].width, ws.column_dimensions["C"].width = 26, 8
    for c in range(4, 4 + len(inv.fields)):
        ws.column_dimensions[get_column_letter(c)].width = 13
    ws.column_dimensions[get_column_letter(4 + len(inv.fields))].width = 30
    _fit_rows(ws, 2)
    ws.freeze_panes = "C3"
    ws.protection.sheet = True
    ws.protection.formatRows = False
    _print(ws)

    wb.security.lockStructure = True  # no sheets added, removed or renamed by accident (Excel; see README)
    atomic_write_bytes(path, workbook_bytes(wb))  # text that looks like a formula stays text
    return path


def _level_cell(value: Any, choices: list[str]) -> str | None:
    if value is None:
        return None
    if value == "weet_niet":
        return choices[5]
    if value == "nvt":
        return choices[6]
    return choices[int(value) - 1]


# --- reading ----------------------------------------------------------------------------------------

KINDS = ("intro", "school", "items", "investment")
_NEEDED_ROWS = {"intro": [VERSION_KEY], "school": [k for k in SCHOOL_ROWS if k not in OPTIONAL_SCHOOL_ROWS]}


@dataclass
class Layout:
    """Where one part of the questionnaire is in a workbook: its sheet, the column of each field (by the field
    ids of the marker row), the column holding the row keys, and the marker row (data rows come after it)."""

    kind: str
    sheet: Sheet
    cols: dict[str, int]
    key_col: int
    origin_row: int
    fixed_rows: dict[str, int] | None = None  # version 1: rows by position

    def row_of(self) -> dict[str, int]:
        if self.fixed_rows is not None:
            return self.fixed_rows
        out: dict[str, int] = {}
        for r in range(self.origin_row + 1, self.sheet.max_row + 1):
            key = self.sheet.get(r, self.key_col)
            if isinstance(key, str) and key.strip() and key.strip() not in out:
                out[key.strip()] = r
        return out


def _find_layouts(sheets: list[Sheet], name: str) -> dict[str, Layout]:
    """Each part by its marker (``imw:<kind>`` in the top-left cell of the marker row), whatever the sheet's name
    and wherever inserted rows or columns moved it; version 1 (no markers) by the sheet names and fixed places."""
    found: dict[str, Layout] = {}
    for sheet in sheets:
        for (r, c), v in sorted(sheet.cells.items()):
            if r > 20:
                break
            if isinstance(v, str) and v.startswith(MARK) and v[len(MARK):] in KINDS:
                kind = v[len(MARK):]
                if kind in found:
                    raise AnswersFileError(Problem(name, f"{sheet.title}!{get_column_letter(c)}{r}",
                                                   "sheet.copied_sheet", {"first": found[kind].sheet.title,
                                                                          "second": sheet.title, "sheet": SHEETS[kind]}))
                cols = {}
                for cc in range(c + 1, c + 60):
                    fv = sheet.get(r, cc)
                    if isinstance(fv, str) and fv.strip() and fv.strip() not in cols:
                        cols[fv.strip()] = cc
                found[kind] = Layout(kind, sheet, cols, c, r)
                break
    if found:
        return found
    by_title = {s.title: s for s in sheets}  # version 1: no markers
    intro = by_title.get(SHEETS["intro"])
    if intro is None or str(intro.get(3, 2)).strip() != "1":
        return found
    inv = load_investment_model()
    v1 = {"intro": Layout("intro", intro, {"value": 2}, 1, 1, {VERSION_KEY: 3}),
          "school": Layout("school", by_title.get(SHEETS["school"]), {"value": 2}, 1, 1,
                           {k: n for n, k in enumerate(_NEEDED_ROWS["school"], start=2)}),
          "items": Layout("items", by_title.get(SHEETS["items"]), {k: v for k, v in COL.items() if k != "id"}, 1, 1),
          "investment": Layout("investment", by_title.get(SHEETS["investment"]),
                               {f: c for c, f in enumerate(["area", "ambition", *[f.id for f in inv.fields], "note"],
                                                           start=2)}, 1, 1)}
    return {k: lay for k, lay in v1.items() if lay.sheet is not None}


def _shown(v: Any, text: str | None = None) -> str:
    """A cell's value as the user typed or sees it: the displayed text (.ods), a date Calc or Excel made of
    ``2-3`` back as ``2-3``, Dutch decimals (``3,5``)."""
    if isinstance(v, dt.datetime) and v.time() == dt.time(0) or isinstance(v, dt.date) and not isinstance(v, dt.datetime):
        return f"{v.day}-{v.month}"  # what was typed to get this date (2-3 became 2 March), not how it is shown
    if text:
        return text
    if isinstance(v, dt.datetime):
        return f"{v.day}-{v.month}-{v.year} {v:%H:%M}"
    if isinstance(v, bool):
        return "WAAR" if v else "ONWAAR"
    if isinstance(v, float):
        return (f"{v:.10g}").replace(".", ",")
    return str(v)


def _date_note(v: Any) -> Msg | str:
    if not isinstance(v, (dt.date, dt.datetime)):
        return ""
    return Msg("reason.made_a_date", date=f"{v.day}-{v.month}-{v.year}")


def read_workbook(data: bytes, name: str, model: MaturityModel | None = None) -> LoadResult:
    """A filled-in template (.xlsx or .ods) as answers (see the module docstring); raises
    :class:`AnswersFileError` when the file is not a usable workbook at all, a part of the questionnaire is
    missing, or it is larger than the budgets (:mod:`imworkbook.base.budgets`), which are checked on the zip's parts
    before anything is parsed."""
    from imworkbook.base.budgets import ANSWERS_MAX_BYTES, MB
    from imworkbook.io.writing import dumps_answers

    model = model or load_model()
    inv = load_investment_model()
    roles = load_rater_roles()
    fmt, sheets = load_sheets(data, name)
    problems: list[Problem] = []
    cells_aside: dict[str, Any] = {}
    layouts = _find_layouts(sheets, name)
    titles = ", ".join(f"'{s.title}'" for s in sheets)
    if "intro" not in layouts:
        raise AnswersFileError(Problem(name, "", "sheet.not_questionnaire",
                                       {"sheet": SHEETS["intro"], "mark": f"{MARK}intro", "sheets": titles}))
    intro = layouts["intro"]
    version_row = intro.row_of().get(VERSION_KEY)
    vcol = intro.cols.get("value", 0)
    version = intro.sheet.get(version_row, vcol) if version_row and vcol else None
    vwhere = f"{intro.sheet.title}!{get_column_letter(vcol or 3)}{version_row or 3}"
    if str(version).strip() not in ("1", str(TEMPLATE_VERSION)):
        raise AnswersFileError(Problem(name, vwhere, "sheet.template_version",
                                       {"version": _shown(version), "expected": TEMPLATE_VERSION}))
    missing = [k for k in KINDS if k not in layouts]
    if missing:
        what = tuple(Msg("reason.sheet_marker", sheet=SHEETS[k], mark=f"{MARK}{k}") for k in missing)
        raise AnswersFileError(Problem(name, "", "sheet.sheet_missing", {"what": what, "sheets": titles}))
    # the investment: the columns the three required numbers need; a template made before money_per_year existed
    # has the four breakdown columns instead (they give the same total), and a missing optional column is unknown
    money = ["money_per_year"]
    if "investment" in layouts and "money_per_year" not in layouts["investment"].cols:
        money = [f.id for f in inv.fields if f.detail_of == "money_per_year" and f.unit != "years"]
    needed_cols = {"intro": ["value"], "school": ["value"], "items": ["current", "target", "note"],
                   "investment": ["ambition", *[f.id for f in inv.fields if f.required and f.id != "money_per_year"],
                                  *money, "note"]}
    both = lambda key: Words(t(key, "nl"), t(key, "en"))  # noqa: E731
    labels = {"current": both("label_current"), "target": both("label_target"), "note": both("label_note"),
              "ambition": both("ambition"), "value": both("xl_value"),
              **{f.id: Words(f.label("nl"), f.label("en")) for f in inv.fields}}
    for kind, lay in layouts.items():
        gone = [f for f in needed_cols[kind] if f not in lay.cols]
        if gone:
            raise AnswersFileError(Problem(name, lay.sheet.title, "sheet.column_missing", {"columns": tuple(
                Msg("reason.column_marker", label=labels.get(f, f), field=f, row=lay.origin_row) for f in gone)}))
        rows = lay.row_of()
        gone = [k for k in _NEEDED_ROWS.get(kind, []) if k not in rows]
        if gone:
            raise AnswersFileError(Problem(name, lay.sheet.title, "sheet.row_missing", {"rows": tuple(
                Msg("reason.row_marker", key=k, column=get_column_letter(lay.key_col)) for k in gone)}))
        if lay.sheet.title not in {sheet_names(lg)[kind] for lg in LANGS}:
            problems.append(Problem(name, lay.sheet.title, "sheet.renamed", {"sheet": SHEETS[kind]}, "note"))
    used = {lay.sheet.title for lay in layouts.values()}
    for sheet in sheets:
        if sheet.state != "visible":
            problems.append(Problem(name, sheet.title, "sheet.hidden_read" if sheet.title in used
                                    else "sheet.hidden_not_read", {}, "warning"))
        elif sheet.title not in used and sheet.cells:
            problems.append(Problem(name, sheet.title, "sheet.foreign_sheet", {}, "warning"))

    def where(lay: Layout, row: int, col: int) -> str:
        return f"{lay.sheet.title}!{get_column_letter(col)}{row}"

    def value(lay: Layout, row: int, col: int) -> Any:
        ws = lay.sheet
        v = ws.get(row, col)
        if ws.is_formula(row, col) or (v is not None and type(v).__name__ in ("ArrayFormula", "DataTableFormula")):
            # a formula (also an array formula, an object rather than text); a text cell "=…" is text
            problems.append(Problem(name, where(lay, row, col), "sheet.formula",
                                    {"then": Msg("then.not_used_set_aside")}))
            cells_aside[where(lay, row, col)] = getattr(v, "text", v)
            return None
        if isinstance(v, str):
            v = v.strip()
            return v or None
        return v

    def refuse_cell(lay: Layout, row: int, col: int, v: Any, rule: Msg, code: str = "sheet.value_does_not_fit") -> None:
        shown = _shown(v, lay.sheet.text(row, col))
        problems.append(Problem(name, where(lay, row, col), code,
                                {"given": repr(shown), "rule": rule, "date": _date_note(v),
                                 "then": Msg("then.not_used_set_aside")}))
        cells_aside[where(lay, row, col)] = shown if isinstance(v, (dt.date, dt.datetime)) else v

    def unmarked(lay: Layout, row: int) -> None:
        """Values in columns without a field id (inserted by the user): reported and set aside, never lost."""
        known = set(lay.cols.values()) | {lay.key_col}
        for (r, c), v in lay.sheet.cells.items():
            if r == row and c not in known and c > lay.key_col and v is not None and str(v).strip():
                problems.append(Problem(name, where(lay, r, c), "sheet.unmarked_column", {"row": lay.origin_row}))
                cells_aside[where(lay, r, c)] = _shown(v, lay.sheet.text(r, c))

    for kind in ("items", "investment"):
        for coord in layouts[kind].sheet.merged:
            problems.append(Problem(name, f"{layouts[kind].sheet.title}!{coord}", "sheet.merged_cells", {}, "warning"))

    # the school
    lay = layouts["school"]
    rows, vcol = lay.row_of(), lay.cols["value"]
    school: dict[str, Any] = {key: value(lay, rows[key], vcol) for key in SCHOOL_ROWS}
    school |= {key: (value(lay, rows[key], vcol) if key in rows else None) for key in OPTIONAL_SCHOOL_ROWS}
    if lay.fixed_rows is None:
        for key in SCHOOL_ROWS + [k for k in OPTIONAL_SCHOOL_ROWS if k in rows]:
            unmarked(lay, rows[key])
    rules = {k: _rule(k) for k in ("name", "round", "sector", "pupils", "rater")}
    for key in ("name", "round"):
        if school[key] is None:
            raise AnswersFileError(Problem(name, where(lay, rows[key], vcol), "sheet.field_empty", {"rule": rules[key]}))
    if str(school["sector"] or "").strip().lower() not in ("po", "vo"):
        raise AnswersFileError(Problem(name, where(lay, rows["sector"], vcol), "sheet.sector",
                                       {"rule": rules["sector"], "given": repr(_shown(school["sector"]))}))
    pupils = school["pupils"]
    if pupils is not None:
        number = _number(pupils)
        if number is None or number != int(number) or not 1 <= number <= 50_000:
            refuse_cell(lay, rows["pupils"], vcol, pupils, rules["pupils"])
            pupils = None
        else:
            pupils = int(number)
    rater = school["rater"]
    if rater is not None:
        by_label = {r.label(lg).lower(): r.id for r in roles.roles for lg in ("nl", "en")}
        rater = str(rater).strip()
        rater = rater if rater in {r.id for r in roles.roles} else by_label.get(rater.lower(), rater)
    round_ = school["round"]
    if isinstance(round_, (int, float)) and not isinstance(round_, bool):
        round_ = str(int(round_))
    raw: dict[str, Any] = {
        "schema_version": SCHEMA_VERSION, "kind": KIND, "model": {"id": model.id, "version": model.version},
        "school": {"name": str(school["name"] or ""), "code": None if school["code"] is None else _shown(school["code"]),
                   "sector": str(school["sector"] or "").lower(), "pupils": pupils,
                   "scope": None if school["scope"] is None else _shown(school["scope"]).lower(),
                   "location": None if school["location"] is None else _shown(school["location"])},
        "round": str(round_ or ""), "answers": {}, "investment": {"areas": {}}, "set_aside": {},
    }
    places: dict[str, str] = {"school › name": where(lay, rows["name"], vcol),
                              "school › code": where(lay, rows["code"], vcol),
                              "round": where(lay, rows["round"], vcol), "rater": where(lay, rows["rater"], vcol)}
    if rater:
        raw["rater"] = rater
    labels_both = {k: Words(t(key, "nl"), t(key, "en")) for k, key in
                   (("hourly_rate", "label_hourly_rate"), ("staff_fte", "label_staff_fte"), ("levy_eur", "label_levy"))}
    for key in ("hourly_rate", "staff_fte", "levy_eur"):
        if school[key] is None:
            continue
        number = _number(school[key])
        if number is None or number < 0 or (number == 0 and key != "levy_eur"):
            refuse_cell(lay, rows[key], vcol, school[key],
                        _rule("levy" if key == "levy_eur" else "positive", label=labels_both[key]))
        else:
            raw["investment"][key] = number

    # the questions: rows are found by the item id in the key column, columns by their field ids
    lay = layouts["items"]
    ws = lay.sheet
    known = set(model.item_ids)
    seen: dict[str, int] = {}
    cur_c, tgt_c, note_c = (lay.cols[k] for k in ("current", "target", "note"))
    level_rule = _rule("level")
    for row in range(lay.origin_row + 1, ws.max_row + 1):
        item_id = value(lay, row, lay.key_col)
        if item_id == HEAD:
            continue
        cur, tgt, note = (value(lay, row, c) for c in (cur_c, tgt_c, note_c))
        if lay.fixed_rows is None and not (item_id is None and cur is None and tgt is None and note is None):
            unmarked(lay, row)
        if item_id is None:
            if any(v is not None for v in (cur, tgt, note)):
                col = next(c for c, v in ((cur_c, cur), (tgt_c, tgt), (note_c, note)) if v is not None)
                problems.append(Problem(name, where(lay, row, col), "sheet.row_without_item",
                                        {"column": get_column_letter(lay.key_col)}))
                cells_aside[f"{ws.title}!rij {row}"] = [_jsonable(v) for v in (cur, tgt, note)]
            continue
        item_id = str(item_id)
        if item_id in seen:
            problems.append(Problem(name, where(lay, row, cur_c), "sheet.duplicate_item",
                                    {"item": item_id, "row": seen[item_id]}))
            cells_aside[f"{ws.title}!rij {row}"] = [item_id, *(_jsonable(v) for v in (cur, tgt, note))]
            continue
        seen[item_id] = row
        entry: dict[str, Any] = {}
        for key, col, v in (("current", cur_c, cur), ("target", tgt_c, tgt)):
            if v is None:
                continue
            level = _level(v)
            if level is None:
                refuse_cell(lay, row, col, v, level_rule, "sheet.not_a_level")
            else:
                entry[key] = level
                places[f"answers › {item_id} › {key}"] = where(lay, row, col)
        if note is not None:
            entry["note"] = str(note)
            places[f"answers › {item_id} › note"] = where(lay, row, note_c)
        if entry:
            raw["answers"][item_id] = entry
            places.setdefault(f"answers › {item_id}", where(lay, row, lay.key_col))
        if item_id not in known and entry:
            problems.append(Problem(name, where(lay, row, lay.key_col), "sheet.unknown_item", {"item": repr(item_id)},
                                    "warning"))

    # the investment: rows by the area id, columns by their field ids
    lay = layouts["investment"]
    ws = lay.sheet
    fields = {f.id: f for f in inv.fields}
    order = ["ambition", *fields, "note"]
    for row in range(lay.origin_row + 1, ws.max_row + 1):
        area_id = value(lay, row, lay.key_col)
        if area_id == HEAD:
            continue
        values = {f: value(lay, row, lay.cols[f]) for f in order if f in lay.cols}  # optional columns may be gone
        if lay.fixed_rows is None and (area_id is not None or any(v is not None for v in values.values())):
            unmarked(lay, row)
        if area_id is None:
            if any(v is not None for v in values.values()):
                col = next(lay.cols[f] for f, v in values.items() if v is not None)
                problems.append(Problem(name, where(lay, row, col), "sheet.row_without_area",
                                        {"column": get_column_letter(lay.key_col)}))
                cells_aside[f"{ws.title}!rij {row}"] = {k: _jsonable(v) for k, v in values.items()}
            continue
        out: dict[str, Any] = {}
        for f, v in values.items():
            if v is None:
                continue
            col = lay.cols[f]
            places[f"investment › areas › {area_id} › {f}"] = where(lay, row, col)
            if f == "note":
                out[f] = str(v)
                continue
            rule = _rule("ambition") if f == "ambition" else _field_rule_msg(fields[f])
            number = _ambition(v) if f == "ambition" else _number(v)
            if number is None or isinstance(v, (dt.date, dt.datetime)):
                refuse_cell(lay, row, col, v, rule)
                continue
            unit = "ambition" if f == "ambition" else fields[f].unit
            low, top = {"ambition": (1, 5), "years": (1, 50)}.get(unit, (0, _UNIT_MAX.get(unit, math.inf)))
            if not low <= number <= top or (unit in ("ambition", "choice") and number != int(number)):
                refuse_cell(lay, row, col, v, rule)
                continue
            out[f] = int(number) if unit in ("ambition", "choice") else number
        if out:
            raw["investment"]["areas"][str(area_id)] = out
            places.setdefault(f"investment › areas › {area_id}", where(lay, row, lay.key_col))
    if cells_aside:
        raw["set_aside"]["cells"] = {k: _jsonable(v) for k, v in cells_aside.items()}
    result = parse_answers(json.dumps(raw, ensure_ascii=False, default=str), name, model)
    # a data path (investment › areas › x › hours_ict) becomes the cell it came from
    result.problems[:] = [p.replace(where=places[where_text(p.where)]) if where_text(p.where) in places else p
                          for p in result.problems]
    result.problems[:0] = problems
    size = len(dumps_answers(result.answers).encode("utf-8"))
    if size > ANSWERS_MAX_BYTES:  # what loads must be savable again (and readable by every other command)
        raise AnswersFileError(Problem(name, "", "sheet.answers_too_large",
                                       {"mb": round(size / MB, 1), "max_mb": round(ANSWERS_MAX_BYTES / MB, 1)}))
    return result


def _level(value: Any) -> int | str | None:
    from imworkbook.model.answers import normalize_level

    if isinstance(value, (dt.date, dt.datetime)):
        return None
    if isinstance(value, str):
        m = re.match(r"^\s*([1-5])(\s|$|[.·:-])", value)
        if m:
            return int(m.group(1))
    try:
        return normalize_level(value)
    except ValueError:
        return None


def _ambition(value: Any) -> float | None:
    if isinstance(value, str):
        m = re.match(r"^\s*([1-5])(\s+\D.*)?$", value)
        if m:
            return float(m.group(1))
    return _number(value)


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or isinstance(value, (dt.date, dt.datetime)):
        return None
    if isinstance(value, (int, float)):
        return float(value)
    try:
        return parse_number(str(value))
    except ValueError:
        return None


def _jsonable(value: Any) -> Any:
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, (dt.date, dt.datetime)):
        return _shown(value)
    return value if isinstance(value, (str, int, float, type(None))) else str(value)


# --- the application inventory (werkboek 4) ---------------------------------------------------------------

# the inventory's sheet names and column headers are texts (i18n inv_sheet, inv_lists_sheet, inv_col_<field>): it is
# written in the screen's language, and a file in either language reads back
INVENTORY_KEYS = {  # Application field -> its column header (i18n), in column order
    "name": "inv_col_name", "type": "inv_col_type", "supplier": "inv_col_supplier", "activities": "inv_col_activities",
    "masters": "inv_col_masters", "uses": "inv_col_uses", "cost_year": "inv_col_cost_year",
    "cost_once": "inv_col_cost_once", "users": "inv_col_users", "business_fit": "inv_col_business_fit",
    "technical_fit": "inv_col_technical_fit", "note": "inv_col_note"}
INVENTORY_FIELDS = tuple(INVENTORY_KEYS)


def inventory_columns(lang: str) -> dict[str, str]:
    """Column header in ``lang`` -> Application field."""
    return {t(key, lang): field for field, key in INVENTORY_KEYS.items()}


_LIST_FIELDS = {"activities": "activity", "masters": "object", "uses": "object"}


def write_inventory(path: str | Path, apps: list, ref=None, lang: str = "nl") -> Path:
    """The inventory as a workbook: one row per application (ids separated by commas) and a sheet with the
    ids and labels to choose from."""
    from imworkbook.model.content import load_landscape_reference

    ref = ref or load_landscape_reference()
    wb = Workbook()
    ws = wb.active
    ws.title = t("inv_sheet", lang)
    lists_sheet = t("inv_lists_sheet", lang)
    ws.append(list(inventory_columns(lang)))
    for c in ws[1]:
        c.font, c.fill = Font(bold=True), HEAD_FILL
    for app in apps:
        row = []
        for field in INVENTORY_FIELDS:
            v = getattr(app, field)
            row.append(", ".join(v) if isinstance(v, list) else v)
        ws.append([safe_cell(v) for v in row])
    types = DataValidation(type="list", formula1=f"='{lists_sheet}'!$D$2:$D${len(ref.system_types) + 1}",
                           allow_blank=True)
    ws.add_data_validation(types)
    types.add("B2:B500")
    for fit in ("J2:J500", "K2:K500"):
        dv = DataValidation(type="whole", operator="between", formula1="1", formula2="5", allow_blank=True)
        ws.add_data_validation(dv)
        dv.add(fit)
    for col, width in zip("ABCDEFGHIJKL", (24, 16, 20, 40, 30, 30, 14, 14, 11, 11, 11, 40)):
        ws.column_dimensions[col].width = width
    ws.freeze_panes = "B2"
    lists = wb.create_sheet(lists_sheet)
    what = t("inv_list_description", lang)
    lists.append([t("inv_list_activity", lang), what, "", t("inv_list_type", lang), what, "",
                  t("inv_list_object", lang), what])
    acts = list(ref.activities.values())
    for n in range(max(len(acts), len(ref.system_types), len(ref.data_objects))):
        row = ["", "", "", "", "", "", "", ""]
        if n < len(acts):
            row[0:2] = [acts[n].id, acts[n].label(lang)]
        if n < len(ref.system_types):
            row[3:5] = [ref.system_types[n].id, ref.system_types[n].label(lang)]
        if n < len(ref.data_objects):
            row[6:8] = [ref.data_objects[n].id, ref.data_objects[n].label(lang)]
        lists.append(row)
    for col, width in zip("ABCDEFGH", (30, 44, 2, 18, 40, 2, 20, 40)):
        lists.column_dimensions[col].width = width
    path = Path(path)
    atomic_write_bytes(path, workbook_bytes(wb))  # text that looks like a formula stays text
    return path


def read_inventory(data: bytes, name: str, ref=None) -> tuple[list, list[Problem]]:
    """Applications from a workbook (or a CSV export of it); every problem names row and column, every valid row
    is kept. Labels are accepted where ids are expected."""
    from pydantic import ValidationError

    from imworkbook.model.answers import Application
    from imworkbook.model.content import load_landscape_reference
    ref = ref or load_landscape_reference()
    if data.startswith(OLE_MAGIC):
        raise AnswersFileError(Problem(name, "", "inventory.old_xls_or_password"))
    from imworkbook.io.safezip import scan_workbook

    scan_workbook(data, name)  # the budgets (rows, sizes, shared strings) before openpyxl parses anything
    try:
        wb = load_workbook(io.BytesIO(data), data_only=False)
    except Exception as exc:  # noqa: BLE001 - any broken part: one Dutch message, never a traceback
        raise AnswersFileError(Problem(name, "", "xlsx.unusable", {"why": reason_of(exc)})) from None
    sheets = {t("inv_sheet", lg): lg for lg in LANGS}
    ws = next((wb[n] for n in sheets if n in wb.sheetnames), wb.worksheets[0])
    headers = [str(c.value).strip().lower() if c.value is not None else "" for c in ws[1]]
    # the file's language: the one whose headers it uses most (a sheet written in either language reads back)
    lang = max(LANGS, key=lambda lg: (len(set(headers) & set(inventory_columns(lg))), lg == "nl"))
    accepted = {h: f for lg in LANGS for h, f in inventory_columns(lg).items()}  # a header of either language
    lists_sheet = t("inv_lists_sheet", lang)
    problems: list[Problem] = []
    if not any(accepted.get(h) == "name" for h in headers):
        raise AnswersFileError(Problem(name, f"{ws.title}!1", "inventory.no_name_column"))
    for n, h in enumerate(headers, start=1):
        if h and h not in accepted:
            problems.append(Problem(name, f"{ws.title}!{get_column_letter(n)}1", "inventory.unknown_column",
                                    {"column": h}, "warning"))
    column_of = {}  # field -> header as found
    for h in headers:
        if h in accepted and accepted[h] not in column_of:
            column_of[accepted[h]] = h
    for h, field in inventory_columns(lang).items():
        if field not in column_of:
            problems.append(Problem(name, f"{ws.title}!1", "inventory.missing_column", {"column": h}, "warning"))
    by_label = {"activity": {**{a.label(lg).lower(): a.id for a in ref.activities.values() for lg in ("nl", "en")},
                             **{a: a for a in ref.activities}},
                "object": {**{d.label(lg).lower(): d.id for d in ref.data_objects for lg in ("nl", "en")},
                           **{d.id: d.id for d in ref.data_objects}},
                "type": {**{s.label(lg).lower(): s.id for s in ref.system_types for lg in ("nl", "en")},
                         **{s.id: s.id for s in ref.system_types}}}
    apps, seen = [], {}
    for row in range(2, ws.max_row + 1):
        found = {h: ws.cell(row=row, column=n) for n, h in enumerate(headers, start=1) if h in accepted}
        cells = {h: c.value for h, c in found.items()}
        if all(v is None or str(v).strip() == "" for v in cells.values()):
            continue
        errors = []
        values: dict[str, Any] = {}
        for field, header in column_of.items():
            v = cells.get(header)
            col = get_column_letter(headers.index(header) + 1) if header in headers else "?"
            where = f"{ws.title}!{col}{row}"
            if header in found and found[header].data_type == "f":  # also an array formula; text "=…" is text
                errors.append(Problem(name, where, "inventory.formula"))
                continue
            if v is None or (isinstance(v, str) and not v.strip()):
                continue
            if field in _LIST_FIELDS or field == "type":
                kind = _LIST_FIELDS.get(field, "type")
                parts = [p.strip() for p in str(v).replace(";", ",").split(",") if p.strip()] if kind != "type" else [str(v).strip()]
                ids = []
                for part in parts:  # an id or a label (Dutch or English) from the reference list
                    ident = by_label[kind].get(part.lower()) or by_label[kind].get(part)
                    if ident is None:
                        errors.append(Problem(name, where, "inventory.type_not_in_reference" if kind == "type"
                                              else "inventory.not_in_reference", {"part": part, "sheet": lists_sheet}))
                    else:
                        ids.append(ident)
                if len(ids) == len(parts):
                    values[field] = ids[0] if kind == "type" else ids
            elif field in ("cost_year", "cost_once", "users", "business_fit", "technical_fit"):
                number = _number(v)
                if number is None:
                    errors.append(Problem(name, where, "inventory.not_a_number", {"given": repr(v)}))
                elif field in ("users", "business_fit", "technical_fit"):
                    if number != int(number):
                        errors.append(Problem(name, where, "inventory.not_whole", {"given": repr(v)}))
                    else:
                        values[field] = int(number)
                else:
                    values[field] = number
            else:
                values[field] = str(v).strip()
        app_name = values.get("name")
        if app_name and app_name.lower() in seen:
            errors.append(Problem(name, f"{ws.title}!A{row}", "inventory.duplicate_application",
                                  {"name": app_name, "row": seen[app_name.lower()]}))
        if not errors:
            try:
                app = Application.model_validate(values)
            except ValidationError as exc:
                for err in exc.errors():
                    field = str(err["loc"][0]) if err.get("loc") else ""
                    header = column_of.get(field, field)
                    col = get_column_letter(headers.index(header) + 1) if header in headers else "?"
                    code, values = pydantic_code(err)
                    errors.append(Problem(name, f"{ws.title}!{col}{row}", code, values))
            else:
                apps.append(app)
                seen[app.name.lower()] = row
        for p in errors:
            problems.append(p.replace(values={**dict(p.values), "then": Msg("then.row_not_read", row=row)}))
    return apps, problems
