"""Units: the plan's 万元, shown as 亿元 in Chinese and CNY bn / CNY million in English (chosen once)."""
from lib.domain import units


def test_chinese_keeps_the_plans_units():
    assert units.format_money(7_612_343, "zh") == "761.23 亿元"      # 附件2 total, 万元 → 亿元
    assert units.format_wan_lang(100_000, "zh") == "100,000 万元"
    assert units.money_unit("zh") == "亿元" and units.money_divisor("zh") == 10_000


def test_english_uses_billions_and_exact_millions():
    # 7,612,343 万元 = 76,123,430,000 yuan = CNY 76.12 bn; 100,000 万元 = CNY 1,000 million (no ".00").
    assert units.format_money(7_612_343, "en") == "CNY 76.12 bn"
    assert units.format_wan_lang(100_000, "en") == "CNY 1,000 million"
    assert units.format_wan_lang(216_050, "en") == "CNY 2,160.5 million"
    assert units.wan_number(7_512_343, "en") == "75,123.43" and units.wan_number(7_512_343, "zh") == "7,512,343"
    assert units.format_wan_lang(1, "en") == "CNY 0.01 million"
    assert units.money_unit("en") == "CNY bn" and units.money_divisor("en") == 100_000
    assert units.wan_unit("en") == "CNY million" and units.wan_divisor("en") == 100
