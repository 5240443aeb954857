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


# ---------------------------------------------------------------- by language
# Chosen once for English: 亿元 amounts are shown as "CNY bn" (1 bn = 10 亿元 = 100 000 万元), and the
# plan's exact 万元 amounts as "CNY million" with two decimals (1 万元 = 0.01 million, so still exact).
# Chinese keeps the plan's own units.
WAN_PER_BN = 100_000
WAN_PER_MILLION = 100


def money_divisor(lang: str) -> int:
    """万元 per display unit: 亿元 in Chinese, CNY bn in English."""
    return WAN_PER_BN if lang == "en" else WAN_PER_YI


def money_unit(lang: str) -> str:
    """The display unit's name, for axis titles and column headers."""
    return "CNY bn" if lang == "en" else "亿元"


def wan_unit(lang: str) -> str:
    """Unit of the plan's exact amounts: 万元, or CNY million in English."""
    return "CNY million" if lang == "en" else "万元"


def wan_divisor(lang: str) -> int:
    return WAN_PER_MILLION if lang == "en" else 1


def format_money(wan: float | int, lang: str) -> str:
    """``7612343`` 万元 → ``761.23 亿元`` / ``CNY 76.12 bn`` (two decimals in either unit)."""
    if lang == "en":
        return f"CNY {wan / WAN_PER_BN:,.2f} bn"
    return format_yi(wan)


def format_wan_lang(wan: float | int, lang: str) -> str:
    """The plan's exact amount: ``100,000 万元`` / ``CNY 1,000.00 million``."""
    if lang == "en":
        return f"CNY {wan / WAN_PER_MILLION:,.2f} million"
    return format_wan(wan)
