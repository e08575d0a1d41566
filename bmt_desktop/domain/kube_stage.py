"""A Kube's stage (Tumbuh → Berkembang → Maju) from what the books show (domain.md §4).

Tumbuh: has a mentor, officers, received stimulant aid, activity started (meetings).
Berkembang: pays the social solidarity levy (IKS), reinvests (savings growing), meets
regularly with confidence (attendance). Maju: capital growing, IKS used for other poor
families, good management (problems solved), links with banks. The thresholds are
settings with these defaults; the manager may override with a recorded reason.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from bmt_desktop.i18n import _

STAGES = ("belum", "tumbuh", "berkembang", "maju")


@dataclass(frozen=True)
class StageRules:
    min_attendance_pct: int = 75
    min_meetings_last_6_months: int = 4
    min_solved_pct: int = 50
    min_years_for_bank: int = 4


@dataclass(frozen=True)
class KubeFacts:
    has_pendamping: bool
    has_ketua: bool
    has_bendahara: bool
    aid_received: bool
    meetings_total: int
    meetings_last_6_months: int
    attendance_pct: int  # over the last 6 months
    iks_paid: int  # IKS collected in the last 12 months
    iks_used: int  # IKS given to other poor families, ever
    savings_growth: int  # members' savings now minus 12 months ago
    problems_raised: int
    problems_solved: int
    bank_linked: bool


@dataclass(frozen=True)
class StageResult:
    stage: str
    met: tuple[str, ...]
    missing: tuple[str, ...] = field(default_factory=tuple)  # for the next stage


def compute_stage(facts: KubeFacts, rules: StageRules | None = None) -> StageResult:
    rules = rules or StageRules()
    solved_pct = (100 * facts.problems_solved // facts.problems_raised
                  if facts.problems_raised else 100)
    levels = [
        ("tumbuh", [
            (facts.has_pendamping, _("has a mentor (pendamping)")),
            (facts.has_ketua and facts.has_bendahara, _("has a chair and a treasurer")),
            (facts.aid_received, _("received stimulant aid")),
            (facts.meetings_total > 0, _("activity started (meetings held)")),
        ]),
        ("berkembang", [
            (facts.iks_paid > 0, _("pays the solidarity levy (IKS)")),
            (facts.savings_growth > 0, _("members' savings are growing")),
            (facts.meetings_last_6_months >= rules.min_meetings_last_6_months,
             _("meets regularly ({n} meetings in 6 months)").format(
                 n=rules.min_meetings_last_6_months)),
            (facts.attendance_pct >= rules.min_attendance_pct,
             _("attendance at least {pct} %").format(pct=rules.min_attendance_pct)),
        ]),
        ("maju", [
            (facts.iks_used > 0, _("IKS used for other poor families")),
            (solved_pct >= rules.min_solved_pct,
             _("solves at least {pct} % of its problems").format(pct=rules.min_solved_pct)),
            (facts.bank_linked, _("linked with a bank (PHBK)")),
        ]),
    ]
    stage, met = "belum", []
    for name, conditions in levels:
        missing = tuple(text for ok, text in conditions if not ok)
        if missing:
            return StageResult(stage, tuple(met), missing)
        stage = name
        met.extend(text for _ok, text in conditions)
    return StageResult(stage, tuple(met))


def stage_label(stage: str) -> str:
    return {"belum": _("Not yet growing"), "tumbuh": _("Tumbuh"),
            "berkembang": _("Berkembang"), "maju": _("Maju")}[stage]
