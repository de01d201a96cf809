"""Interface strings: same keys in every language, no unused keys, no missing ones."""

import re
from pathlib import Path

import pytest

from imworkbook.base import i18n
from imworkbook.base.i18n import LANGS, strings, t

PACKAGE = Path(i18n.__file__).resolve().parents[1]
SOURCE = "\n".join(p.read_text(encoding="utf-8") for p in PACKAGE.rglob("*.py"))


def test_every_language_has_the_same_keys():
    keys = {lang: set(strings(lang)) for lang in LANGS}
    assert keys["nl"] == keys["en"], keys["nl"] ^ keys["en"]


def test_every_key_is_used_by_the_code():
    # the texts of problems (data/i18n/problems/) are checked by tests/base/test_errors.py, code by code
    problem_keys = set(i18n._table(i18n.paths.data_dir() / "i18n" / "problems" / "nl.yaml", "problems"))
    unused = [k for k in strings("nl") if k not in problem_keys and f'"{k}"' not in SOURCE and f"'{k}'" not in SOURCE]
    assert unused == []


def test_every_key_the_code_asks_for_exists():
    asked = set(re.findall(r"""\bt\(\s*["']([a-z_]+)["']""", SOURCE))
    assert asked, "the pattern should find the t(...) calls"
    assert asked - set(strings("nl")) == set()


def test_placeholders_agree_between_languages():
    field = re.compile(r"{(\w+)}")
    for key, text in strings("nl").items():
        assert set(field.findall(text)) == set(field.findall(strings("en")[key])), key


def test_missing_key_is_named():
    with pytest.raises(KeyError, match="tekst 'bestaat_niet' ontbreekt in i18n/nl.yaml"):
        t("bestaat_niet")


def test_placeholders_are_filled():
    assert t("progress", "nl", done=23, total=48) == "23 van 48 beantwoord"
    assert t("progress", "en", done=23, total=48) == "23 of 48 answered"


def test_check_strings_finds_missing_keys_and_placeholder_mismatch(tmp_path, monkeypatch):
    import shutil

    from imworkbook.base import paths
    from imworkbook.base.i18n import check_strings

    data = tmp_path / "data"
    shutil.copytree(paths.data_dir(), data)
    en = (data / "i18n" / "en.yaml").read_text(encoding="utf-8")
    en = "\n".join(line for line in en.splitlines() if not line.startswith("progress:"))
    (data / "i18n" / "en.yaml").write_text(en, encoding="utf-8")
    nl = (data / "i18n" / "nl.yaml").read_text(encoding="utf-8").replace("Opgeslagen om {time}", "Opgeslagen om {tijd}")
    (data / "i18n" / "nl.yaml").write_text(nl, encoding="utf-8")
    monkeypatch.setenv("IMWORKBOOK_DATA", str(data))
    strings.cache_clear()
    try:
        found = [str(p) for p in check_strings()]
    finally:
        strings.cache_clear()
    assert any("i18n/en.yaml › progress: ontbreekt" in f for f in found)
    assert any("saved: andere plaatsen ['time']" in f for f in found)


def test_shipped_strings_are_consistent():
    from imworkbook.base.i18n import check_strings
    assert check_strings() == []


def test_numbers_use_the_decimal_mark_of_the_language():
    from imworkbook.base.i18n import format_number
    assert format_number(2.26, "nl") == "2,3"
    assert format_number(3.14159, "nl", decimals=2) == "3,14"
    assert format_number(3.14159, "en", decimals=2) == "3.14"
    assert format_number(float("nan"), "nl") == "onbekend" and format_number(None, "en") == "unknown"


def test_numbers_on_screen_group_thousands_in_each_language():
    """Issue 14: "100069 uur" without a separator; the chart tables showed "2200"."""
    from imworkbook.base.i18n import format_number

    assert format_number(100069, "nl", 0) == "100.069" and format_number(100069, "en", 0) == "100,069"
    assert format_number(-1234.5, "nl", 1) == "-1.234,5" and format_number(2.26, "nl") == "2,3"
    assert format_number(float("nan"), "nl") == "onbekend"


from hypothesis import given, strategies as st  # noqa: E402


@given(st.integers(min_value=0, max_value=10**9))
def test_money_and_hours_read_back_as_the_same_number_in_dutch(n):
    """Issue 14: the sliders said "6,923" (no €, reads as 6.9 in Dutch). Money and hours are written by one
    formatter (Babel) with the sign or unit and Dutch grouping, and read back to the same whole number."""
    from imworkbook.base.i18n import format_hours, format_money
    from imworkbook.base.numbers import format_euro, parse_number

    money = format_money(n, "nl")
    assert money.startswith("€ ") and parse_number(money) == n and "," not in money
    assert format_euro(n, "nl") == money  # the old name writes the same
    hours = format_hours(n, "nl")
    assert hours.endswith(" uur" if n != 1 else "1 uur") and parse_number(hours.removesuffix(" uur")) == n


def test_money_and_hours_in_english():
    from imworkbook.base.i18n import format_hours, format_money

    assert format_money(6923.4, "en") == "€6,923" and format_money(6923.4, "nl") == "€ 6.923"
    assert format_hours(100069, "en") == "100,069 hours" and format_hours(1, "en") == "1 hour"
    assert format_money(None, "en") == "unknown" and format_hours(float("nan"), "nl") == "onbekend"


def test_an_incomplete_area_names_what_is_missing_without_lowering_abbreviations_or_double_dots():
    """Issue 14: "uren im (vraagkant) … …."."""
    from imworkbook.analysis.proportion import lower_first

    assert lower_first("Uren IM (vraagkant)") == "uren IM (vraagkant)" and lower_first("ICT-kosten") == "ICT-kosten"


def test_an_unknown_amount_is_said_in_the_screens_language():
    """format_euro once wrote "onbekend" in English unless each caller passed its own word."""
    from imworkbook.base.numbers import format_euro

    assert format_euro(None, "en") == t("unknown", "en") == "unknown"
    assert format_euro(float("nan"), "nl") == "onbekend" and format_euro(None, "nl", unknown="–") == "–"


from hypothesis import given, strategies as st  # noqa: E402


@given(st.integers(min_value=0, max_value=10**12))
def test_counts_and_sizes_in_messages_are_written_by_the_one_number_formatter(n):
    """budgets.count/mb (file and zip limits in messages) write numbers as i18n.format_number does."""
    from imworkbook.base import budgets
    from imworkbook.base.i18n import format_number

    for lang in LANGS:
        assert budgets.count(n, lang) == format_number(n, lang, 0)
        assert int(budgets.count(n, lang).replace("." if lang == "nl" else ",", "")) == n
        value = n / budgets.MB
        assert budgets.mb(n, lang) == format_number(value, lang, 0 if value >= 10 or value == int(value) else 1) + " MB"


def test_lists_are_joined_in_the_language():
    from imworkbook.base.i18n import format_list

    assert format_list(["A", "B"], "nl") == "A en B" and format_list(["A", "B"], "en") == "A and B"
    assert format_list([], "en") == ""
