"""Units as the plan states them (万元) and as the app shows them (亿元). 1 亿元 = 10 000 万元."""
from __future__ import annotations

WAN_PER_YI = 10_000


def wan_to_yi(wan: float | int) -> float:
    return wan / WAN_PER_YI


def format_yi(wan: float | int) -> str:
    """``7612343`` 万元 → ``761.23 亿元`` (two decimals: 100 万元 resolution)."""
    return f"{wan_to_yi(wan):,.2f} 亿元"


def format_wan(wan: float | int) -> str:
    return f"{int(wan):,} 万元"
