"""附件2 (major projects) read straight from the plan text, for expectations that do not come from the code.

The annex starts at line 371 of data/raw/wenzhou_st_plan_2021_2025.txt (a line "附件2", then "重大项目") and
ends at "附件3" (line 779). In the export a cell is a line starting with a TAB, a line without one continues
the cell above, a blank line ends a row. Amounts are the annex's 万元 columns as printed.

Which district a location belongs to is written out here by hand, from administrative geography and the
plan's own wording (the same facts as data/curated/zones.csv, stated independently):
浙南科技城 = 温州国家高新区, in 龙湾区; 温州经济技术开发区 (浙南产业集聚区核心区) administers streets of
龙湾区; 瓯江口产业集聚区 (灵昆, 霓屿) lies in 洞头区 since 2015; 七都 is in 鹿城区; 上海市嘉定区 is outside
Wenzhou (the science enclave), so project 17 counts in the city total and in no district.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from tests.conftest import ROOT

RAW_PLAN = ROOT / "data" / "raw" / "wenzhou_st_plan_2021_2025.txt"
DISTRICT_NAMES = {
    "330302": "鹿城区", "330303": "龙湾区", "330304": "瓯海区", "330305": "洞头区", "330324": "永嘉县",
    "330326": "平阳县", "330327": "苍南县", "330328": "文成县", "330329": "泰顺县", "330381": "瑞安市",
    "330382": "乐清市", "330383": "龙港市",
}
LOCATION_DISTRICT = {
    **{name: code for code, name in DISTRICT_NAMES.items()},
    "浙南科技城": "330303", "温州经济技术开发区": "330303", "瓯江口产业集聚区": "330305", "瓯江口": "330305",
    "鹿城区（七都片区）": "330302", "上海市嘉定区": None,
}


@dataclass(frozen=True)
class Project:
    no: int
    name: str
    kind: str        # 新建 / 续建
    start: int
    end: int
    location: str
    content: str
    total_wan: int
    planned_wan: int
    builder: str

    @property
    def district(self) -> str | None:
        return LOCATION_DISTRICT[self.location]


def annex2() -> list[Project]:
    lines = [re.sub(r"\[bookmark: [^\]]*\]", "", line) for line in RAW_PLAN.read_text(encoding="utf-8").split("\n")]
    start, end = lines.index("附件2"), lines.index("附件3")
    assert start + 1 == 371 and lines[start + 1] == "重大项目"
    rows, cells = [], None
    for text in lines[start + 2:end]:
        if not text.strip():
            if cells:
                rows.append(cells)
            cells = None
        elif text.startswith("\t"):
            cells = (cells or []) + [text.strip()]
        else:
            cells[-1] += text.strip()
    header, data = rows[0], rows[1:]
    assert header[0] == "序号" and header[-1] == "建设单位" and all(len(r) == 9 for r in data)
    projects = []
    for no, name, kind, period, location, content, total, planned, builder in data:
        years = [int(y) for y in re.findall(r"(\d{4})年", period)]
        projects.append(Project(int(no), name, kind, years[0], years[1], location, content, int(total), int(planned),
                                builder))
    return projects


def states() -> list[str | None]:
    """Every filter state: the whole city (None) and the 12 districts."""
    return [None, *DISTRICT_NAMES]


def in_state(projects: list[Project], district: str | None) -> list[Project]:
    return projects if district is None else [p for p in projects if p.district == district]
