"""A school's answers: the versioned file format, safe loading and atomic saving.

One JSON file per school per round, e.g. ``werkmap/antwoorden/de-regenboog_2026-2027.json``::

    {
      "schema_version": 4,
      "kind": "imworkbook.answers",
      "model": {"id": "im_volwassenheid", "version": "2.0"},
      "school": {"name": "De Regenboog", "code": "99XX", "sector": "po", "pupils": 230,
                 "scope": "school", "location": null},
      "round": "2026-2027",
      "answers": {"visie.schooldoelen": {"current": 2, "target": 4, "note": ""}, ...},
      "set_aside": {},
      "saved_at": "2026-11-25T10:15:00+00:00"
    }

A level is ``1``-``5``, ``"weet_niet"`` (don't know), ``"nvt"`` (not applicable) or
``null`` (not answered yet).

Rules that protect the user's work:

* Loading never silently drops data: unknown items, unusable values and
  unknown fields are reported and kept verbatim under ``set_aside``, which is
  written back on every save.
* A file that cannot be read as a whole (corrupt, foreign, too new) raises
  :class:`~imworkbook.errors.AnswersFileError` and is never overwritten.
* Before the first save over a file that had problems, the original bytes are
  copied to ``<name>.origineel-<time>.json``.
* Every save is atomic: a temporary file in the same folder, flushed to disk,
  then renamed over the old one. An interrupted save leaves the old file intact.

The package: ``model`` (schema), ``reading`` (parse, migrate, load), ``writing`` (the file text, backups),
``session`` (an open file that saves every change), ``workspace`` (examples and the werkmap's schools). Everything
is importable from ``imworkbook.answers``.
"""

from .model import (FIELD_NAMES_NL, KIND, MAX_FILE_BYTES, OPTIONAL_SECTIONS, SCHEMA_VERSION, SCOPES, Answers, Application,
                    Choice, current_round, file_name, Fit, Investment, ItemAnswer, LevelValue, ModelRef, Money,
                    new_answers, normalize_ambition, normalize_investment, normalize_level, Proposal, Roles,
                    RoundText, School, school_identity, slug, unwritten_sections, Which)  # noqa: F401
from .model import _NVT, _UNIT_MAX, _WEET_NIET  # noqa: F401
from .reading import (SPREADSHEET_SUFFIXES, LoadResult, _decode, _parse_bytes, load_answers, parse_answers,  # noqa: F401
                      read_capped)
from .writing import answers_bytes, backup_copy, dumps_answers, save_answers  # noqa: F401
from .session import ConflictError, Session  # noqa: F401
from .workspace import (EXAMPLES_SUBFOLDER, SchoolFile, examples_dir, list_examples, list_schools,  # noqa: F401
                        open_example, open_school)
from ..storage import atomic_write_bytes  # noqa: F401 - older imports; write through imworkbook.storage
