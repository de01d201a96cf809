"""The Excel route: a questionnaire workbook for schools that will not open Jupyter, and reading it back.

``write_template`` makes an .xlsx (openpyxl) with the items, the five level descriptors, drop-down lists
(data validation), locked structure (only the answer cells can be edited) and Dutch instructions.
``read_workbook`` turns a filled-in workbook (saved by Excel or LibreOffice) into a normal answers file:
every cell that cannot be used gets a message naming sheet and cell, and its value is kept under
``set_aside › cells``; everything valid loads. Formulas are never evaluated (a formula in an answer cell
is reported, not used); old ``.xls`` and password-protected files are refused with a message.

Layout (template version 1): sheet ``Uitleg`` (instructions and the template version in B3), ``School``
(B2:B7), ``Vragen`` (one row per item; the item id in column A identifies the row, so inserted, moved or
extra rows do no harm) and ``Investering`` (one row per area).
"""

from __future__ import annotations

import io
import json
import re
from pathlib import Path
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from .answers import KIND, SCHEMA_VERSION, LoadResult, atomic_write_bytes, current_round, parse_answers
from .cells import FORMULA_START, safe_cell, workbook_bytes
from .content import InvestmentModel, MaturityModel, load_investment_model, load_model, load_rater_roles
from .errors import AnswersFileError, Problem
from .i18n import t
from .numbers import parse_number

TEMPLATE_VERSION = 1
SHEETS = {"intro": "Uitleg", "school": "School", "items": "Vragen", "investment": "Investering"}
VERSION_CELL = "B3"
SCHOOL_ROWS = ["name", "code", "sector", "pupils", "round", "rater", "hourly_rate", "staff_fte"]  # School!B2:B9
COL = {"id": 1, "area": 2, "nr": 3, "question": 4, "level1": 5, "current": 10, "target": 11, "note": 12}
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls and password-protected .xlsx are OLE files
HEAD_FILL = PatternFill("solid", fgColor="E8EEF3")
INPUT_FILL = PatternFill("solid", fgColor="FFF6E0")


def _level_choices(model: MaturityModel, lang: str) -> list[str]:
    return [f"{lv.level} {lv.label(lang)}" for lv in model.levels] + [t("weet_niet", lang), t("nvt", lang)]


def _writable(cell) -> None:
    cell.protection = Protection(locked=False)
    cell.fill = INPUT_FILL


# --- writing ----------------------------------------------------------------------------------------

def write_template(path: str | Path, model: MaturityModel | None = None, inv: InvestmentModel | None = None, *,
                   answers=None, lang: str = "nl") -> Path:
    """Write the questionnaire workbook (optionally filled in with ``answers``); atomically."""
    model = model or load_model()
    inv = inv or load_investment_model()
    roles = load_rater_roles()
    wb = Workbook()
    intro = wb.active
    intro.title = SHEETS["intro"]
    intro["A1"] = t("xl_title", lang)
    intro["A1"].font = Font(bold=True, size=14)
    intro["A3"], intro[VERSION_CELL] = t("xl_template_version", lang), TEMPLATE_VERSION
    intro["A4"], intro["B4"] = t("xl_model", lang), f"{model.id} {model.version}"
    for n, line in enumerate(t("xl_instructions", lang).split("\n"), start=6):
        intro.cell(row=n, column=1, value=line).alignment = Alignment(wrap_text=False)
    intro.column_dimensions["A"].width = 28
    intro.protection.sheet = True

    # the school
    ws = wb.create_sheet(SHEETS["school"])
    ws["A1"], ws["B1"] = t("xl_field", lang), t("xl_value", lang)
    labels = [t("label_name", lang), t("label_code", lang), t("label_sector", lang), t("label_pupils", lang),
              t("label_round", lang), t("label_rater", lang), t("label_hourly_rate", lang), t("label_staff_fte", lang)]
    school = answers.school if answers is not None else None
    values = [school.name if school else "", (school.code or "") if school else "", school.sector if school else "po",
              school.pupils if school and school.pupils else None, answers.round if answers is not None else current_round(),
              (answers.rater or "") if answers is not None else "",
              answers.investment.hourly_rate if answers is not None else None,
              answers.investment.staff_fte if answers is not None else None]
    for row, (label, value) in enumerate(zip(labels, values), start=2):
        ws.cell(row=row, column=1, value=label).font = Font(bold=True)
        cell = ws.cell(row=row, column=2, value=safe_cell(value))
        _writable(cell)
    for c in ws[1]:
        c.font, c.fill = Font(bold=True), HEAD_FILL
    sector = DataValidation(type="list", formula1='"po,vo"', allow_blank=False)
    sector.error, sector.errorTitle = t("xl_error_sector", lang), t("xl_error_title", lang)
    ws.add_data_validation(sector)
    sector.add("B4")
    pupils = DataValidation(type="whole", operator="between", formula1="1", formula2="50000", allow_blank=True)
    pupils.error, pupils.errorTitle = t("xl_error_pupils", lang), t("xl_error_title", lang)
    ws.add_data_validation(pupils)
    pupils.add("B5")
    rater = DataValidation(type="list", formula1='"' + ",".join(r.id for r in roles.roles) + '"', allow_blank=True)
    ws.add_data_validation(rater)
    rater.add("B7")
    ws["C7"] = t("xl_rater_help", lang)
    money = DataValidation(type="decimal", operator="greaterThan", formula1="0", allow_blank=True)
    money.error, money.errorTitle = t("xl_error_number", lang), t("xl_error_title", lang)
    ws.add_data_validation(money)
    money.add("B8")
    money.add("B9")
    ws.column_dimensions["A"].width, ws.column_dimensions["B"].width = 26, 40
    ws.protection.sheet = True

    # the questions
    ws = wb.create_sheet(SHEETS["items"])
    heads = ["id", t("col_area", lang), t("xl_nr", lang), t("xl_question", lang),
             *[f"{lv.level} {lv.label(lang)}" for lv in model.levels],
             t("label_current", lang), t("label_target", lang), t("label_note", lang)]
    ws.append(heads)
    for c in ws[1]:
        c.font, c.fill = Font(bold=True), HEAD_FILL
        c.alignment = Alignment(wrap_text=True, vertical="top")
    choices = _level_choices(model, lang)
    level_list = DataValidation(type="list", formula1='"' + ",".join(choices) + '"', allow_blank=True)
    level_list.error, level_list.errorTitle = t("xl_error_level", lang), t("xl_error_title", lang)
    level_list.prompt, level_list.promptTitle = t("xl_prompt_level", lang), t("label_current", lang)
    ws.add_data_validation(level_list)
    row = 2
    for a_n, area in enumerate(model.areas, start=1):
        for i_n, item in enumerate(area.items, start=1):
            given = answers.answer(item.id) if answers is not None else None
            ws.cell(row=row, column=COL["id"], value=item.id)
            ws.cell(row=row, column=COL["area"], value=area.short(lang))
            ws.cell(row=row, column=COL["nr"], value=f"{a_n}.{i_n}")
            ws.cell(row=row, column=COL["question"], value=f"{item.question(lang)}\n\n{item.help(lang)}")
            for level in range(1, 6):
                ws.cell(row=row, column=COL["level1"] + level - 1, value=item.levels[level](lang))
            for key in ("current", "target"):
                cell = ws.cell(row=row, column=COL[key], value=_level_cell(getattr(given, key) if given else None,
                                                                            choices))
                _writable(cell)
                level_list.add(cell.coordinate)
            note = ws.cell(row=row, column=COL["note"], value=safe_cell((given.note if given else "") or None))
            _writable(note)
            for col in range(1, COL["note"] + 1):
                ws.cell(row=row, column=col).alignment = Alignment(wrap_text=True, vertical="top")
            row += 1
    widths = {"A": 14, "B": 16, "C": 5, "D": 48, "E": 26, "F": 26, "G": 26, "H": 26, "I": 26, "J": 16, "K": 16, "L": 40}
    for col, width in widths.items():
        ws.column_dimensions[col].width = width
    ws.column_dimensions["A"].hidden = False
    ws.freeze_panes = "E2"
    ws.protection.sheet = True
    ws.protection.formatRows = False  # row heights may change (long notes)

    # the investment
    ws = wb.create_sheet(SHEETS["investment"])
    ws.append(["id", t("col_area", lang), t("ambition", lang), *[f.label(lang) for f in inv.fields], t("label_note", lang)])
    for c in ws[1]:
        c.font, c.fill = Font(bold=True), HEAD_FILL
        c.alignment = Alignment(wrap_text=True, vertical="top")
    amb = DataValidation(type="whole", operator="between", formula1="1", formula2="5", allow_blank=True)
    amb.error, amb.errorTitle = t("xl_error_ambition", lang), t("xl_error_title", lang)
    number = DataValidation(type="decimal", operator="greaterThanOrEqual", formula1="0", allow_blank=True)
    number.error, number.errorTitle = t("xl_error_number", lang), t("xl_error_title", lang)
    ws.add_data_validation(amb)
    ws.add_data_validation(number)
    for r, area in enumerate(model.areas, start=2):
        values = answers.investment.areas.get(area.id, {}) if answers is not None else {}
        ws.cell(row=r, column=1, value=area.id)
        ws.cell(row=r, column=2, value=area.name(lang))
        cell = ws.cell(row=r, column=3, value=values.get("ambition"))
        _writable(cell)
        amb.add(cell.coordinate)
        for c, f in enumerate(inv.fields, start=4):
            cell = ws.cell(row=r, column=c, value=values.get(f.id))
            _writable(cell)
            number.add(cell.coordinate)
        _writable(ws.cell(row=r, column=4 + len(inv.fields), value=safe_cell(values.get("note") or None)))
    ws.column_dimensions["A"].width, ws.column_dimensions["B"].width = 16, 34
    for c in range(3, 5 + len(inv.fields)):
        ws.column_dimensions[get_column_letter(c)].width = 14
    ws.freeze_panes = "C2"
    ws.protection.sheet = True

    wb.security.lockStructure = True  # no sheets added, removed or renamed by accident
    path = Path(path)
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

class _Sheet:
    """One sheet read once in openpyxl's read-only mode: values only, the first ``columns`` columns, at most
    ``budgets.XLSX_MAX_ROWS`` rows (the budget scan has already refused a sheet with more)."""

    def __init__(self, ws, merged: list[str], columns: int, rows: int):
        self.title = ws.title
        self.sheet_state = ws.sheet_state
        self.merged = merged
        self.rows, self.formulas = [], set()
        for r, cells in enumerate(ws.iter_rows(min_row=1, max_row=rows, min_col=1, max_col=columns), start=1):
            self.rows.append(tuple(c.value for c in cells))
            self.formulas.update((r, c) for c, cell in enumerate(cells, start=1)
                                 if getattr(cell, "data_type", None) == "f")
        self.max_row = len(self.rows)

    def get(self, row: int, col: int) -> Any:
        cells = self.rows[row - 1] if 1 <= row <= len(self.rows) else ()
        return cells[col - 1] if 1 <= col <= len(cells) else None

    def is_formula(self, row: int, col: int) -> bool:
        """A formula cell (by its type: text that happens to start with "=" is text, as the template writes it)."""
        return (row, col) in self.formulas


def read_workbook(data: bytes, name: str, model: MaturityModel | None = None) -> LoadResult:
    """A filled-in template as answers (see the module docstring); raises :class:`AnswersFileError` when the
    file is not a usable workbook at all, or larger than the budgets (:mod:`imworkbook.budgets`), which are
    checked on the zip's parts before openpyxl parses anything."""
    from openpyxl.utils.cell import coordinate_to_tuple
    from openpyxl.worksheet.formula import ArrayFormula, DataTableFormula

    from .answers import dumps_answers
    from .budgets import ANSWERS_MAX_BYTES, XLSX_MAX_ROWS, mb
    from .errors import plain_reason
    from .safezip import scan_workbook

    model = model or load_model()
    inv = load_investment_model()
    roles = load_rater_roles()
    if data.startswith(OLE_MAGIC):
        raise AnswersFileError(Problem(name, "", "dit is een oud Excel-bestand (.xls) of een bestand met een "
                                       "wachtwoord; sla het op als Excel-werkmap (.xlsx) zonder wachtwoord"))
    scan = scan_workbook(data, name)
    fields = ["ambition", *[f.id for f in inv.fields], "note"]
    widths = {SHEETS["intro"]: 2, SHEETS["school"]: 2, SHEETS["items"]: max(COL.values()),
              SHEETS["investment"]: 2 + len(fields)}
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=False)  # formulas as text: never evaluated
        try:
            states = [(ws.title, ws.sheet_state) for ws in book.worksheets]
            wb = {ws.title: _Sheet(ws, scan.sheets.get(ws.title).merged if ws.title in scan.sheets else [],
                                   widths[ws.title], XLSX_MAX_ROWS) for ws in book.worksheets if ws.title in widths}
        finally:
            book.close()
    except Exception as exc:  # noqa: BLE001 - any broken part: one Dutch message, never a traceback
        raise AnswersFileError(Problem(name, "", f"geen bruikbaar Excel-bestand (.xlsx): {plain_reason(exc)}; "
                                       "sla het opnieuw op als Excel-werkmap (.xlsx)")) from None
    problems: list[Problem] = []
    cells_aside: dict[str, Any] = {}
    missing = [s for s in SHEETS.values() if s not in wb]
    if SHEETS["intro"] in missing or SHEETS["items"] in missing or SHEETS["school"] in missing:
        raise AnswersFileError(Problem(name, "", "dit is geen vragenlijst van imworkbook (bladen "
                                       f"{', '.join(repr(s) for s in missing)} ontbreken); maak een nieuwe met "
                                       "'imworkbook template --xlsx'"))
    version = wb[SHEETS["intro"]].get(*coordinate_to_tuple(VERSION_CELL))
    if version != TEMPLATE_VERSION and str(version).strip() != str(TEMPLATE_VERSION):
        raise AnswersFileError(Problem(name, f"{SHEETS['intro']}!{VERSION_CELL}",
                                       f"sjabloonversie {version!r} wordt niet ondersteund (verwacht "
                                       f"{TEMPLATE_VERSION}); vul een nieuw sjabloon in"))
    for title, state in states:
        if state != "visible":
            problems.append(Problem(name, title, "dit blad is verborgen; het is wel gelezen", "waarschuwing"))

    def value(ws, row: int, col: int) -> Any:
        where = f"{ws.title}!{get_column_letter(col)}{row}"
        v = ws.get(row, col)
        if ws.is_formula(row, col) or isinstance(v, (ArrayFormula, DataTableFormula)):
            # a formula (also an array formula, an object rather than text); a text cell "=…" is text
            problems.append(Problem(name, where, "bevat een formule; vul een waarde in (formules worden niet "
                                    "uitgerekend); niet gebruikt", "fout"))
            cells_aside[where] = getattr(v, "text", v)
            return None
        if isinstance(v, str):
            v = v.strip()
            return v or None
        return v

    for ws in (wb[SHEETS["items"]], *([wb[SHEETS["investment"]]] if SHEETS["investment"] in wb else [])):
        for coord in ws.merged:
            problems.append(Problem(name, f"{ws.title}!{coord}", "cellen zijn samengevoegd; alleen de eerste "
                                    "cel is gelezen", "waarschuwing"))

    # the school
    ws = wb[SHEETS["school"]]
    school: dict[str, Any] = {}
    for row, key in enumerate(SCHOOL_ROWS, start=2):
        school[key] = value(ws, row, 2)
    for row, key, what in ((2, "name", "de naam van de school"), (6, "round", "de ronde (schooljaar, bijvoorbeeld 2026-2027)")):
        if school[key] is None:
            raise AnswersFileError(Problem(name, f"{ws.title}!B{row}", f"{what} ontbreekt; vul die in en lever het "
                                           "bestand opnieuw in"))
    if str(school["sector"] or "").strip().lower() not in ("po", "vo"):
        raise AnswersFileError(Problem(name, f"{ws.title}!B4", f"sector moet po of vo zijn; gekregen: "
                                       f"{school['sector']!r}"))
    pupils = school["pupils"]
    if pupils is not None:
        number = _number(pupils)
        if number is None or number != int(number):
            problems.append(Problem(name, f"{ws.title}!B5", f"aantal leerlingen moet een heel getal zijn; gekregen: "
                                    f"{pupils!r}; niet gebruikt", "fout"))
            cells_aside[f"{ws.title}!B5"] = pupils
            pupils = None
        else:
            pupils = int(number)
    rater = school["rater"]
    if rater is not None:
        by_label = {r.label(lang).lower(): r.id for r in roles.roles for lang in ("nl", "en")}
        rater = str(rater).strip()
        rater = rater if rater in {r.id for r in roles.roles} else by_label.get(rater.lower(), rater)
    raw: dict[str, Any] = {
        "schema_version": SCHEMA_VERSION, "kind": KIND, "model": {"id": model.id, "version": model.version},
        "school": {"name": str(school["name"] or ""), "code": None if school["code"] is None else str(school["code"]),
                   "sector": str(school["sector"] or "").lower(), "pupils": pupils},
        "round": str(school["round"] or ""), "answers": {}, "investment": {"areas": {}}, "set_aside": {},
    }
    if rater:
        raw["rater"] = rater
    for row, key in ((8, "hourly_rate"), (9, "staff_fte")):
        if school[key] is None:
            continue
        number = _number(school[key])
        if number is None or number <= 0:
            where = f"{SHEETS['school']}!B{row}"
            problems.append(Problem(name, where, f"{school[key]!r} is geen positief getal; niet gebruikt", "fout"))
            cells_aside[where] = school[key]
        else:
            raw["investment"][key] = number

    # the questions: rows are found by the item id in column A
    ws = wb[SHEETS["items"]]
    known = set(model.item_ids)
    seen: dict[str, int] = {}
    for row in range(2, ws.max_row + 1):
        item_id = value(ws, row, COL["id"])
        cur, tgt, note = (value(ws, row, COL[k]) for k in ("current", "target", "note"))
        if item_id is None:
            if any(v is not None for v in (cur, tgt, note)):
                where = f"{ws.title}!A{row}"
                problems.append(Problem(name, where, "rij zonder item-id in kolom A; de antwoorden in deze rij zijn "
                                        "niet gebruikt (bewaard onder set_aside)", "fout"))
                cells_aside[f"{ws.title}!rij {row}"] = [cur, tgt, note]
            continue
        item_id = str(item_id)
        if item_id in seen:
            problems.append(Problem(name, f"{ws.title}!A{row}", f"item {item_id} staat ook in rij {seen[item_id]}; "
                                    "deze rij is niet gebruikt (bewaard onder set_aside)", "fout"))
            cells_aside[f"{ws.title}!rij {row}"] = [item_id, cur, tgt, note]
            continue
        seen[item_id] = row
        entry: dict[str, Any] = {}
        for key, v in (("current", cur), ("target", tgt)):
            if v is None:
                continue
            level = _level(v)
            where = f"{ws.title}!{get_column_letter(COL[key])}{row}"
            if level is None:
                problems.append(Problem(name, where, f"{v!r} is geen niveau (1 t/m 5, 'Weet niet' of 'N.v.t.'); niet "
                                        "gebruikt, bewaard onder set_aside", "fout"))
                cells_aside[where] = v
            else:
                entry[key] = level
        if note is not None:
            entry["note"] = str(note)
        if entry:
            raw["answers"][item_id] = entry
        if item_id not in known and entry:
            problems.append(Problem(name, f"{ws.title}!A{row}", f"onbekend item {item_id!r}", "waarschuwing"))

    # the investment (optional sheet)
    if SHEETS["investment"] in wb:
        ws = wb[SHEETS["investment"]]
        for row in range(2, ws.max_row + 1):
            area_id = value(ws, row, 1)
            values = {f: value(ws, row, c) for c, f in enumerate(fields, start=3)}
            if area_id is None:
                if any(v is not None for v in values.values()):
                    problems.append(Problem(name, f"{ws.title}!A{row}", "rij zonder gebied-id in kolom A; niet "
                                            "gebruikt (bewaard onder set_aside)", "fout"))
                    cells_aside[f"{ws.title}!rij {row}"] = values
                continue
            out: dict[str, Any] = {}
            for c, (f, v) in enumerate(values.items(), start=3):
                if v is None:
                    continue
                if f == "note":
                    out[f] = str(v)
                    continue
                number = _number(v)
                where = f"{ws.title}!{get_column_letter(c)}{row}"
                if number is None:
                    problems.append(Problem(name, where, f"{v!r} is geen getal; niet gebruikt, bewaard onder "
                                            "set_aside", "fout"))
                    cells_aside[where] = v
                    continue
                out[f] = int(number) if f in ("ambition", "tooling") and number == int(number) else number
            if out:
                raw["investment"]["areas"][str(area_id)] = out
    if cells_aside:
        raw["set_aside"]["cells"] = {k: _jsonable(v) for k, v in cells_aside.items()}
    result = parse_answers(json.dumps(raw, ensure_ascii=False, default=str), name, model)
    result.problems[:0] = problems
    size = len(dumps_answers(result.answers).encode("utf-8"))
    if size > ANSWERS_MAX_BYTES:  # what loads must be savable again (and readable by every other command)
        raise AnswersFileError(Problem(name, "", f"de ingevulde vragenlijst wordt als antwoordenbestand "
                                       f"{mb(size)} (hoogstens {mb(ANSWERS_MAX_BYTES)}); maak de toelichtingen "
                                       "korter of verwijder overbodige rijen en cellen"))
    return result


def _level(value: Any) -> int | str | None:
    from .answers import normalize_level

    if isinstance(value, str):
        m = re.match(r"^\s*([1-5])(\s|$|[.·:-])", value)
        if m:
            return int(m.group(1))
    try:
        return normalize_level(value)
    except ValueError:
        return None


def _number(value: Any) -> float | None:
    if isinstance(value, bool):
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
    return value if isinstance(value, (str, int, float, type(None))) else str(value)


# --- the application inventory (werkboek 4) ---------------------------------------------------------------

INVENTORY_SHEET = "Applicaties"
LISTS_SHEET = "Lijsten"
INVENTORY_COLUMNS = {  # column header -> Application field
    "naam": "name", "type": "type", "leverancier": "supplier", "activiteiten": "activities",
    "legt vast": "masters", "gebruikt": "uses", "kosten per jaar": "cost_year", "kosten eenmalig": "cost_once",
    "gebruikers": "users", "bedrijfsfit (1-5)": "business_fit", "technische fit (1-5)": "technical_fit",
    "toelichting": "note",
}
_LIST_FIELDS = {"activities": "activity", "masters": "object", "uses": "object"}


def write_inventory(path: str | Path, apps: list, ref=None, lang: str = "nl") -> Path:
    """The inventory as a workbook: one row per application (ids separated by commas) and a sheet with the
    ids and labels to choose from."""
    from .content import load_landscape_reference

    ref = ref or load_landscape_reference()
    wb = Workbook()
    ws = wb.active
    ws.title = INVENTORY_SHEET
    ws.append(list(INVENTORY_COLUMNS))
    for c in ws[1]:
        c.font, c.fill = Font(bold=True), HEAD_FILL
    for app in apps:
        row = []
        for field in INVENTORY_COLUMNS.values():
            v = getattr(app, field)
            row.append(", ".join(v) if isinstance(v, list) else v)
        ws.append([safe_cell(v) for v in row])
    types = DataValidation(type="list", formula1=f"={LISTS_SHEET}!$D$2:$D${len(ref.system_types) + 1}", allow_blank=True)
    ws.add_data_validation(types)
    types.add("B2:B500")
    for fit in ("J2:J500", "K2:K500"):
        dv = DataValidation(type="whole", operator="between", formula1="1", formula2="5", allow_blank=True)
        ws.add_data_validation(dv)
        dv.add(fit)
    for col, width in zip("ABCDEFGHIJKL", (24, 16, 20, 40, 30, 30, 14, 14, 11, 11, 11, 40)):
        ws.column_dimensions[col].width = width
    ws.freeze_panes = "B2"
    lists = wb.create_sheet(LISTS_SHEET)
    lists.append(["activiteit", "omschrijving", "", "type", "omschrijving", "", "gegevensobject", "omschrijving"])
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


DANGEROUS = FORMULA_START  # kept for older imports; see imworkbook.cells


def safe_text(value):
    """Text for a CSV cell (see :func:`imworkbook.cells.safe_cell`); kept for older imports."""
    return safe_cell(value, csv=True)


def read_inventory(data: bytes, name: str, ref=None) -> tuple[list, list[Problem]]:
    """Applications from a workbook (or a CSV export of it); every problem names row and column, every valid row
    is kept. Labels are accepted where ids are expected."""
    from pydantic import ValidationError

    from .answers import Application
    from .content import load_landscape_reference
    from .errors import from_pydantic_error_message

    ref = ref or load_landscape_reference()
    if data.startswith(OLE_MAGIC):
        raise AnswersFileError(Problem(name, "", "dit is een oud Excel-bestand (.xls) of een bestand met een "
                                       "wachtwoord; sla het op als .xlsx zonder wachtwoord"))
    from .errors import plain_reason
    from .safezip import scan_workbook

    scan_workbook(data, name)  # the budgets (rows, sizes, shared strings) before openpyxl parses anything
    try:
        wb = load_workbook(io.BytesIO(data), data_only=False)
    except Exception as exc:  # noqa: BLE001 - any broken part: one Dutch message, never a traceback
        raise AnswersFileError(Problem(name, "", f"geen bruikbaar Excel-bestand (.xlsx): {plain_reason(exc)}")) from None
    ws = wb[INVENTORY_SHEET] if INVENTORY_SHEET in wb.sheetnames else wb.worksheets[0]
    headers = [str(c.value).strip().lower() if c.value is not None else "" for c in ws[1]]
    problems: list[Problem] = []
    if "naam" not in headers:
        raise AnswersFileError(Problem(name, f"{ws.title}!1", "de kolom 'naam' ontbreekt in de eerste rij; gebruik "
                                       "de kolommen van de export uit werkboek 4"))
    for n, h in enumerate(headers, start=1):
        if h and h not in INVENTORY_COLUMNS:
            problems.append(Problem(name, f"{ws.title}!{get_column_letter(n)}1", f"kolom '{h}' is onbekend en wordt niet "
                                    "gelezen", "waarschuwing"))
    for h in INVENTORY_COLUMNS:
        if h not in headers:
            problems.append(Problem(name, f"{ws.title}!1", f"kolom '{h}' ontbreekt; blijft leeg", "waarschuwing"))
    by_label = {"activity": {**{a.label(lg).lower(): a.id for a in ref.activities.values() for lg in ("nl", "en")},
                             **{a: a for a in ref.activities}},
                "object": {**{d.label(lg).lower(): d.id for d in ref.data_objects for lg in ("nl", "en")},
                           **{d.id: d.id for d in ref.data_objects}},
                "type": {**{s.label(lg).lower(): s.id for s in ref.system_types for lg in ("nl", "en")},
                         **{s.id: s.id for s in ref.system_types}}}
    apps, seen = [], {}
    for row in range(2, ws.max_row + 1):
        found = {h: ws.cell(row=row, column=n) for n, h in enumerate(headers, start=1) if h in INVENTORY_COLUMNS}
        cells = {h: c.value for h, c in found.items()}
        if all(v is None or str(v).strip() == "" for v in cells.values()):
            continue
        errors = []
        values: dict[str, Any] = {}
        for header, field in INVENTORY_COLUMNS.items():
            v = cells.get(header)
            col = get_column_letter(headers.index(header) + 1) if header in headers else "?"
            where = f"{ws.title}!{col}{row}"
            if header in found and found[header].data_type == "f":  # also an array formula; text "=…" is text
                errors.append(Problem(name, where, "bevat een formule; vul een waarde in"))
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
                        errors.append(Problem(name, where, f"{'type ' if kind == 'type' else ''}'{part}' staat niet in "
                                              f"de referentielijst (blad {LISTS_SHEET})"))
                    else:
                        ids.append(ident)
                if len(ids) == len(parts):
                    values[field] = ids[0] if kind == "type" else ids
            elif field in ("cost_year", "cost_once", "users", "business_fit", "technical_fit"):
                number = _number(v)
                if number is None:
                    errors.append(Problem(name, where, f"{v!r} is geen getal"))
                elif field in ("users", "business_fit", "technical_fit"):
                    if number != int(number):
                        errors.append(Problem(name, where, f"{v!r} is geen heel getal"))
                    else:
                        values[field] = int(number)
                else:
                    values[field] = number
            else:
                values[field] = str(v).strip()
        app_name = values.get("name")
        if app_name and app_name.lower() in seen:
            errors.append(Problem(name, f"{ws.title}!A{row}", f"applicatie '{app_name}' staat ook in rij {seen[app_name.lower()]}"))
        if not errors:
            try:
                app = Application.model_validate(values)
            except ValidationError as exc:
                for err in exc.errors():
                    field = str(err["loc"][0]) if err.get("loc") else ""
                    header = next((h for h, f in INVENTORY_COLUMNS.items() if f == field), field)
                    col = get_column_letter(headers.index(header) + 1) if header in headers else "?"
                    errors.append(Problem(name, f"{ws.title}!{col}{row}", from_pydantic_error_message(err)))
            else:
                apps.append(app)
                seen[app.name.lower()] = row
        for p in errors:
            problems.append(Problem(p.file, p.where, f"{p.message}; rij {row} is niet ingelezen", "fout"))
    return apps, problems
