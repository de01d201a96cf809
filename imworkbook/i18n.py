"""Interface strings: one YAML file per language in ``data/i18n/``, the same keys in each.

``t("progress", "nl", done=23, total=48)`` -> ``"23 van 48 beantwoord"``. A missing
key raises ``KeyError`` naming the key and the language, so a gap shows up in the
tests rather than as an empty label.
"""

from __future__ import annotations

import string
from functools import lru_cache
from pathlib import Path

from . import paths
from .errors import ContentError, Problem
from .yamlfile import read_yaml

LANGS = ("nl", "en")
DEFAULT_LANG = "nl"


@lru_cache(maxsize=8)
def strings(lang: str = DEFAULT_LANG, folder: Path | None = None) -> dict[str, str]:
    if lang not in LANGS:
        raise ValueError(f"taal moet een van {LANGS} zijn; gekregen: {lang!r}")
    folder = folder or paths.data_dir() / "i18n"
    path = folder / f"{lang}.yaml"
    data = read_yaml(path, f"i18n/{lang}.yaml")
    if not isinstance(data, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in data.items()):
        raise ContentError(Problem(f"i18n/{lang}.yaml", "", "moet een mapping van sleutel naar tekst zijn"))
    return data


def t(key: str, lang: str = DEFAULT_LANG, /, **values) -> str:
    """The string ``key`` in ``lang`` with ``{placeholders}`` filled in."""
    table = strings(lang)
    try:
        template = table[key]
    except KeyError:
        raise KeyError(f"tekst '{key}' ontbreekt in i18n/{lang}.yaml") from None
    return template.format(**values) if values else template


def format_number(value: float | None, lang: str = DEFAULT_LANG, decimals: int = 1) -> str:
    """``2.26`` -> ``"2,3"`` in Dutch, ``"2.3"`` in English; thousands grouped (``100069`` -> ``"100.069"`` /
    ``"100,069"``); NaN/None -> "onbekend"/"unknown". For display; input fields use numbers.format_input."""
    if value is None or value != value:
        return t("unknown", lang)
    text = f"{value:,.{decimals}f}"
    return text.translate(str.maketrans(",.", ".,")) if lang == "nl" else text


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
            problems.append(Problem(name, key, f"ontbreekt (staat wel in i18n/{DEFAULT_LANG}.yaml)"))
        for key in sorted(set(table) - set(base)):
            problems.append(Problem(name, key, f"staat niet in i18n/{DEFAULT_LANG}.yaml", "waarschuwing"))
        for key in sorted(set(base) & set(table)):
            try:
                same = _fields(table[key]) == _fields(base[key])
            except ValueError as exc:
                problems.append(Problem(name, key, f"ongeldige {{plaats}} in de tekst ({exc})"))
                continue
            if not same:
                problems.append(Problem(name, key, f"andere plaatsen {sorted(_fields(table[key]))} dan in "
                                        f"i18n/{DEFAULT_LANG}.yaml {sorted(_fields(base[key]))}"))
    return problems
