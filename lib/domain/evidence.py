"""How strong the source of a published actual value is, and what each grade may claim.

Pure: no Streamlit, no database. One scale, stored per observation (``data/curated/observations.csv``,
column ``grade``; the rule for assigning it is written in ``data/README.md``):

- ``official``: the statistics bureau's bulletin, a government work report or a department's page,
  published on a government site (a government's English portal included).
- ``reported``: a named news outlet that quotes a named official source.
- ``unattributed``: no source named, self-media, or an aggregator that copied a page.

Only official and reported values may produce a status; a status that rests on a reported value is
provisional (待官方核实). An unattributed value is listed and drawn as an unverified lead, never scored.
A value that is not official and equals the plan's own target or base exactly is flagged: the page
may be restating the plan rather than reporting a result.
"""
from __future__ import annotations

from lib.domain.i18n import N_

OFFICIAL, REPORTED, UNATTRIBUTED = "official", "reported", "unattributed"
GRADES = (OFFICIAL, REPORTED, UNATTRIBUTED)
SCORING_GRADES = frozenset({OFFICIAL, REPORTED})
PROVISIONAL_GRADES = frozenset({REPORTED})

GRADE_LABELS = {OFFICIAL: N_("官方发布"), REPORTED: N_("媒体转述"), UNATTRIBUTED: N_("未注明来源")}
# Where space is tight (the brief's indicator column).
GRADE_SHORT = {OFFICIAL: N_("官方"), REPORTED: N_("转述"), UNATTRIBUTED: N_("未核实")}
GRADE_HELP = {
    OFFICIAL: N_("统计公报、政府工作报告或部门网页，发布在政府网站上"),
    REPORTED: N_("具名新闻媒体转述具名的官方来源"),
    UNATTRIBUTED: N_("未注明来源、自媒体或聚合转载页"),
}
# Marks that differ in shape, not only in colour; the indicator charts draw the same shapes
# (filled diamond, hollow diamond, cross) in the same colours.
MARKS = {OFFICIAL: "◆", REPORTED: "◇", UNATTRIBUTED: "×"}
NO_VALUE_MARK = "—"
MARK_COLORS = {OFFICIAL: "orange", REPORTED: "orange", UNATTRIBUTED: "gray"}   # Streamlit's colour names

# Per-value quality flags.
EQUALS_TARGET, EQUALS_BASE = "equals_target", "equals_base"
FLAG_LABELS = {
    EQUALS_TARGET: N_("与规划 2025 年目标值完全相同，来源又非官方：可能是把目标当成了实际值"),
    EQUALS_BASE: N_("与规划 2020 年基数完全相同，来源又非官方：可能是把基数当成了实际值"),
}


def may_score(grade: str) -> bool:
    """Official and reported values may produce a status; unattributed ones never do."""
    return grade in SCORING_GRADES


def is_provisional(grade: str) -> bool:
    return grade in PROVISIONAL_GRADES


def weakest(grades) -> str:
    """The weakest of several grades (a status resting on several values is as strong as its weakest)."""
    grades = list(grades)
    return max(grades, key=GRADES.index) if grades else UNATTRIBUTED


def value_flags(value: float, grade: str, base: float | None, target: float | None) -> list[str]:
    """Flags for one value: equal to the plan's own target or base and not official."""
    if grade == OFFICIAL:
        return []
    flags = []
    if target is not None and abs(value - target) < 1e-9:
        flags.append(EQUALS_TARGET)
    if base is not None and abs(value - base) < 1e-9:
        flags.append(EQUALS_BASE)
    return flags
