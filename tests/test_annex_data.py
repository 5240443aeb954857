"""Queries and pure helpers behind the investment, projects, platforms and policies pages.

Expected values are read from the plan text by hand (附件1 from line 284, 附件2 from line 371, 附件3 from
line 779, 附件4 from line 812 of data/raw/wenzhou_st_plan_2021_2025.txt).
"""
from __future__ import annotations

import csv

import pandas as pd
import pytest

from lib.domain import investment, project_detail
from lib.web import queries
from tests.annex2_by_hand import annex2, in_state
from tests.conftest import ROOT

PROJECTS = annex2()
ANNEX2_COLUMNS = ("序号", "项目名称", "项目类型", "项目期限", "建设地点", "建设内容和规模", "总投资", "“十四五”计划投资",
                  "建设单位")


def test_concentration_city(plan_db):
    rows = queries.project_chart_rows(None)
    c = investment.concentration(rows, queries.investment_by_area(), None)
    planned = sorted((p.planned_wan for p in PROJECTS), reverse=True)
    # 附件2: 瓯江实验室 680000, 中国基因药谷 598000, 大唐5G 490000, 东新科创园 450000, then 300000 (three tie).
    assert planned[:5] == [680_000, 598_000, 490_000, 450_000, 300_000]
    assert c.top_n == 5 and c.top_share == pytest.approx(sum(planned[:5]) / 5_875_598)
    # A share of the city is of the 36 projects in Wenzhou: 5 875 598 − 100 000 (附件2 第17行, 嘉定, outside).
    in_city = [p for p in PROJECTS if p.district]
    assert len(in_city) == 36 and sum(p.planned_wan for p in in_city) == 5_775_598
    longwan = sum(p.planned_wan for p in in_state(PROJECTS, "330303"))
    assert c.area_name == "龙湾区" and c.area_share == pytest.approx(longwan / 5_775_598)
    text = investment.concentration_text(c, None, "zh")
    assert text == (f"投资最多的 5 个项目占“十四五”计划投资合计 587.56 亿元 的 {sum(planned[:5]) / 5_875_598:.1%}。"
                    f"投资最多的区县是龙湾区，占全市（温州市内 36 个项目，不含市外科技飞地）的 {longwan / 5_775_598:.1%}。")
    # The 12 districts' shares of the city add up to the whole.
    areas = queries.investment_by_area()
    shares = [investment.concentration(queries.project_chart_rows(a), areas, a) for a in areas["area_key"]
              if a != "outside"]
    assert sum(s.area_share for s in shares if s) == pytest.approx(1.0)


def test_concentration_for_a_district_and_for_none(plan_db):
    rows = queries.project_chart_rows("330381")          # 瑞安市: one project, 东新科创园 (附件2 第19行)
    c = investment.concentration(rows, queries.investment_by_area(), "330381")
    assert (c.project_count, c.top_n, c.top_share) == (1, 1, 1.0)
    assert investment.concentration_text(c, "330381", "zh") == \
        (f"这 1 个项目即全部项目，“十四五”计划投资合计 45.00 亿元。瑞安市占全市“十四五”计划投资（温州市内 36 个项目，"
         f"不含市外科技飞地）的 {450_000 / 5_775_598:.1%}。")
    assert investment.concentration(queries.project_chart_rows("330329"), queries.investment_by_area(), "330329") \
        is None


def test_irregular_periods_and_categories(plan_db):
    rows = queries.project_chart_rows(None)
    assert investment.irregular_periods(rows, 2021, 2025) == ([1, 9, 10, 37], [16])
    by_type = investment.by_category(rows, "project_type").set_index("project_type")
    new = [p for p in PROJECTS if p.kind == "新建"]
    assert by_type.loc["新建", "project_count"] == len(new) == 18
    assert by_type.loc["续建", "planned_investment_wan"] == sum(p.planned_wan for p in PROJECTS if p.kind == "续建")


def test_project_table_search_and_filters(plan_db):
    def numbers(*args) -> list[int]:
        return queries.project_table(*args)["project_no"].tolist()

    expect = lambda pred: [p.no for p in PROJECTS if pred(p)]                     # noqa: E731
    assert numbers(None, "实验室") == expect(lambda p: "实验室" in p.name + p.content + p.builder)
    assert numbers(None, "瓯江口 机器人") == expect(lambda p: all(w in p.name + p.content + p.builder
                                                                 for w in ("瓯江口", "机器人")))
    assert numbers(None, "高教新区") == expect(lambda p: "高教新区" in p.builder)   # found through the builder
    assert numbers(None, "epa") == numbers(None, "EPA") == [6]                      # 超级鱼油EPA, any case
    assert numbers("330303", None, None, "续建") == expect(lambda p: p.district == "330303" and p.kind == "续建")
    with (ROOT / "data" / "curated" / "project_sectors.csv").open(encoding="utf-8") as handle:
        health = [int(r["project_no"]) for r in csv.DictReader(handle) if r["sector"] == "生命健康"]
    assert numbers(None, None, "生命健康") == health and len(health) == 7
    assert numbers("330329") == [] and numbers(None, "' OR 1=1 --") == []


def test_project_detail_has_every_annex_field_and_the_reasons(plan_db):
    p17 = next(p for p in PROJECTS if p.no == 17)
    sections = project_detail.detail_sections(queries.project_detail(17), "zh")
    annex, derived, source = (dict(fields) for _, fields in sections)
    assert tuple(annex) == ANNEX2_COLUMNS
    assert annex["项目名称"] == p17.name == "温州（嘉定）科创园二期建设项目"
    assert annex["建设内容和规模"] == p17.content and annex["建设单位"] == p17.builder
    assert annex["总投资"] == "100,000 万元（10.00 亿元）"
    assert derived["所属区县"] == "温州市外（不属于任何区县，计入全市合计）"
    assert derived["归入理由"].startswith("建设地点“上海市嘉定区”在温州市域之外，不归入任何区县。理由：温州在上海嘉定区建设的“科技飞地”")
    assert derived["归类理由"] == "科技飞地研发用房，未限定产业"                      # data/curated/project_sectors.csv
    assert source["出处"] == "附件2 重大项目 第17行，规划原文第 550 行起"

    p10 = dict(project_detail.detail_sections(queries.project_detail(10), "zh")[1][1])
    assert p10["所属区县"] == "龙湾区" and "浙南科技城即温州国家高新区" in p10["归入理由"]
    assert "项目期限至2030年，超出规划期" in p10["数据检查提示"]
    p2 = dict(project_detail.detail_sections(queries.project_detail(2), "zh")[1][1])
    assert p2["归入理由"] == "附件2 的建设地点直接写明区县名“龙湾区”。" and "数据检查提示" not in p2
    assert queries.project_detail(38) is None


def test_platforms_by_district(plan_db):
    city = queries.platform_list(None)
    assert len(city) == 12 and city["platform_no"].tolist() == list(range(1, 13))
    # Platforms 4–11 (实验室体系 … 科技型小微企业创新园) name no district or zone in their text: city-wide.
    assert city.loc[city["city_wide"], "platform_no"].tolist() == list(range(4, 12))
    ruian = queries.platform_list("330381")
    named = ruian.loc[~ruian["city_wide"]].set_index("platform_no")["matched_terms"].to_dict()
    assert named == {1: "瑞安", 2: "瑞安科技城", 3: "瑞安"}      # 附件1 rows 1–3 name 瑞安 / 瑞安科技城
    assert len(ruian) == 3 + 8
    taishun = queries.platform_list("330329")
    assert taishun["city_wide"].all() and len(taishun) == 8
    lucheng = queries.platform_list("330302").set_index("platform_no")
    assert lucheng.loc[12, "matched_terms"] == "温州国际未来科技岛"       # 七都 is in 鹿城区


def test_policies_and_reforms(plan_db):
    policies = queries.policies()
    assert policies["name_zh"].tolist()[:2] == ["落实科技型企业税收优惠和财政支持政策", "加大科技成果转化激励"]
    assert len(policies) == 5 and policies["source_line"].between(779, 812).all()
    tasks = queries.reform_tasks()
    assert tasks["reform_no"].nunique() == 11 and len(tasks) == 26
    first = tasks.loc[tasks["reform_no"] == 1]
    assert first["task_text"].iloc[1] == "加快构建“1+8”一体化科创服务体系。"
    assert (tasks["reform_ref"] == tasks["reform_no"].map(lambda n: f"附件4 重大改革 第{n}行")).all()


def test_planned_by_year_is_the_even_spread(plan_db):
    years = queries.planned_by_year(None).set_index("year")["planned_wan"]
    expected = pd.Series(0.0, index=range(2021, 2026))
    for p in PROJECTS:
        span = range(max(p.start, 2021), min(p.end, 2025) + 1)
        for y in span:
            expected[y] += p.planned_wan / len(span)
    assert years.to_dict() == pytest.approx(expected.to_dict())
    # e.g. 2021 holds all of no. 23's 7,000 万元 (2018—2021) and a fifth of 瓯江实验室's 680,000.
