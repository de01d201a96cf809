"""imworkbook.base.numbers: numbers as people type them (Dutch first, English accepted) and as input fields show them."""

import math
from decimal import Decimal

import pytest
from hypothesis import given, strategies as st

from imworkbook.base.numbers import format_euro, format_input, parse_number


@pytest.mark.parametrize("text, number", [
    ("1.250,50", 1250.5), ("1250,5", 1250.5), ("12,5", 12.5), ("1.250", 1250.0), ("1250.50", 1250.5),
    ("€ 1.250", 1250.0), ("1 250 EUR", 1250.0), ("40 uur", 40.0), ("\u00a07\u202f", 7.0), ("0", 0.0),
])
def test_typed_text_is_read_dutch_first(text, number):
    assert parse_number(text) == number


@pytest.mark.parametrize("value", [None, "", "   ", "€"])
def test_empty_is_unknown_not_zero(value):
    assert parse_number(value) is None


@pytest.mark.parametrize("value", ["abc", "-5", "1,2,3,4.5.6", True, "nan", "inf", float("nan"), float("inf"), [1]])
def test_what_is_not_a_number_is_refused_in_words(value):
    with pytest.raises(ValueError) as err:
        parse_number(value)
    assert "getal" in str(err.value) or "negatief" in str(err.value)


def test_numbers_pass_through():
    assert parse_number(3) == 3.0 and parse_number(2.5) == 2.5 and parse_number(Decimal("1.5")) == 1.5


amounts = st.one_of(st.integers(0, 10**9).map(float),
                    st.decimals(0, 10**7, places=4, allow_nan=False, allow_infinity=False).map(float),
                    st.floats(0, 1e9, allow_nan=False, allow_infinity=False))


@given(amounts, st.sampled_from(["nl", "en"]))
def test_what_an_input_shows_reads_back_as_the_same_number(value, lang):
    """The form shows a stored number; saving the form again must not change it (1,800 is not 1.8)."""
    shown = format_input(value, lang)
    assert parse_number(shown) == pytest.approx(value, rel=1e-12, abs=1e-12)


def test_unknown_shows_as_an_empty_field():
    assert format_input(None) == "" and format_input(math.nan, "en") == ""


@given(st.floats(0, 1e8, allow_nan=False))
def test_euros_are_whole_and_in_the_language(value):
    nl, en = format_euro(value, "nl"), format_euro(value, "en")
    assert nl.startswith("€") and en.startswith("€")
    assert "," not in nl and "." not in en  # whole euros: nl groups with '.', en with ','
    digits = int("".join(c for c in nl if c.isdigit()))
    assert digits == int("".join(c for c in en if c.isdigit()))
    assert abs(digits - value) <= 0.5 + 1e-6


def test_an_unknown_amount_is_said_in_the_language():
    assert format_euro(None, "nl") != format_euro(None, "en")
    assert format_euro(math.nan, "nl") == format_euro(None, "nl")
    assert format_euro(None, "en", unknown="?") == "?"
