"""Interface strings: one YAML file per language in ``data/i18n/``, the same keys in each.

``t("progress", "nl", done=23, total=48)`` -> ``"23 van 48 beantwoord"``. A missing
key raises ``KeyError`` naming the key and the language, so a gap shows up in the
tests rather than as an empty label.
"""

from __future__ import annotations

import string
from functools import lru_cache
from pathlib import Path

from imworkbook.base import paths
from imworkbook.base.errors import ContentError, Problem, use_texts
from imworkbook.base.yamlfile import read_yaml

LANGS = ("nl", "en")
DEFAULT_LANG = "nl"


@lru_cache(maxsize=8)
def strings(lang: str = DEFAULT_LANG, folder: Path | None = None) -> dict[str, str]:
    if lang not in LANGS:
        raise ValueError(f"lang must be one of {LANGS}; got {lang!r}")  # a caller's mistake, not UI text
    folder = folder or paths.data_dir() / "i18n"
    path = folder / f"{lang}.yaml"
    data = _table(path, f"i18n/{lang}.yaml")
    extra = folder / "problems" / f"{lang}.yaml"  # the texts of problems (Problem.code), kept apart
    if extra.is_file():
        more = _table(extra, f"i18n/problems/{lang}.yaml")
        both = sorted(set(data) & set(more))
        if both:
            raise ContentError(Problem(f"i18n/problems/{lang}.yaml", both[0], "i18n.duplicate_key",
                                       {"other": f"i18n/{lang}.yaml"}))
        data = {**data, **more}
    return data


def _table(path: Path, name: str) -> dict[str, str]:
    data = read_yaml(path, name)
    if not isinstance(data, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in data.items()):
        raise ContentError(Problem(name, "", "i18n.not_a_mapping"))
    return data


def t(key: str, lang: str = DEFAULT_LANG, /, **values) -> str:
    """The string ``key`` in ``lang`` with ``{placeholders}`` filled in."""
    table = strings(lang)
    try:
        template = table[key]
    except KeyError:
        raise KeyError(f"tekst '{key}' ontbreekt in i18n/{lang}.yaml") from None
    return template.format(**values) if values else template


LOCALES = {"nl": "nl_NL", "en": "en_GB"}  # Babel's locale data for the two languages


def format_number(value: float | None, lang: str = DEFAULT_LANG, decimals: int = 1) -> str:
    """``2.26`` -> ``"2,3"`` in Dutch, ``"2.3"`` in English; thousands grouped (``100069`` -> ``"100.069"`` /
    ``"100,069"``); NaN/None -> "onbekend"/"unknown". For display; input fields use numbers.format_input.

    The one place numbers are written for people (with :func:`format_money` and :func:`format_hours`), by Babel's
    locale data (CLDR), so every screen, report and chart writes them the same way."""
    if value is None or value != value:
        return t("unknown", lang)
    from babel.numbers import format_decimal

    pattern = "#,##0" + ("." + "0" * decimals if decimals > 0 else "")
    return format_decimal(value, format=pattern, locale=LOCALES[lang])


def format_money(value: float | None, lang: str = DEFAULT_LANG, unknown: str | None = None) -> str:
    """Whole euros with the sign and the thousands grouped: ``6923.4`` -> ``"€ 6.923"`` (nl), ``"€6,923"`` (en);
    NaN/None -> ``unknown`` (default "onbekend"/"unknown")."""
    if value is None or value != value:
        return t("unknown", lang) if unknown is None else unknown
    from babel.numbers import format_currency

    return format_currency(value, "EUR", format="¤ #,##0" if lang == "nl" else "¤#,##0", locale=LOCALES[lang],
                           currency_digits=False)


def format_hours(value: float | None, lang: str = DEFAULT_LANG) -> str:
    """Whole hours with the unit: ``6923`` -> ``"6.923 uur"`` (nl), ``"6,923 hours"`` (en)."""
    if value is None or value != value:
        return t("unknown", lang)
    return t("hours_value", lang, hours=format_number(value, lang, 0)) if round(value) != 1 else \
        t("hours_value_one", lang)


def format_list(items: list[str], lang: str = DEFAULT_LANG) -> str:
    """``["A", "B", "C"]`` -> ``"A, B en C"`` (nl), ``"A, B and C"`` (en), by Babel's locale data."""
    from babel.lists import format_list as _format_list

    return _format_list(list(items), locale=LOCALES[lang]) if items else ""


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def check_strings() -> list[Problem]:
    """Every language has the same keys and the same ``{placeholders}`` per key as Dutch."""
    problems: list[Problem] = []
    base = strings(DEFAULT_LANG)
    for lang in LANGS:
        table = strings(lang)
        name = f"i18n/{lang}.yaml"
        for key in sorted(set(base) - set(table)):
            problems.append(Problem(name, key, "i18n.missing_key", {"base": f"i18n/{DEFAULT_LANG}.yaml"}))
        for key in sorted(set(table) - set(base)):
            problems.append(Problem(name, key, "i18n.extra_key", {"base": f"i18n/{DEFAULT_LANG}.yaml"}, "warning"))
        for key in sorted(set(base) & set(table)):
            try:
                same = _fields(table[key]) == _fields(base[key])
            except ValueError as exc:
                problems.append(Problem(name, key, "i18n.bad_placeholder", {"detail": str(exc)}))
                continue
            if not same:
                problems.append(Problem(name, key, "i18n.other_placeholders",
                                        {"fields": str(sorted(_fields(table[key]))),
                                         "base": f"i18n/{DEFAULT_LANG}.yaml", "base_fields": str(sorted(_fields(base[key])))}))
    return problems


use_texts(t, format_number)  # problems (imworkbook.base.errors) are worded with these
