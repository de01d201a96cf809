"""Any file with a school's answers: an answers file (``.json``) or a filled-in questionnaire (``.xlsx``, ``.ods``).

The one place that decides by the file's suffix which reader to use, above both readers (``answers`` reads JSON,
``excel`` reads spreadsheets and uses ``answers``), so neither imports the other's caller. The command line and
``imworkbook.load_answers`` use it.
"""

from __future__ import annotations

from pathlib import Path

from imworkbook.io.reading import SPREADSHEET_SUFFIXES, LoadResult, _parse_bytes, read_capped
from imworkbook.model.content import MaturityModel


def read_any(path: str | Path, model: MaturityModel | None = None) -> LoadResult:
    """Read an answers file or a filled-in questionnaire (see :func:`imworkbook.io.reading.load_answers`)."""
    path = Path(path)
    data = read_capped(path)
    if path.suffix.lower() in SPREADSHEET_SUFFIXES:
        from imworkbook.io.excel import read_workbook

        return read_workbook(data, path.name, model)
    return _parse_bytes(data, path.name, model)
