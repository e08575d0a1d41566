"""Indonesian number words for receipts: 1500000 → "satu juta lima ratus ribu rupiah".

Our own implementation, not num2words: num2words writes "satu juta satu ribu" for
1.001.000, while Indonesian (and every kuitansi) says "satu juta seribu". The rules:
"se-" replaces "satu" before "puluh", "belas", "ratus" and "ribu" (sepuluh, sebelas,
seratus, seribu) but never before "juta", "miliar" or "triliun" (satu juta).
"""

from __future__ import annotations

LIMIT = 10**15

_UNITS = ("nol", "satu", "dua", "tiga", "empat", "lima", "enam", "tujuh", "delapan",
          "sembilan")
# Groups of three digits from the top: "ribu" is handled apart because of "seribu".
_SCALES = ((10**12, "triliun"), (10**9, "miliar"), (10**6, "juta"))


def _below_thousand(n: int) -> list[str]:
    """Words for 1 ≤ n ≤ 999 (empty for 0)."""
    words: list[str] = []
    hundreds, rest = divmod(n, 100)
    if hundreds == 1:
        words.append("seratus")
    elif hundreds:
        words += [_UNITS[hundreds], "ratus"]
    if rest == 0:
        return words
    if rest < 10:
        words.append(_UNITS[rest])
    elif rest == 10:
        words.append("sepuluh")
    elif rest == 11:
        words.append("sebelas")
    elif rest < 20:
        words += [_UNITS[rest - 10], "belas"]
    else:
        tens, ones = divmod(rest, 10)
        words += [_UNITS[tens], "puluh"]
        if ones:
            words.append(_UNITS[ones])
    return words


def terbilang(n: int) -> str:
    """Lowercase Indonesian words for a whole number 0 ≤ n < 10**15."""
    if isinstance(n, bool) or not isinstance(n, int):
        raise TypeError(f"terbilang needs an int, got {type(n).__name__}")
    if not 0 <= n < LIMIT:
        raise ValueError(f"terbilang covers 0 to {LIMIT - 1}, got {n}")
    if n == 0:
        return _UNITS[0]
    words: list[str] = []
    for size, name in _SCALES:
        group, n = divmod(n, size)
        if group:
            words += [*_below_thousand(group), name]
    thousands, n = divmod(n, 1000)
    if thousands == 1:
        words.append("seribu")
    elif thousands:
        words += [*_below_thousand(thousands), "ribu"]
    words += _below_thousand(n)
    return " ".join(words)


def terbilang_rupiah(n: int) -> str:
    """``1500000`` → ``"satu juta lima ratus ribu rupiah"``."""
    return f"{terbilang(n)} rupiah"
