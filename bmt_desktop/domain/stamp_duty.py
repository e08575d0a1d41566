"""Bea meterai on receipts (UU 10/2020 on stamp duty).

A receipt stating that a debt was repaid in whole or in part is dutiable when the amount
is above Rp5.000.000 (Pasal 3 ayat 2 huruf g). Documents on savings placed with or paid
out by a cooperative are exempt (Pasal 7), and the social funds (zakat, infak, sedekah,
wakaf) are not debt repayments: per ../shared/domain.md §7 only a receipt for the
repayment of a debt (an instalment of financing) gets the stamp box.
"""

from __future__ import annotations

STAMP_DUTY = 10_000
STAMP_DUTY_THRESHOLD = 5_000_000

# The receipt purposes that acknowledge repayment of a debt.
DUTIABLE_PURPOSES = frozenset({"repayment"})


def needs_stamp_duty(purpose: str, amount: int) -> bool:
    """True only for a debt repayment receipt of more than Rp5.000.000."""
    return purpose in DUTIABLE_PURPOSES and amount > STAMP_DUTY_THRESHOLD
