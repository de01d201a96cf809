"""Problems found in files, with a stable code, the file and the place, worded at display time.

Validation collects every problem it finds (like pandera's ``lazy=True``). A :class:`Problem` holds no sentence:
it has a ``code`` (``answers.too_large``) and the values that fill in its text; the text itself lives in
``data/i18n/<lang>.yaml`` under ``problem.<code>`` and is rendered in the language asked for with
:meth:`Problem.text` (``str(problem)`` is the Dutch rendering, ``bestand › plaats: probleem``). Places that are
words (a row, a line, a sheet) are :class:`Msg` objects (``place.<code>``) so they too follow the language; data
ids and field paths are language-neutral strings. :func:`from_pydantic` turns pydantic's structured errors into
problems with code ``pydantic.<type>``.
"""

from __future__ import annotations

import errno
import re
from typing import Any, Iterable, Literal, Mapping, Sequence

Severity = Literal["error", "warning", "note"]
SEVERITIES = ("error", "warning", "note")
_OLD_SEVERITY = {"fout": "error", "waarschuwing": "warning", "opmerking": "note"}
CODE_RE = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+$")
SEP = " › "


class Parts(tuple):
    """Messages shown one after another, separated by "; " (a tuple value is joined with ", ")."""


def _freeze(value: Any) -> Any:
    if isinstance(value, Parts):
        return Parts(_freeze(v) for v in value)
    if isinstance(value, (list, tuple, set, frozenset)):
        items = [_freeze(v) for v in value]
        return tuple(sorted(items, key=str) if isinstance(value, (set, frozenset)) else items)
    if isinstance(value, dict):
        return tuple((str(k), _freeze(v)) for k, v in value.items())
    return value


def _pairs(values: Mapping[str, Any] | Iterable[tuple[str, Any]] | None) -> tuple[tuple[str, Any], ...]:
    items = dict(values or ())
    return tuple(sorted((k, _freeze(v)) for k, v in items.items()))


def render_value(value: Any, lang: str) -> str:
    """One value of a message as text in ``lang``: a :class:`Msg` in that language, a list joined with commas, a
    fraction by Babel (``2,5``/``2.5``), anything else as itself."""
    if isinstance(value, Parts):
        return "; ".join(filter(None, (render_value(v, lang) for v in value)))
    if isinstance(value, (Msg, Invalid, Problem, Words)):
        if isinstance(value, Problem):
            return value.located(lang)
        return value.text(lang)
    if isinstance(value, tuple):
        return ", ".join(render_value(v, lang) for v in value)
    if value is None:
        return _safe("unknown", lang, ())
    if isinstance(value, bool) or (isinstance(value, int) and abs(value) < 1000):
        return str(value)  # small numbers as they are
    if isinstance(value, int):
        return _texts()["format_number"](value, lang, 0)  # 100.000 / 100,000
    if isinstance(value, float):
        return _texts()["format_number"](value, lang, 0 if value == int(value) else 1)
    return str(value)


_TEXTS: dict[str, Any] = {}  # set by imworkbook.base.i18n when it is imported: "t" and "format_number"


def use_texts(t: Any, format_number: Any) -> None:
    """Called by :mod:`imworkbook.base.i18n` on import: the functions that word problems. This module sits below i18n
    (i18n reports its own broken files with problems), so it never imports i18n itself."""
    _TEXTS.update(t=t, format_number=format_number)


def _texts() -> dict[str, Any]:
    if not _TEXTS:  # nothing imported i18n yet (a script that only uses this module): load it by name
        import importlib

        importlib.import_module(__name__.rpartition(".")[0] + ".i18n")
    return _TEXTS


def _safe(key: str, lang: str, values: tuple) -> str:
    """The text of ``key`` in ``lang``; if the strings themselves cannot be read (a broken nl.yaml is reported
    with a Problem too), the key and its values, never a second error."""
    t = _texts()["t"]
    try:
        return t(key, lang, **{k: render_value(v, lang) for k, v in values})
    except (ContentError, RecursionError):  # the strings files themselves are broken (reported by this problem)
        shown = ", ".join(f"{k}={v}" for k, v in values)
        return f"{key} ({shown})" if shown else key


class Msg:
    """A piece of text that is not yet words: the i18n key ``code`` and its values, rendered by :meth:`text`.
    Used for places (``Msg("place.row", row=5)`` -> "rij 5"/"row 5") and reasons inside problem texts."""

    __slots__ = ("code", "values")

    def __init__(self, code: str, values: Mapping[str, Any] | Iterable[tuple[str, Any]] | None = None, /,
                 **kw: Any):
        self.code = code
        self.values = _pairs({**dict(values or ()), **kw})

    def text(self, lang: str = "nl") -> str:
        return _safe(self.code, lang, self.values)

    def __str__(self) -> str:
        return self.text("nl")

    def __repr__(self) -> str:
        return f"Msg({self.code!r}, {dict(self.values)!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Msg) and (self.code, self.values) == (other.code, other.values)

    def __hash__(self) -> int:
        return hash((self.code, self.values))


def place(code: str, **values: Any) -> Msg:
    """A place in words: ``place("row", row=5)`` -> "rij 5" / "row 5" (key ``place.row``)."""
    return Msg(f"place.{code}", **values)


def reason(code: str, **values: Any) -> Msg:
    """A reason inside a problem's text: ``reason("zip_damaged")`` (key ``reason.zip_damaged``)."""
    return Msg(f"reason.{code}", **values)


Where = Any  # str | Msg | tuple of (str | Msg): parts joined with " › "


def _where(where: Any) -> Any:
    """A place as stored: a string when every part is a neutral string (``"answers › x.y › current"``), else a
    tuple of parts in which the :class:`Msg` parts are worded at display time."""
    if isinstance(where, list):
        where = tuple(where)
    if isinstance(where, tuple):
        parts = tuple(p for p in where if p not in ("", None))
        if all(isinstance(p, str) for p in parts):
            return SEP.join(parts)
        return parts[0] if len(parts) == 1 else parts
    return "" if where is None else where


def join(*parts: Any) -> Any:
    """Places joined with " › " (an empty part is left out): ``join("answers", item_id)``."""
    out: list[Any] = []
    for part in parts:
        part = _where(part)
        out.extend(part if isinstance(part, tuple) else [part])
    return _where(out)


def where_text(where: Any, lang: str = "nl") -> str:
    where = _where(where)
    if isinstance(where, tuple):
        return SEP.join(render_value(p, lang) for p in where)
    return render_value(where, lang) if where != "" else ""


class Problem:
    """One thing wrong (or worth a remark) in one file: ``Problem(file, where, code, values, severity)``.

    ``code`` is stable (tests pin it); its text is ``problem.<code>`` in data/i18n with ``values`` filled in.
    ``where`` is a neutral string (field path, data id), a :class:`Msg` place, or a tuple of those.
    ``severity``: "error", "warning" or "note". Equal problems hash equal. A third argument that is not a code
    (old style: a Dutch sentence) is kept as the code ``legacy.text`` so older call sites still work."""

    __slots__ = ("file", "where", "code", "values", "severity")

    def __init__(self, file: str, where: Any, code: str,
                 values: Mapping[str, Any] | Iterable[tuple[str, Any]] | str | None = None,
                 severity: str = "error", /, **kw: Any):
        if isinstance(values, str):  # old style: Problem(file, where, message, severity)
            values, severity = None, values
        severity = _OLD_SEVERITY.get(severity, severity)
        if severity not in SEVERITIES:
            raise ValueError(f"severity must be one of {SEVERITIES}; got {severity!r}")
        merged = {**dict(values or ()), **kw}
        if not CODE_RE.match(code):
            merged, code = {"text": code}, "legacy.text"
        object.__setattr__(self, "file", file)
        object.__setattr__(self, "where", _where(where))
        object.__setattr__(self, "code", code)
        object.__setattr__(self, "values", _pairs(merged))
        object.__setattr__(self, "severity", severity)

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError("a Problem is immutable; use replace()")

    def _key(self) -> tuple:
        return (self.file, self.where, self.code, self.values, self.severity)

    def __reduce__(self):  # immutable with __slots__: pickle (worker processes) through the constructor
        return (Problem, self._key())

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Problem) and self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def __repr__(self) -> str:
        return (f"Problem({self.file!r}, {self.where!r}, {self.code!r}, {dict(self.values)!r}, "
                f"{self.severity!r})")

    def replace(self, **changes: Any) -> "Problem":
        d = {"file": self.file, "where": self.where, "code": self.code, "values": self.values,
             "severity": self.severity, **changes}
        return Problem(d["file"], d["where"], d["code"], d["values"], d["severity"])

    def value(self, name: str, default: Any = None) -> Any:
        return dict(self.values).get(name, default)

    def message_in(self, lang: str = "nl") -> str:
        """The problem's text in ``lang`` (without file and place)."""
        values = [(k, v) for k, v in self.values if k != "then"]
        text = _safe(f"problem.{self.code}", lang, tuple(values))
        then = self.value("then")
        return f"{text}; {render_value(then, lang)}" if then else text

    def as_msg(self) -> Msg:
        """This problem's text (without place) as a value inside another text."""
        return Msg(f"problem.{self.code}", [(k, v) for k, v in self.values if k != "then"])

    def where_in(self, lang: str = "nl") -> str:
        """The place in ``lang`` ("rij 5" / "row 5"; field paths as they are)."""
        return where_text(self.where, lang)

    def located(self, lang: str = "nl") -> str:
        """``place: message`` (or the message alone when there is no place), in ``lang``."""
        where = self.where_in(lang)
        return f"{where}: {self.message_in(lang)}" if where else self.message_in(lang)

    def text(self, lang: str = "nl") -> str:
        """The full line in ``lang``: ``Fout: file › place: message`` / ``Error: file › place: message``."""
        where = self.where_in(lang)
        spot = f"{self.file}{SEP}{where}" if where else self.file
        return f"{_safe(f'severity.{self.severity}', lang, ())}: {spot}: {self.message_in(lang)}"

    @property
    def message(self) -> str:
        """The Dutch text (old callers); prefer :meth:`message_in`."""
        return self.message_in("nl")

    def __str__(self) -> str:
        return self.text("nl")


def replace(problem: Problem, **changes: Any) -> Problem:
    return problem.replace(**changes)


class Invalid(ValueError):
    """A validator's refusal with a code: ``raise Invalid("value.level", given=v)``; pydantic keeps the exception
    in the error's ctx and :func:`from_pydantic` turns it into a problem with that code (``problem.<code>``)."""

    def __init__(self, code: str, /, **values: Any):
        self.code = code
        self.values = _pairs(values)
        super().__init__(code)

    def __reduce__(self):
        return (_invalid, (self.code, self.values))

    def text(self, lang: str = "nl") -> str:
        return _safe(f"problem.{self.code}", lang, self.values)

    def __str__(self) -> str:
        return self.text("nl")


def _invalid(code: str, values: tuple) -> "Invalid":
    return Invalid(code, **dict(values))


class ImworkbookError(Exception):
    """Base class: a problem the user can fix; ``str()`` is the Dutch text, :meth:`text` any language."""

    def __init__(self, problems: Sequence[Problem] | Problem, title: str | Msg | None = None):
        if isinstance(problems, Problem):
            problems = [problems]
        self.problems = list(problems)
        self.title = title
        super().__init__(*self.problems)

    def text(self, lang: str = "nl") -> str:
        lines = [render_value(self.title, lang)] if self.title else []
        lines += [p.text(lang) for p in self.problems]
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.text("nl")


class ContentError(ImworkbookError):
    """A content file (maturity model, strings) is broken."""


class AnswersFileError(ImworkbookError):
    """An answers file cannot be read as a whole (corrupt, foreign, too new...)."""


def _path(loc: Sequence[Any], raw: Any) -> tuple:
    """``('items', 3, 'levels', 6)`` -> ``("items[3] (id: x.y)", "levels", "6")``: the parts of a place."""
    parts: list[str] = []
    node = raw
    for key in loc:
        if isinstance(key, int) and isinstance(node, list):
            label = f"[{key}]"
            node = node[key] if 0 <= key < len(node) else None
            if isinstance(node, dict) and isinstance(node.get("id"), str):
                label += f" (id: {node['id']})"
            if parts:
                parts[-1] += label
            else:
                parts.append(label)
            continue
        if isinstance(node, dict):
            node = node.get(key, node.get(str(key)) if not isinstance(key, str) else None)
        else:
            node = None
        parts.append(str(key))
    return tuple(parts)


def _path_text(loc: Sequence[Any], raw: Any) -> str:
    return SEP.join(_path(loc, raw))


_PYDANTIC = {  # pydantic's error type -> our code (problem.pydantic.<code>)
    "missing": "missing", "extra_forbidden": "extra_forbidden",
    "int_type": "int", "int_parsing": "int", "int_from_float": "int",
    "float_type": "float", "float_parsing": "float",
    "greater_than_equal": "greater_than_equal", "greater_than": "greater_than",
    "less_than_equal": "less_than_equal", "less_than": "less_than",
    "literal_error": "literal_error", "string_type": "string_type", "string_too_short": "string_too_short",
    "string_too_long": "string_too_long", "string_pattern_mismatch": "string_pattern_mismatch",
    "dict_type": "mapping", "model_type": "mapping", "model_attributes_type": "mapping", "list_type": "list",
    "too_short": "too_short", "bool_type": "bool", "bool_parsing": "bool",
}


def pydantic_code(err: dict) -> tuple[str, tuple]:
    """The code and values of one pydantic error dict (``pydantic.greater_than_equal``, bound and given)."""
    typ = err.get("type", "")
    ctx = err.get("ctx") or {}
    given = err.get("input")
    shown = repr(given) if not isinstance(given, (dict, list)) else type(given).__name__
    if typ in ("value_error", "assertion_error"):
        error = ctx.get("error")
        if isinstance(error, Invalid):
            return error.code, error.values
        return "pydantic.value_error", _pairs({"text": str(error if error is not None else err.get("msg", ""))})
    code = _PYDANTIC.get(typ)
    if code is None:
        return "pydantic.other", _pairs({"type": typ, "given": shown})
    values: dict[str, Any] = {"given": shown, "bound": None, "expected": None, "max_length": None,
                              "min_length": None}  # what pydantic's ctx leaves out is "onbekend"/"unknown"
    for name in ("ge", "gt", "le", "lt"):
        if name in ctx:
            values["bound"] = ctx[name]
    if "expected" in ctx:
        values["expected"] = str(ctx["expected"])
    for name in ("max_length", "min_length"):
        if name in ctx:
            values[name] = ctx[name]
    return f"pydantic.{code}", _pairs(values)


def from_pydantic_error_message(err: dict, lang: str = "nl") -> str:
    """The text of one pydantic error dict in ``lang``."""
    code, values = pydantic_code(err)
    return _safe(f"problem.{code}", lang, values)


def pydantic_msg(err: dict) -> Msg:
    code, values = pydantic_code(err)
    return Msg(f"problem.{code}", values)


def from_pydantic(exc: Any, file: str, raw: Any, prefix: Sequence[Any] = (), severity: str = "error",
                  **extra: Any) -> list[Problem]:
    """Translate a ``pydantic.ValidationError`` into :class:`Problem` s with codes ``pydantic.<type>`` (or the
    code of an :class:`Invalid` a validator raised); ``extra`` values (e.g. ``then``) go with each."""
    problems = []
    for err in exc.errors():
        loc = [*prefix, *err.get("loc", ())]
        code, values = pydantic_code(err)
        problems.append(Problem(file, _path(loc, raw), code, {**dict(values), **extra}, severity))
    return problems


_OS_REASON = {  # errno -> (what, remedy) codes under reason.os_<what> / reason.fix_<remedy>
    errno.EACCES: ("denied", "other_folder"), errno.EPERM: ("denied", "other_folder"),
    errno.EROFS: ("read_only", "other_folder"), errno.ENOSPC: ("disk_full", "free_space"),
    errno.EDQUOT: ("quota", "free_space"), errno.EISDIR: ("is_dir", "give_file"),
    errno.ENOTDIR: ("not_dir", "check_path"), errno.ENOENT: ("not_found", "check_path"),
    errno.ENAMETOOLONG: ("name_too_long", "shorter_name"), errno.EMFILE: ("too_many_open", "close_programs"),
}


def os_error_message(exc: OSError, path: Any = None, lang: str = "nl") -> str:
    """A sentence for a failed read or write: what went wrong, where, and what to do. Never raw English."""
    where = path if path is not None else (exc.filename or "")
    what, remedy = _OS_REASON.get(exc.errno, ("refused", "check_rights"))
    place_text = f" ({where})" if where else ""
    code = f" [{errno.errorcode.get(exc.errno, exc.errno)}]" if exc.errno else ""
    return _safe("problem.os.failed", lang, _pairs({"place": place_text, "what": reason(f"os_{what}"),
                                                    "code": code, "remedy": reason(f"fix_{remedy}")}))


def error_text(exc: BaseException, lang: str = "nl") -> str:
    """What to show a user for an error the app or CLI expects, in ``lang``; never raw English."""
    if isinstance(exc, OSError) and exc.errno is not None:
        return os_error_message(exc, lang=lang)
    if isinstance(exc, ImworkbookError):
        return exc.text(lang)
    if isinstance(exc, (Invalid, InvalidInput)):
        return exc.text(lang)
    return str(exc).strip("'\"")


_JSON_REASONS = (  # json's own messages (English) -> reason.json_<code>
    ("Expecting value", "value"), ("Expecting property name", "property_name"),
    ("Expecting ',' delimiter", "comma"), ("Expecting ':' delimiter", "colon"), ("Extra data", "extra_data"),
    ("Unterminated string", "unterminated"), ("Invalid control character", "control_character"),
    ("Invalid \\uXXXX escape", "u_escape"), ("Invalid \\escape", "escape"),
)


def json_reason_msg(exc: BaseException) -> Msg:
    """Why a JSON text could not be parsed (never json's English message)."""
    msg = getattr(exc, "msg", "") or ""
    return reason("json_" + next((code for en, code in _JSON_REASONS if msg.startswith(en)), "structure"))


def json_reason(exc: BaseException, lang: str = "nl") -> str:
    return json_reason_msg(exc).text(lang)


def reason_of(exc: BaseException) -> Msg:
    """Why reading a file failed, without the exception's own (English) text: a broken zip, a bad CRC, deep
    nesting, an odd encoding... as a :class:`Msg` (``reason.<code>``)."""
    import json
    import zipfile
    import zlib
    from xml.etree.ElementTree import ParseError

    text = str(exc).lower()
    if isinstance(exc, json.JSONDecodeError):
        return reason("json", why=json_reason_msg(exc), line=exc.lineno, column=exc.colno)
    if isinstance(exc, RecursionError):
        return reason("too_deep")
    if isinstance(exc, zipfile.BadZipFile):
        return reason("zip_crc") if "crc" in text else reason("zip_damaged")
    if isinstance(exc, (zlib.error, EOFError)):
        return reason("packed_damaged")
    if isinstance(exc, NotImplementedError) or "compression" in text:
        return reason("compression")
    if isinstance(exc, RuntimeError) and ("password" in text or "encrypt" in text):
        return reason("password")
    if isinstance(exc, UnicodeError):
        return reason("encoding")
    if isinstance(exc, MemoryError):
        return reason("too_big")
    if isinstance(exc, (ParseError, SyntaxError)) or "xml" in text:
        return reason("xml")
    if isinstance(exc, ValueError) and "digit" in text:
        return reason("digits")
    if isinstance(exc, KeyError):
        return reason("part_missing")
    if isinstance(exc, OSError):
        return reason("unreadable")
    return reason("unexpected")


def plain_reason(exc: BaseException, lang: str = "nl") -> str:
    """:func:`reason_of` as text in ``lang``."""
    return reason_of(exc).text(lang)


class InvalidInput(ValueError):
    """Input a user typed (a form in an app) that the schema refuses: the problems, worded in any language by
    :meth:`text`; ``str()`` is Dutch. A ``ValueError``, so callers that catch those keep working."""

    def __init__(self, problems: Sequence[Problem]):
        self.problems = list(problems)
        super().__init__(*self.problems)

    def text(self, lang: str = "nl") -> str:
        return "\n".join(p.located(lang) for p in self.problems)

    def __str__(self) -> str:
        return self.text("nl")


class Words:
    """A value that is already words in each language (a field's label from content): ``Words(nl=..., en=...)``."""

    __slots__ = ("nl", "en")

    def __init__(self, nl: str, en: str | None = None):
        object.__setattr__(self, "nl", nl)
        object.__setattr__(self, "en", en if en is not None else nl)

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError("Words is immutable")

    def text(self, lang: str = "nl") -> str:
        return self.en if lang == "en" else self.nl

    def __reduce__(self):
        return (Words, (self.nl, self.en))

    def __str__(self) -> str:
        return self.nl

    def __repr__(self) -> str:
        return f"Words({self.nl!r}, {self.en!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Words) and (self.nl, self.en) == (other.nl, other.en)

    def __hash__(self) -> int:
        return hash((self.nl, self.en))
