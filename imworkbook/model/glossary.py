"""One glossary (``data/glossary.yaml``): per term the preferred word in each language and the variants that are
not used; and the check that finds those variants in the content, the interface texts, the README and the report.

    from imworkbook.model.glossary import load_glossary, check_data
    problems = check_data()          # every forbidden variant in data/ (content and i18n), as Problems

The glossary is content like the rest: validated by a schema when it is loaded (an unknown key, a term without a
meaning, a forbidden variant that is another term's preferred word: a ContentError naming the place).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterator, Literal

from pydantic import Field, field_validator

from imworkbook.base import paths
from imworkbook.base.errors import Invalid, Msg, Problem, place
from imworkbook.base.yamlfile import read_yaml
from imworkbook.model.content import LANGS, Ident, NonEmpty, Text, _ids_once, _load_content, _Strict

Scope = Literal["data", "readme", "report"]
SCOPES: tuple[Scope, ...] = ("data", "readme", "report")


class Forms(_Strict):
    """The words for one term in one language."""

    preferred: NonEmpty
    forbidden: list[NonEmpty] = Field(default_factory=list)
    allow: list[NonEmpty] = Field(default_factory=list)  # phrases in which a forbidden form is fine (a path)


class Term(_Strict):
    id: Ident
    meaning: Text
    nl: Forms
    en: Forms
    case_sensitive: bool = True
    scope: list[Scope] = Field(default_factory=lambda: list(SCOPES))  # where the forbidden forms are looked for

    def forms(self, lang: str) -> Forms:
        return getattr(self, lang)


class Glossary(_Strict):
    version: NonEmpty
    terms: list[Term] = Field(min_length=1)
    # files under these paths (relative to data/) are being rewritten: their findings are listed as remarks and
    # do not fail check-content; remove a path once its texts follow the glossary
    pending: list[NonEmpty] = Field(default_factory=list)

    @field_validator("terms")
    @classmethod
    def _consistent(cls, terms: list[Term]) -> list[Term]:
        _ids_once([term.id for term in terms], "content.duplicate_term")
        for lang in LANGS:
            preferred = {term.forms(lang).preferred: term.id for term in terms}
            for term in terms:
                for word in term.forms(lang).forbidden:
                    if word in preferred:
                        raise Invalid("content.forbidden_is_preferred", term=term.id, word=word, language=lang,
                                      other=preferred[word])
        return terms

    def term(self, term_id: str) -> Term:
        for term in self.terms:
            if term.id == term_id:
                return term
        raise KeyError(term_id)


def load_glossary(folder: str | Path | None = None) -> Glossary:
    """Load and validate ``<data_dir>/glossary.yaml`` (cached per folder)."""
    return _load_content(Glossary, folder if folder is not None else paths.data_dir(), ".", "glossary.yaml",
                         Msg("problem.content.title_glossary"))


# --- finding forbidden variants --------------------------------------------------------------------------

@dataclass(frozen=True)
class Finding:
    term: Term
    found: str  # the variant as it stands in the text
    lang: str

    def values(self) -> dict[str, str]:
        """The values of its problem (code ``glossary.variant``)."""
        return {"found": self.found, "term": self.term.id, "preferred": self.term.forms(self.lang).preferred}

    def message(self, lang: str = "nl") -> str:
        return Problem("", "", "glossary.variant", self.values()).message_in(lang)


@lru_cache(maxsize=64)
def _pattern(word: str, case_sensitive: bool) -> re.Pattern:
    # a whole word or phrase: not inside another word ("ict" in "ICT" or "districten" does not count; the "ict"
    # of "ict-rol" does)
    return re.compile(rf"(?<![\w]){re.escape(word)}(?![\w])", 0 if case_sensitive else re.IGNORECASE)


def _mask(text: str, phrase: str) -> str:
    return text.replace(phrase, " " * len(phrase))


def find_variants(text: str, lang: str, glossary: Glossary, scope: Scope = "data") -> list[Finding]:
    """Every forbidden variant of every term (of ``scope``) in ``text``, written in ``lang``. Emphasis marks are
    read through (``**T**oleren`` is "Toleren"), and so are HTML tags (``<b>T</b>oleren``)."""
    text = re.sub(r"<[^>]+>|\*+|(?<![\w])_(?=\w)|(?<=\w)_(?![\w])", "", text)
    out: list[Finding] = []
    for term in glossary.terms:
        if scope not in term.scope:
            continue
        forms = term.forms(lang)
        masked = text
        for phrase in forms.allow:
            masked = _mask(masked, phrase)
        for word in forms.forbidden:
            for match in _pattern(word, term.case_sensitive).finditer(masked):
                out.append(Finding(term, match.group(0), lang))
    return out


def _texts(node: Any, where: str = "") -> Iterator[tuple[str, str, str]]:
    """``(where, lang, text)`` for every text of a content file: the values of ``nl:``/``en:`` keys."""
    if isinstance(node, dict):
        for key, value in node.items():
            place = f"{where}.{key}" if where else str(key)
            if key in LANGS and isinstance(value, str):
                yield place, key, value
            else:
                yield from _texts(value, place)
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _texts(value, f"{where}[{i}]")


def check_data(data: str | Path | None = None, glossary: Glossary | None = None) -> list[Problem]:
    """Every forbidden variant in ``data/``: the interface texts (``i18n/<lang>.yaml``) and every content file
    (its ``nl:``/``en:`` texts), except the glossary itself and the examples. One Problem each:
    ``file › key: 'ict-coördinator' is niet het woord …``; a warning, or a remark in a file the glossary lists as
    ``pending`` (being rewritten)."""
    data = Path(data) if data is not None else paths.data_dir()
    glossary = glossary or load_glossary(data)
    problems: list[Problem] = []
    for path in sorted(data.rglob("*.yaml")):
        rel = path.relative_to(data).as_posix()
        if rel == "glossary.yaml" or rel.startswith("examples/"):
            continue
        content = read_yaml(path, rel)
        if rel.startswith("i18n/") and path.stem in LANGS:
            texts = ((str(key), path.stem, value) for key, value in (content or {}).items() if isinstance(value, str))
        else:
            texts = _texts(content)
        severity = "note" if any(rel.startswith(p) for p in glossary.pending) else "warning"
        for where, lang, text in texts:
            for finding in find_variants(text, lang, glossary, "data"):
                problems.append(Problem(rel, where, "glossary.variant", finding.values(), severity))
    return problems


_FENCE = re.compile(r"```.*?```", re.S)
_CODE = re.compile(r"`[^`\n]*`")
_JINJA = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.S)
_TAG = re.compile(r"<[^>]*>")


def check_document(path: str | Path, lang: str = "nl", glossary: Glossary | None = None,
                   scope: Scope = "readme") -> list[Problem]:
    """Forbidden variants in a Markdown file (code blocks and ``code`` left out) or a Jinja template (the
    expressions and tags left out: the texts they put in come from the i18n files, checked by :func:`check_data`)."""
    path = Path(path)
    glossary = glossary or load_glossary()
    text = path.read_text(encoding="utf-8")
    for pattern in (_FENCE, _CODE, _JINJA, _TAG):
        text = pattern.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), text)
    problems = []
    for number, line in enumerate(text.splitlines(), start=1):
        for finding in find_variants(line, lang, glossary, scope):
            problems.append(Problem(path.name, place("line", line=number), "glossary.variant", finding.values(),
                                    "warning"))
    return problems
