"""Writing answers files: the text, never larger than the loader accepts; backups."""

from __future__ import annotations

import datetime as _dt
import json
import math
import re
from pathlib import Path
from typing import Any


from imworkbook.base.budgets import MB
from imworkbook.base.errors import AnswersFileError, Problem
from imworkbook.base.storage import atomic_write_bytes, locked
from imworkbook.model.answers import Answers, MAX_FILE_BYTES, file_name, unwritten_sections


# --- writing ------------------------------------------------------------------

def dumps_answers(answers: Answers) -> str:
    """The file text. ``set_aside`` is written with plain ``json`` so it comes back exactly as it was read.

    Indented for people who open the file; when that would exceed the budget a file may have
    (:data:`MAX_FILE_BYTES`), compact. Text that even compact would not fit raises :class:`AnswersFileError`:
    the tool never writes a file it would refuse to read.
    """
    data = answers.model_dump(mode="json", exclude={"set_aside"})
    data["answers"] = {k: v for k, v in data["answers"].items()
                       if v["current"] is not None or v["target"] is not None or v["note"]}
    data["set_aside"] = _standard_json(answers)
    empty = unwritten_sections(answers)
    keys = [k for k in Answers.model_fields if k not in empty]  # optional sections only when filled in
    data = {k: data[k] for k in keys}
    size = 0
    for layout in ({"indent": 1}, {"separators": (",", ":")}):
        try:
            text = json.dumps(data, ensure_ascii=False, allow_nan=False, **layout)
        except RecursionError:  # deeply nested set-aside data: the pure-Python indenting encoder gives up
            continue
        # a lone surrogate (from an odd file) cannot be UTF-8: escape those characters only (they occur only in
        # strings, where \udXXX is valid JSON), not every non-ASCII character
        text = _LONE_SURROGATE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
        size = len(text.encode("utf-8"))
        if size + 1 <= MAX_FILE_BYTES:
            return text + "\n"
    raise AnswersFileError(Problem(
        file_name(answers.school.name, answers.round, answers.rater), "", "answers.would_be_too_large",
        {"mb": round(size / MB, 1), "max_mb": round(MAX_FILE_BYTES / MB, 1)}))


_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def _standard_json(answers: Answers) -> Any:
    """``set_aside`` ready for standard JSON: NaN and infinity as text (see :func:`_finite`)."""
    try:
        json.dumps(answers.set_aside, allow_nan=False, separators=(",", ":"))  # the C encoder: quick
        return answers.set_aside
    except ValueError:
        pass
    except RecursionError:
        raise _too_deep(answers) from None
    try:
        return _finite(answers.set_aside)
    except RecursionError:
        raise _too_deep(answers) from None


def _too_deep(answers: Answers) -> AnswersFileError:
    return AnswersFileError(Problem(file_name(answers.school.name, answers.round, answers.rater), "set_aside",
                                    "answers.set_aside_too_deep"))


def _finite(value: Any) -> Any:
    """NaN and infinity are not JSON: set-aside values keep them as text (``"NaN"``), so every file written is
    standard JSON that other tools can read."""
    if isinstance(value, float) and not math.isfinite(value):
        return repr(value).replace("nan", "NaN").replace("inf", "Infinity")
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_finite(v) for v in value]
    return value


def answers_bytes(answers: Answers) -> bytes:
    """Set ``saved_at`` and serialise (may raise :class:`AnswersFileError` when too large); for a caller that
    holds the file's lock itself and writes with :func:`storage.atomic_write_bytes`."""
    answers.saved_at = _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds")
    return dumps_answers(answers).encode("utf-8")


def save_answers(answers: Answers, path: str | Path) -> Path:
    """Save atomically (temp file + rename) under the file's lock; sets ``saved_at``. Overwrites what is there:
    for edits of an open file use :class:`Session`, which never overwrites a change made elsewhere."""
    path = Path(path)
    data = answers_bytes(answers)
    with locked(path):
        atomic_write_bytes(path, data)
    return path


def backup_copy(path: Path) -> Path:
    """Copy ``path`` to ``<name>.origineel-<time>.json`` next to it (never overwriting an earlier copy)."""
    stamp = _dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    for n in range(1, 1000):
        suffix = "" if n == 1 else f"-{n}"
        backup = path.with_name(f"{path.stem}.origineel-{stamp}{suffix}{path.suffix}")
        try:
            with open(backup, "xb") as handle:  # never overwrite an earlier backup
                handle.write(path.read_bytes())
            return backup
        except FileExistsError:
            continue
    raise OSError("kan geen reservekopie maken")  # pragma: no cover
