"""Units as the plan states them (万元) and as the app shows them (亿元). 1 亿元 = 10 000 万元.

The numbers in words are written here, once: :func:`number_text` (thousands separated, at most two decimals)
and :func:`as_printed` (as the plan prints a number: no separator, no trailing zeros).
"""
from __future__ import annotations

from lib.domain.i18n import N_, translator

WAN_PER_YI = 10_000


def wan_to_yi(wan: float | int) -> float:
    return wan / WAN_PER_YI


def format_yi(wan: float | int) -> str:
    """``7612343`` 万元 → ``761.23 亿元`` (two decimals: 100 万元 resolution)."""
    return f"{wan_to_yi(wan):,.2f} 亿元"


def format_wan(wan: float | int) -> str:
    return f"{int(wan):,} 万元"


# Chosen once for English: 亿元 amounts are shown as "CNY bn" (1 bn = 10 亿元 = 100 000 万元), and the
# plan's exact 万元 amounts as "CNY million" (1 万元 = 0.01 million, so at most two decimals, still exact;
# in text without trailing zeros: "CNY 1,000 million", "CNY 2,160.5 million").
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


def wan_number(wan: float | int, lang: str) -> str:
    """The plan's exact amount as a bare number in :func:`wan_unit`: ``100,000`` / ``1,000``."""
    return number_text(wan / WAN_PER_MILLION) if lang == "en" else f"{int(wan):,}"


def format_wan_lang(wan: float | int, lang: str) -> str:
    """The plan's exact amount: ``100,000 万元`` / ``CNY 1,000 million``."""
    if lang == "en":
        return f"CNY {wan_number(wan, lang)} million"
    return format_wan(wan)


# The plan's own units (indicators, goals). In English, money is converted to the units above (亿元 → CNY bn,
# 万元 → CNY million); every other unit is a word from the catalog. Keys are the unit column's values in the
# database (data, not UI).
YI_UNIT, WAN_PER_PERSON_UNIT = "亿元", "万元/人"
PLAN_UNITS = {
    "%": "%", "件": N_("件"), "家": N_("家"), "个": N_("个"), "项": N_("项"), "支": N_("支"), "位": N_("位"),
    "名": N_("名"), "人": N_("人"), "人年": N_("人年"), "次": N_("次"), "条": N_("条"),
    YI_UNIT: YI_UNIT, WAN_PER_PERSON_UNIT: WAN_PER_PERSON_UNIT,
}


def plan_unit(unit: str | None, lang: str) -> str:
    """A unit as the view shows it: the plan's word in Chinese; in English its translation or the
    converted money unit. A unit outside :data:`PLAN_UNITS` (an upload's) is shown as written."""
    unit = unit or ""
    if lang != "en":
        return unit
    if unit == YI_UNIT:
        return money_unit(lang)
    if unit == WAN_PER_PERSON_UNIT:
        return f"{wan_unit(lang)} per person"
    return translator(lang)(PLAN_UNITS[unit]) if unit in PLAN_UNITS and unit != "%" else unit


def plan_number(value: float, unit: str | None, lang: str) -> float:
    """A value in the plan's unit converted to the view's (only money changes in English)."""
    if lang != "en":
        return value
    if unit == YI_UNIT:
        return value * WAN_PER_YI / WAN_PER_BN
    if unit == WAN_PER_PERSON_UNIT:
        return value / WAN_PER_MILLION
    return value


def number_text(value: float) -> str:
    """``2404.0`` → ``2,404``; ``3.6`` → ``3.6``; at most two decimals, thousands separated."""
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def as_printed(value: float) -> str:
    """``6500.0`` → ``6500``, ``2.20`` → ``2.2``: a number as the plan prints it, to quote or find in its text."""
    return f"{value:g}"


def plan_value(text: str | None, value: float | None, qualifier: str | None, unit: str | None, lang: str,
               with_unit: bool = True) -> str:
    """A value the plan states, e.g. ``3.0左右`` %: in Chinese as printed (``text``, then the unit);
    in English from the number, converted, with the qualifier in words (``about 3 %``, ``≥ 62 %``).
    No value (``--``) is ``—``."""
    unit_text = plan_unit(unit, lang) if with_unit else ""
    if lang != "en":
        shown = (text or "").strip()
        return f"{shown}{unit_text}" if shown not in ("", "--", "-") else "—"
    if value is None or value != value:  # None or NaN: the plan writes --
        return "—"
    _ = translator(lang)
    number = number_text(plan_number(float(value), unit, lang))
    if with_unit and unit == YI_UNIT:            # money reads "CNY 325 bn", as format_money writes it
        number, unit_text = f"CNY {number} bn", ""
    elif with_unit and unit == WAN_PER_PERSON_UNIT:
        number, unit_text = f"CNY {number} million", "per person"
    template = {"approx": _("约 {value}"), "at_least": _("≥ {value}")}.get(qualifier or "", "{value}")
    shown = template.format(value=number)
    if unit_text == "%":
        return shown + "%"
    return f"{shown} {unit_text}".strip()
