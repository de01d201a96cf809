"""Problems found in files, described in plain Dutch, with the file and the field.

Validation collects every problem it finds (like pandera's ``lazy=True``) and
reports each one as ``bestand › plaats: probleem``. Code turns pydantic's
structured errors into these messages with :func:`from_pydantic`.
"""

from __future__ import annotations

import errno
from dataclasses import dataclass
from typing import Any, Literal, Sequence

Severity = Literal["fout", "waarschuwing", "opmerking"]


@dataclass(frozen=True)
class Problem:
    """One thing wrong (or worth a remark) in one file."""

    file: str
    where: str
    message: str
    severity: Severity = "fout"

    def __str__(self) -> str:
        place = f"{self.file} › {self.where}" if self.where else self.file
        prefix = {"fout": "Fout", "waarschuwing": "Let op", "opmerking": "Opmerking"}[self.severity]
        return f"{prefix}: {place}: {self.message}"


class ImworkbookError(Exception):
    """Base class: a problem the user can fix; ``str()`` is a Dutch message."""

    def __init__(self, problems: Sequence[Problem] | Problem, title: str | None = None):
        if isinstance(problems, Problem):
            problems = [problems]
        self.problems = list(problems)
        self.title = title
        lines = [title] if title else []
        lines += [str(p) for p in self.problems]
        super().__init__("\n".join(lines))


class ContentError(ImworkbookError):
    """A content file (maturity model, strings) is broken."""


class AnswersFileError(ImworkbookError):
    """An answers file cannot be read as a whole (corrupt, foreign, too new...)."""


def _path_text(loc: Sequence[Any], raw: Any) -> str:
    """Turn ``('items', 3, 'levels', 6)`` into ``items[3] (id: x.y) › levels › 6``."""
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
    return " › ".join(parts)


def _dutch(err: dict) -> str:
    typ = err.get("type", "")
    ctx = err.get("ctx") or {}
    given = err.get("input")
    shown = repr(given) if not isinstance(given, (dict, list)) else type(given).__name__
    if typ == "missing":
        return "ontbreekt (verplicht)"
    if typ == "extra_forbidden":
        return f"onbekend veld (niet toegestaan); gekregen: {shown}"
    if typ in ("int_type", "int_parsing", "int_from_float"):
        return f"moet een geheel getal zijn; gekregen: {shown}"
    if typ in ("float_type", "float_parsing"):
        return f"moet een getal zijn; gekregen: {shown}"
    if typ in ("greater_than_equal", "greater_than"):
        op = "minstens" if typ == "greater_than_equal" else "groter dan"
        bound = ctx.get("ge", ctx.get("gt"))
        return f"moet {op} {bound} zijn; gekregen: {shown}"
    if typ in ("less_than_equal", "less_than"):
        op = "hoogstens" if typ == "less_than_equal" else "kleiner dan"
        bound = ctx.get("le", ctx.get("lt"))
        return f"moet {op} {bound} zijn; gekregen: {shown}"
    if typ == "literal_error":
        return f"moet een van deze waarden zijn: {ctx.get('expected')}; gekregen: {shown}"
    if typ in ("string_type",):
        return f"moet tekst zijn; gekregen: {shown}"
    if typ == "string_too_short":
        return "mag niet leeg zijn"
    if typ == "string_too_long":
        return f"is te lang (hoogstens {ctx.get('max_length')} tekens)"
    if typ == "string_pattern_mismatch":
        return f"heeft niet de juiste vorm; gekregen: {shown}"
    if typ in ("dict_type", "model_type", "model_attributes_type"):
        return f"moet een lijst van velden (mapping) zijn; gekregen: {shown}"
    if typ in ("list_type",):
        return f"moet een lijst zijn; gekregen: {shown}"
    if typ == "too_short":
        return f"moet minstens {ctx.get('min_length')} element(en) bevatten"
    if typ == "value_error":
        return str(ctx.get("error", err.get("msg", "")))
    if typ == "assertion_error":
        return str(ctx.get("error", err.get("msg", "")))
    return f"{err.get('msg', 'ongeldige waarde')}; gekregen: {shown}"


def from_pydantic_error_message(err: dict) -> str:
    """The Dutch message of one pydantic error dict."""
    return _dutch(err)


def from_pydantic(exc: Any, file: str, raw: Any, prefix: Sequence[Any] = ()) -> list[Problem]:
    """Translate a ``pydantic.ValidationError`` into Dutch :class:`Problem` s."""
    problems = []
    for err in exc.errors():
        loc = [*prefix, *err.get("loc", ())]
        problems.append(Problem(file, _path_text(loc, raw), _dutch(err)))
    return problems


_OS_REMEDY = {
    errno.EACCES: ("geen toestemming", "vraag toegang, of kies een andere map (bijvoorbeeld met --out of "
                   "IMWORKBOOK_HOME)"),
    errno.EPERM: ("geen toestemming", "vraag toegang, of kies een andere map (bijvoorbeeld met --out of "
                  "IMWORKBOOK_HOME)"),
    errno.EROFS: ("de schijf of map is alleen-lezen", "kies een map waarin je mag schrijven (bijvoorbeeld met --out "
                  "of IMWORKBOOK_HOME)"),
    errno.ENOSPC: ("de schijf is vol", "maak ruimte vrij en probeer het opnieuw; er is niets half geschreven"),
    errno.EDQUOT: ("je schijfruimte (quotum) is op", "maak ruimte vrij en probeer het opnieuw; er is niets half "
                   "geschreven"),
    errno.EISDIR: ("dit is een map, geen bestand", "geef de naam van een bestand"),
    errno.ENOTDIR: ("een deel van het pad is geen map", "controleer het pad"),
    errno.ENOENT: ("niet gevonden", "controleer het pad"),
    errno.ENAMETOOLONG: ("de naam is te lang", "kies een kortere naam of map"),
    errno.EMFILE: ("te veel geopende bestanden", "sluit andere programma's en probeer het opnieuw"),
}


def os_error_message(exc: OSError, path: Any = None) -> str:
    """A Dutch sentence for a failed read or write: what went wrong, where, and what to do. Never raw English."""
    where = path if path is not None else (exc.filename or "")
    what, remedy = _OS_REMEDY.get(exc.errno, ("het besturingssysteem weigerde dit", "controleer de map en de "
                                                                                    "rechten en probeer het opnieuw"))
    place = f" ({where})" if where else ""
    code = f" [{errno.errorcode.get(exc.errno, exc.errno)}]" if exc.errno else ""
    return f"Kan niet lezen of schrijven{place}: {what}{code}. {remedy[0].upper()}{remedy[1:]}."


def error_text(exc: BaseException) -> str:
    """What to show a user for an error the app or CLI expects: the Dutch message, never raw English."""
    if isinstance(exc, OSError) and exc.errno is not None:
        return os_error_message(exc)
    return str(exc).strip("'\"")


_JSON_REASONS = (  # json's own messages (English) -> Dutch
    ("Expecting value", "hier wordt een waarde verwacht (getal, tekst, lijst of mapping)"),
    ("Expecting property name", "hier wordt een veldnaam tussen dubbele aanhalingstekens verwacht"),
    ("Expecting ',' delimiter", "hier wordt een komma verwacht"),
    ("Expecting ':' delimiter", "hier wordt een dubbele punt verwacht"),
    ("Extra data", "na het einde van de gegevens staat nog tekst"),
    ("Unterminated string", "een tekst tussen aanhalingstekens wordt niet afgesloten"),
    ("Invalid control character", "een tekst bevat een stuurteken (bijvoorbeeld een tab of regeleinde)"),
    ("Invalid \\uXXXX escape", "een tekst bevat een ongeldige \\u-code"),
    ("Invalid \\escape", "een tekst bevat een ongeldige backslash-code"),
)


def json_reason(exc: BaseException) -> str:
    """Why a JSON text could not be parsed, in Dutch (never json's English message)."""
    msg = getattr(exc, "msg", "") or ""
    return next((nl for en, nl in _JSON_REASONS if msg.startswith(en)), "de JSON-opbouw klopt hier niet")


def plain_reason(exc: BaseException) -> str:
    """Why reading a file failed, in Dutch, without the exception's own (English) text, for messages that are
    shown to a user: a broken zip, a bad CRC, deep nesting, an odd encoding..."""
    import json
    import zipfile
    import zlib
    from xml.etree.ElementTree import ParseError

    text = str(exc).lower()
    if isinstance(exc, json.JSONDecodeError):
        return f"geen geldige JSON ({json_reason(exc)}, regel {exc.lineno}, kolom {exc.colno})"
    if isinstance(exc, RecursionError):
        return "de gegevens zijn te diep genest (lijsten of mappings in elkaar)"
    if isinstance(exc, zipfile.BadZipFile):
        if "crc" in text:
            return "het zip-bestand is beschadigd (het controlegetal van een onderdeel klopt niet)"
        return "het zip-bestand is beschadigd of onvolledig"
    if isinstance(exc, (zlib.error, EOFError)):
        return "de ingepakte gegevens zijn beschadigd of afgebroken"
    if isinstance(exc, NotImplementedError) or "compression" in text:
        return "het bestand is ingepakt met een methode die niet wordt ondersteund"
    if isinstance(exc, RuntimeError) and ("password" in text or "encrypt" in text):
        return "het bestand is met een wachtwoord beveiligd"
    if isinstance(exc, UnicodeError):
        return "de tekens zijn niet te lezen (onbekende tekencodering)"
    if isinstance(exc, MemoryError):
        return "het bestand is te groot om te lezen"
    if isinstance(exc, (ParseError, SyntaxError)) or "xml" in text:
        return "een onderdeel bevat ongeldige XML"
    if isinstance(exc, ValueError) and "digit" in text:
        return "een getal heeft te veel cijfers"
    if isinstance(exc, KeyError):
        return "er ontbreekt een onderdeel"
    if isinstance(exc, OSError):
        return "het bestand kon niet worden gelezen"
    return "het bestand heeft een onverwachte vorm"
