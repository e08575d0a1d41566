"""A Kube's stage from its facts (domain.md §4): Tumbuh → Berkembang → Maju, each stage held
back by the first condition it misses; the thresholds come from StageRules."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bmt_desktop.domain.kube_stage import STAGES, KubeFacts, StageRules, compute_stage
from bmt_desktop.i18n import _

RULES = StageRules()

# A Kube that meets every condition of every stage under the default rules.
ALL_MET = KubeFacts(
    has_pendamping=True, has_ketua=True, has_bendahara=True, aid_received=True,
    meetings_total=12, meetings_last_6_months=6, attendance_pct=90,
    iks_paid=60_000, iks_used=25_000, savings_growth=1_200_000,
    problems_raised=4, problems_solved=3, bank_linked=True,
)

MENTOR = _("has a mentor (pendamping)")
OFFICERS = _("has a chair and a treasurer")
AID = _("received stimulant aid")
STARTED = _("activity started (meetings held)")
IKS = _("pays the solidarity levy (IKS)")
GROWING = _("members' savings are growing")


def regular(n: int = RULES.min_meetings_last_6_months) -> str:
    return _("meets regularly ({n} meetings in 6 months)").format(n=n)


def attendance(pct: int = RULES.min_attendance_pct) -> str:
    return _("attendance at least {pct} %").format(pct=pct)


IKS_USED = _("IKS used for other poor families")


def solves(pct: int = RULES.min_solved_pct) -> str:
    return _("solves at least {pct} % of its problems").format(pct=pct)


BANK = _("linked with a bank (PHBK)")

TUMBUH = (MENTOR, OFFICERS, AID, STARTED)
BERKEMBANG = (IKS, GROWING, regular(), attendance())
MAJU = (IKS_USED, solves(), BANK)


def facts(**changes: object) -> KubeFacts:
    return dataclasses.replace(ALL_MET, **changes)


# ---------------------------------------------------------------------------------------------
# one missing condition keeps the Kube at the previous stage and names the condition
# ---------------------------------------------------------------------------------------------
MISSING_ONE = [
    # (changes, stage reached, the condition missing)
    pytest.param({"has_pendamping": False}, "belum", MENTOR, id="no-mentor"),
    pytest.param({"has_ketua": False}, "belum", OFFICERS, id="no-ketua"),
    pytest.param({"has_bendahara": False}, "belum", OFFICERS, id="no-bendahara"),
    pytest.param({"aid_received": False}, "belum", AID, id="no-aid"),
    pytest.param({"meetings_total": 0, "meetings_last_6_months": 0, "attendance_pct": 0},
                 "belum", STARTED, id="no-meeting-yet"),
    pytest.param({"iks_paid": 0}, "tumbuh", IKS, id="no-iks"),
    pytest.param({"savings_growth": 0}, "tumbuh", GROWING, id="savings-flat"),
    pytest.param({"savings_growth": -50_000}, "tumbuh", GROWING, id="savings-falling"),
    pytest.param({"meetings_last_6_months": 3}, "tumbuh", regular(), id="three-meetings"),
    pytest.param({"attendance_pct": 74}, "tumbuh", attendance(), id="attendance-74"),
    pytest.param({"iks_used": 0}, "berkembang", IKS_USED, id="iks-unused"),
    pytest.param({"problems_raised": 4, "problems_solved": 1}, "berkembang", solves(),
                 id="solves-25-pct"),
    pytest.param({"problems_raised": 3, "problems_solved": 1}, "berkembang", solves(),
                 id="solves-33-pct"),
    pytest.param({"bank_linked": False}, "berkembang", BANK, id="no-bank"),
]


@pytest.mark.parametrize(("changes", "stage", "missing"), MISSING_ONE)
def test_one_missing_condition_keeps_the_previous_stage(changes: dict, stage: str,
                                                         missing: str) -> None:
    result = compute_stage(facts(**changes))

    assert result.stage == stage
    assert result.missing == (missing,)
    # Everything of the stages reached is listed as met, nothing of the stage missed.
    reached = {"belum": (), "tumbuh": TUMBUH, "berkembang": TUMBUH + BERKEMBANG}[stage]
    assert result.met == reached
    assert missing not in result.met


def test_all_conditions_met_is_maju() -> None:
    result = compute_stage(ALL_MET)

    assert result.stage == "maju"
    assert result.met == TUMBUH + BERKEMBANG + MAJU
    assert result.missing == ()


def test_nothing_met_is_belum_and_lists_the_whole_first_stage() -> None:
    nothing = KubeFacts(False, False, False, False, 0, 0, 0, 0, 0, 0, 0, 0, False)

    result = compute_stage(nothing)

    assert result.stage == "belum"
    assert result.met == ()
    assert result.missing == TUMBUH


def test_several_missing_conditions_of_one_stage_are_all_listed_in_order() -> None:
    result = compute_stage(facts(has_pendamping=False, aid_received=False))

    assert result.stage == "belum"
    assert result.missing == (MENTOR, AID)


def test_only_the_first_stage_missed_is_listed() -> None:
    # Misses berkembang (no IKS) and maju (no bank): the Kube is told what berkembang needs.
    result = compute_stage(facts(iks_paid=0, bank_linked=False))

    assert result.stage == "tumbuh"
    assert result.missing == (IKS,)


@pytest.mark.parametrize(
    ("changes", "stage"),
    [
        pytest.param({"meetings_last_6_months": 4}, "maju", id="exactly-4-meetings"),
        pytest.param({"attendance_pct": 75}, "maju", id="exactly-75-pct-attendance"),
        pytest.param({"problems_raised": 4, "problems_solved": 2}, "maju", id="exactly-half"),
        pytest.param({"problems_raised": 2, "problems_solved": 1}, "maju", id="one-of-two"),
        pytest.param({"problems_raised": 3, "problems_solved": 2}, "maju", id="two-of-three"),
        pytest.param({"savings_growth": 1, "iks_paid": 1, "iks_used": 1}, "maju",
                     id="one-rupiah-is-enough"),
        pytest.param({"meetings_total": 1}, "maju", id="one-meeting-started"),
    ],
)
def test_thresholds_are_inclusive(changes: dict, stage: str) -> None:
    assert compute_stage(facts(**changes)).stage == stage


# ---------------------------------------------------------------------------------------------
# problems solved: none raised is 100 %
# ---------------------------------------------------------------------------------------------
def test_no_problems_raised_counts_as_all_solved() -> None:
    quiet = facts(problems_raised=0, problems_solved=0)

    assert compute_stage(quiet).stage == "maju"
    assert compute_stage(quiet, StageRules(min_solved_pct=100)).stage == "maju"


def test_all_problems_solved_meets_a_100_pct_rule() -> None:
    assert compute_stage(facts(problems_raised=5, problems_solved=5),
                         StageRules(min_solved_pct=100)).stage == "maju"


# ---------------------------------------------------------------------------------------------
# custom rules change the outcome and the texts
# ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("changes", "rules", "default_stage", "custom_stage", "custom_missing"),
    [
        pytest.param({"meetings_last_6_months": 2}, StageRules(min_meetings_last_6_months=2),
                     "tumbuh", "maju", (), id="fewer-meetings-needed"),
        pytest.param({}, StageRules(min_meetings_last_6_months=8),
                     "maju", "tumbuh", (regular(8),), id="more-meetings-needed"),
        pytest.param({"attendance_pct": 60}, StageRules(min_attendance_pct=60),
                     "tumbuh", "maju", (), id="lower-attendance-rule"),
        pytest.param({}, StageRules(min_attendance_pct=95),
                     "maju", "tumbuh", (attendance(95),), id="higher-attendance-rule"),
        pytest.param({"problems_raised": 4, "problems_solved": 1}, StageRules(min_solved_pct=25),
                     "berkembang", "maju", (), id="lower-solved-rule"),
        pytest.param({}, StageRules(min_solved_pct=80),
                     "maju", "berkembang", (solves(80),), id="higher-solved-rule"),
    ],
)
def test_custom_rules_change_the_outcome(changes: dict, rules: StageRules, default_stage: str,
                                         custom_stage: str, custom_missing: tuple) -> None:
    kube = facts(**changes)

    assert compute_stage(kube).stage == default_stage
    custom = compute_stage(kube, rules)
    assert custom.stage == custom_stage
    assert custom.missing == custom_missing


def test_the_rules_texts_carry_the_thresholds() -> None:
    rules = StageRules(min_attendance_pct=80, min_meetings_last_6_months=5, min_solved_pct=60)

    result = compute_stage(facts(), rules)

    assert regular(5) in result.met
    assert attendance(80) in result.met
    assert solves(60) in result.met


def test_default_rules_are_the_documented_ones() -> None:
    assert dataclasses.asdict(StageRules()) == {
        "min_attendance_pct": 75, "min_meetings_last_6_months": 4, "min_solved_pct": 50,
        "min_years_for_bank": 4}


# ---------------------------------------------------------------------------------------------
# property: meeting one more condition never lowers the stage
# ---------------------------------------------------------------------------------------------
counts = st.integers(min_value=0, max_value=30)
money = st.integers(min_value=-1_000_000, max_value=5_000_000)


@st.composite
def kube_facts(draw: st.DrawFn) -> KubeFacts:
    raised = draw(counts)
    return KubeFacts(
        has_pendamping=draw(st.booleans()), has_ketua=draw(st.booleans()),
        has_bendahara=draw(st.booleans()), aid_received=draw(st.booleans()),
        meetings_total=draw(counts), meetings_last_6_months=draw(counts),
        attendance_pct=draw(st.integers(min_value=0, max_value=100)),
        iks_paid=draw(st.integers(min_value=0, max_value=5_000_000)),
        iks_used=draw(st.integers(min_value=0, max_value=5_000_000)),
        savings_growth=draw(money), problems_raised=raised,
        problems_solved=draw(st.integers(min_value=0, max_value=raised)),
        bank_linked=draw(st.booleans()),
    )


rules_strategy = st.builds(
    StageRules,
    min_attendance_pct=st.integers(min_value=0, max_value=100),
    min_meetings_last_6_months=st.integers(min_value=0, max_value=12),
    min_solved_pct=st.integers(min_value=0, max_value=100),
)

# Each makes one condition met and leaves the others as they were.
MEET: dict[str, Callable[[KubeFacts, StageRules], KubeFacts]] = {
    "mentor": lambda f, r: dataclasses.replace(f, has_pendamping=True),
    "ketua": lambda f, r: dataclasses.replace(f, has_ketua=True),
    "bendahara": lambda f, r: dataclasses.replace(f, has_bendahara=True),
    "aid": lambda f, r: dataclasses.replace(f, aid_received=True),
    "started": lambda f, r: dataclasses.replace(f, meetings_total=max(1, f.meetings_total)),
    "iks": lambda f, r: dataclasses.replace(f, iks_paid=max(1, f.iks_paid)),
    "growth": lambda f, r: dataclasses.replace(f, savings_growth=max(1, f.savings_growth)),
    "regular": lambda f, r: dataclasses.replace(
        f, meetings_last_6_months=max(r.min_meetings_last_6_months, f.meetings_last_6_months)),
    "attendance": lambda f, r: dataclasses.replace(
        f, attendance_pct=max(r.min_attendance_pct, f.attendance_pct)),
    "iks_used": lambda f, r: dataclasses.replace(f, iks_used=max(1, f.iks_used)),
    "solved": lambda f, r: dataclasses.replace(f, problems_solved=f.problems_raised),
    "bank": lambda f, r: dataclasses.replace(f, bank_linked=True),
}


@settings(max_examples=300, deadline=None)
@given(kube=kube_facts(), rules=rules_strategy, condition=st.sampled_from(sorted(MEET)))
def test_meeting_one_more_condition_never_lowers_the_stage(kube: KubeFacts, rules: StageRules,
                                                           condition: str) -> None:
    before = compute_stage(kube, rules)
    after = compute_stage(MEET[condition](kube, rules), rules)

    assert STAGES.index(after.stage) >= STAGES.index(before.stage)
    # Whatever it reached before is still met.
    assert set(before.met) <= set(after.met)


@settings(max_examples=200, deadline=None)
@given(kube=kube_facts(), rules=rules_strategy)
def test_a_result_is_maju_exactly_when_nothing_is_missing(kube: KubeFacts,
                                                          rules: StageRules) -> None:
    result = compute_stage(kube, rules)

    assert (result.stage == "maju") == (result.missing == ())
    assert result.stage in STAGES
    assert not set(result.met) & set(result.missing)
