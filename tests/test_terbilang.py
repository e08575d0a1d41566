"""Indonesian number words (terbilang): worked examples, and a parser that reads them back."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bmt_desktop.domain.terbilang import LIMIT, terbilang, terbilang_rupiah

EXAMPLES = [
    (0, "nol"),
    (1, "satu"),
    (10, "sepuluh"),
    (11, "sebelas"),
    (12, "dua belas"),
    (19, "sembilan belas"),
    (20, "dua puluh"),
    (21, "dua puluh satu"),
    (100, "seratus"),
    (101, "seratus satu"),
    (111, "seratus sebelas"),
    (215, "dua ratus lima belas"),
    (1000, "seribu"),
    (1001, "seribu satu"),
    (1100, "seribu seratus"),
    (2000, "dua ribu"),
    (11000, "sebelas ribu"),
    (21000, "dua puluh satu ribu"),  # "satu ribu" inside a number is right here
    (100000, "seratus ribu"),
    (101000, "seratus satu ribu"),
    (110000, "seratus sepuluh ribu"),
    (1000000, "satu juta"),  # "sejuta" is not used on receipts
    (1001000, "satu juta seribu"),
    (1100000, "satu juta seratus ribu"),
    (1500000, "satu juta lima ratus ribu"),
    (2000000000, "dua miliar"),
    (10**12, "satu triliun"),
    (1_001_001_001, "satu miliar satu juta seribu satu"),
    (LIMIT - 1, "sembilan ratus sembilan puluh sembilan triliun sembilan ratus sembilan "
                "puluh sembilan miliar sembilan ratus sembilan puluh sembilan juta sembilan "
                "ratus sembilan puluh sembilan ribu sembilan ratus sembilan puluh sembilan"),
]


@pytest.mark.parametrize(("n", "words"), EXAMPLES)
def test_worked_examples(n: int, words: str) -> None:
    assert terbilang(n) == words


def test_rupiah() -> None:
    assert terbilang_rupiah(1_500_000) == "satu juta lima ratus ribu rupiah"
    assert terbilang_rupiah(1_001_000) == "satu juta seribu rupiah"


@pytest.mark.parametrize("n", [-1, LIMIT, LIMIT * 10])
def test_outside_the_range_is_refused(n: int) -> None:
    with pytest.raises(ValueError):
        terbilang(n)


@pytest.mark.parametrize("n", [1.0, "1", True])
def test_only_ints(n: object) -> None:
    with pytest.raises(TypeError):
        terbilang(n)  # type: ignore[arg-type]


# --------------------------------------------------------------------------- reading back

_DIGITS = {"satu": 1, "dua": 2, "tiga": 3, "empat": 4, "lima": 5, "enam": 6, "tujuh": 7,
           "delapan": 8, "sembilan": 9}
_SE = {"sepuluh": 10, "sebelas": 11, "seratus": 100}
_SCALES = {"ribu": 10**3, "juta": 10**6, "miliar": 10**9, "triliun": 10**12}


def parse_terbilang(words: str) -> int:
    """The number that ``words`` names (a strict reader: unknown or misplaced words fail)."""
    if words == "nol":
        return 0
    total = 0
    group = 0  # the value of the current group of three digits
    digit = 0  # the last digit word, waiting for "puluh", "belas" or "ratus"
    last_scale = LIMIT
    for word in words.split():
        if word in _DIGITS:
            assert digit == 0, f"two digits in a row in {words!r}"
            digit = _DIGITS[word]
        elif word == "puluh":
            group, digit = group + digit * 10, 0
        elif word == "belas":
            group, digit = group + digit + 10, 0
        elif word == "ratus":
            group, digit = group + digit * 100, 0
        elif word in _SE:
            group += _SE[word]
        elif word == "seribu":
            assert group == digit == 0 and last_scale > 1000, words
            total, last_scale = total + 1000, 1000
        elif word in _SCALES:
            scale = _SCALES[word]
            value = group + digit
            assert 0 < value < 1000 and scale < last_scale, words
            total, group, digit, last_scale = total + value * scale, 0, 0, scale
        else:
            raise AssertionError(f"unknown word {word!r} in {words!r}")
    return total + group + digit


def test_parser_reads_the_examples() -> None:
    for n, words in EXAMPLES:
        assert parse_terbilang(words) == n


# Numbers built from groups that hit the "se-" forms far more often than uniform ints do.
_GROUP = st.one_of(st.integers(0, 999), st.sampled_from([0, 1, 10, 11, 100, 101, 110, 111]))
_SE_HEAVY = st.lists(_GROUP, min_size=5, max_size=5).map(
    lambda groups: sum(group * 1000**power for power, group in enumerate(groups)))
NUMBERS = st.one_of(st.integers(0, LIMIT - 1), _SE_HEAVY)
# "satu ribu" is wrong where the whole thousands group is one (it is "seribu"), right after
# a ten or a hundred ("dua puluh satu ribu", "seratus satu ribu").
_LONE_SATU_RIBU = re.compile(r"(^|\b(juta|miliar|triliun) )satu ribu\b")


@given(NUMBERS)
def test_words_round_trip(n: int) -> None:
    assert parse_terbilang(terbilang(n)) == n


@given(NUMBERS)
def test_seribu_and_seratus_never_satu(n: int) -> None:
    words = terbilang(n)
    assert "satu ratus" not in words
    assert not _LONE_SATU_RIBU.search(words)
    assert "satu puluh" not in words and "satu belas" not in words
    assert words == words.lower() and "  " not in words
