"""Numbers as people type them: Dutch first (``1.250,50``), English accepted (``1250.50``).

Parsing uses Babel's locale data (the standard tool for this), trying Dutch
first and then English, both strict, so ``1.250`` is twelve hundred and fifty
(Dutch thousands separator) and ``12,5`` is twelve and a half.
"""

from __future__ import annotations

import math
import re
from decimal import Decimal

from babel.numbers import NumberFormatError, format_decimal, parse_decimal

from imworkbook.base.errors import Invalid

_STRIP = re.compile(r"[\s\u00a0\u202f€]|EUR|eur|uur|u\b", re.I)


def parse_number(value: object) -> float | None:
    """``None``/empty -> ``None``; a number or numeric text -> ``float``; otherwise ``ValueError`` (Dutch)."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise Invalid("value.not_a_number", given=repr(value))
    if isinstance(value, (int, float, Decimal)):
        number = float(value)
    elif isinstance(value, str):
        text = _STRIP.sub("", value)
        if text == "":
            return None
        if text.startswith("-"):
            raise Invalid("value.negative", given=repr(value.strip()))
        number = None
        for locale in ("nl_NL", "en_US"):
            try:
                number = float(parse_decimal(text, locale=locale, strict=True))
                break
            except (NumberFormatError, ValueError):
                continue
        if number is None:
            raise Invalid("value.not_a_number_example", given=repr(value.strip()))
    else:
        raise Invalid("value.not_a_number", given=repr(value))
    if math.isnan(number) or math.isinf(number):
        raise Invalid("value.not_a_number", given=repr(value))
    return number


def format_euro(value: float | None, lang: str = "nl", unknown: str | None = None) -> str:
    """``12400.5`` -> ``"€ 12.401"`` (nl) or ``"€12,401"`` (en); whole euros (:func:`imworkbook.base.i18n.format_money`);
    an unknown amount in the language's own word unless ``unknown`` says otherwise."""
    from imworkbook.base.i18n import format_money

    return format_money(value, lang, unknown)


def format_input(value: float | None, lang: str = "nl") -> str:
    """How a stored number is shown in an input field: ``1250.5`` -> ``"1.250,5"`` (nl), ``"1250.5"`` (en);
    ``None`` -> ``""``. Whatever is shown reads back as the same number (:func:`parse_number`).

    English without a thousands separator: :func:`parse_number` reads Dutch first, so ``"1,800"`` would come
    back as 1.8 the next time the form is saved. ``1.125`` would read as Dutch 1125: it is shown as ``"1.1250"``.
    """
    if value is None or value != value:
        return ""
    if lang == "nl":
        return format_decimal(value, locale="nl_NL", decimal_quantization=False)
    text = format_decimal(value, locale="en_US", decimal_quantization=False, group_separator=False)
    if "." in text and parse_number(text) != float(value):
        text += "0"  # four decimals are never a Dutch thousands group
    return text
