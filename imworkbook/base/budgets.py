"""Budgets: the most any one input may cost, checked before the expensive step.

A small file can claim a huge amount of work (a zip bomb, a sheet that says it has a million rows, a shared-strings
table with millions of entries, a zip member whose header understates its size). Every loader checks these limits
first, on what the file declares *and* on what it really holds while streaming, and refuses with a Dutch message
naming the file and a remedy. Nothing is read past a limit, so the cost of any file is bounded by the limits, not by
the file.

Answers files (``.json``)
    ``ANSWERS_MAX_BYTES``: the document itself, after decompression (a zip member is counted as it inflates).

Questionnaire workbooks (``.xlsx``, the Excel route; see :mod:`imworkbook.io.excel`)
    ``XLSX_MAX_PARTS`` files inside the workbook; ``XLSX_MAX_PART_BYTES`` per part and ``XLSX_MAX_TOTAL_BYTES``
    for all parts together, unpacked; ``XLSX_MAX_ROWS`` rows and ``XLSX_MAX_CELLS`` cells per sheet (the
    ``<dimension>`` the sheet claims and the rows it really has); ``XLSX_MAX_SHARED_STRINGS`` entries in the
    shared-strings table (its declared ``uniqueCount`` and the real entries); ``XLSX_MAX_ELEMENTS`` XML elements in
    every other part (styles, theme, workbook: openpyxl builds an object for each); no DTDs (entities). A workbook that fits also yields an
    answers file of at most ``ANSWERS_MAX_BYTES``, so whatever loads can be saved again.

A network zip (``imworkbook validate`` / ``compare``, werkboek 3; see :mod:`imworkbook.io.collect`)
    ``ZIP_MAX_MEMBERS`` files; ``ZIP_MAX_TOTAL_BYTES`` unpacked in total (members past it are refused, each with a
    report line; the ones before it load); each member at most ``ANSWERS_MAX_BYTES`` unpacked, counted while it
    inflates (a member whose header lies costs at most that).
"""

from __future__ import annotations

MB = 1024 * 1024

ANSWERS_MAX_BYTES = 5 * MB

XLSX_MAX_PARTS = 500
XLSX_MAX_PART_BYTES = 20 * MB
XLSX_MAX_TOTAL_BYTES = 40 * MB
XLSX_MAX_ROWS = 5_000
XLSX_MAX_CELLS = 100_000
XLSX_MAX_SHARED_STRINGS = 100_000
XLSX_MAX_ELEMENTS = 50_000  # per other XML part (styles, theme, workbook), which openpyxl parses whole

ZIP_MAX_MEMBERS = 50_000
ZIP_MAX_DIRECTORY_BYTES = ZIP_MAX_MEMBERS * 300  # the member list itself (names up to ~250 characters)
ZIP_MAX_TOTAL_BYTES = 2048 * MB


def mb(n: int, lang: str = "nl") -> str:
    """``5242880`` -> ``"5 MB"``; one decimal under 10 MB when it is not whole (``"2,5 MB"``; English ``"2.5 MB"``)."""
    from imworkbook.base.i18n import format_number

    value = n / MB
    return format_number(value, lang, 0 if value >= 10 or value == int(value) else 1) + " MB"


def count(n: int, lang: str = "nl") -> str:
    """``100000`` -> ``"100.000"`` (nl), ``"100,000"`` (en)."""
    from imworkbook.base.i18n import format_number

    return format_number(n, lang, 0)
