"""What the benchmark measures: one interaction each, on one page, against the same hello page.

A scenario is a page and one query parameter whose value changes on every
measured rerun (cycling through ``values``), the way a click, the sidebar or a
shared link changes the view. The hello page always changes its district, so
every scenario is compared with the same floor. Add a scenario here when a page
gets an interaction worth a goal.
"""
from __future__ import annotations

from dataclasses import dataclass

from .protocol import ADCODES


@dataclass(frozen=True)
class Scenario:
    key: str                 # command-line name
    label: str               # table heading
    page: str                # URL name of the page; "" = the home page (the map, pages/0_map.py)
    param: str               # the query parameter that changes
    values: tuple[str, ...]  # cycled through, one per rerun
    base_query: str = ""     # fixed part of the query string

    def value_at(self, i: int) -> str:
        return self.values[i % len(self.values)]


HELLO = Scenario("hello", "hello page, change district", "", "district", ADCODES)

SCENARIOS = {
    s.key: s for s in (
        Scenario("map-district", "map page, change district", "", "district", ADCODES),
    )
}
DEFAULT_SCENARIOS = tuple(SCENARIOS)

# The 16 headline indicators in plan order (主要指标表 rows 1–16; codes from data/curated/indicators.csv).
INDICATOR_CODES = (
    "rd_gdp_share", "ind_rd_revenue_share", "hitech_va_share", "rd_staff_per_10k", "labour_productivity",
    "basic_research_share", "pct_applications", "digital_economy_va", "hitech_enterprises", "tech_smes",
    "top_talent", "leading_talent", "fiscal_st_share", "hitech_investment_growth", "high_value_patents_per_10k",
    "tech_contract_value",
)
SCENARIOS.update({s.key: s for s in (
    Scenario("indicators-indicator", "indicators page, change indicator", "indicators", "indicator",
             INDICATOR_CODES),
)})

# Investment page, change district; projects page, open one project after another (issue 7).
# The project numbers include the one outside Wenzhou (17) and the plan's irregular periods (1, 10, 16).
PROJECT_NUMBERS = ("2", "17", "21", "1", "35", "16", "10", "28")
SCENARIOS.update({s.key: s for s in (
    Scenario("investment-district", "investment page, change district", "investment", "district", ADCODES),
    Scenario("projects-project", "projects page, open a project", "projects", "project", PROJECT_NUMBERS),
    # The heaviest tab of the investment page (the project timeline), for the same goals.
    Scenario("investment-timeline-district", "investment page, timeline tab, change district", "investment",
             "district", ADCODES, base_query="chart=timeline"),
)})

# Issue 16: the map's metric selector (a click on the segmented control writes ?metric=) with a district
# chosen, and the investment page's tabs (?chart=) for the whole city, its default view.
MAP_METRICS = ("planned_investment_yi", "total_investment_yi", "project_count", "platform_count")
INVESTMENT_VIEWS = ("area", "category", "timeline", "yearly")
SCENARIOS.update({s.key: s for s in (
    Scenario("map-metric", "map page, change metric", "", "metric", MAP_METRICS, base_query="district=330381"),
    Scenario("investment-tab", "investment page, change tab", "investment", "chart", INVESTMENT_VIEWS),
)})
# The interactions issue 16 sets goals for, in page order. The timeline tab alone stays available
# (--scenario investment-timeline-district); investment-tab passes through it.
DEFAULT_SCENARIOS = ("map-district", "map-metric", "indicators-indicator", "projects-project",
                     "investment-district", "investment-tab")

# The same interactions in English (?lang=en, issue 8): English specs must stay as small as Chinese ones
# (no inline data). Not in the default run; name them with --scenario.
SCENARIOS.update({s.key: s for s in (
    Scenario("map-district-en", "map page in English, change district", "", "district", ADCODES,
             base_query="lang=en"),
    Scenario("indicators-indicator-en", "indicators page in English, change indicator", "indicators", "indicator",
             INDICATOR_CODES, base_query="lang=en"),
    Scenario("investment-district-en", "investment page in English, change district", "investment", "district",
             ADCODES, base_query="lang=en"),
    Scenario("projects-project-en", "projects page in English, open a project", "projects", "project",
             PROJECT_NUMBERS, base_query="lang=en"),
)})
