"""Pages run under Streamlit's AppTest against the real database, and the set-up contract."""
from __future__ import annotations

import json
import re
import tomllib

import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import ROOT


def _run(page: str | None = None, **params) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    for key, value in params.items():
        at.query_params[key] = value
    if page:
        at.switch_page(page)
    return at.run()


def test_data_page_shows_the_table_counts(plan_db, db):
    at = _run("pages/2_data.py")
    assert not at.exception
    counts = at.dataframe[0].value.set_index("表")["行数"].to_dict()
    assert counts["indicators"] == 16 and counts["projects"] == 37 and counts["platforms"] == 12
    assert counts["districts"] == 12 and counts["policies"] == 5 and counts["reforms"] == 11
    for table, rows in counts.items():
        assert rows == db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]
    flags = at.dataframe[1].value
    assert len(flags) == db.execute("SELECT COUNT(*) FROM quality_flags").fetchone()[0]
    assert flags["说明"].str.contains("预估值").any()


def test_map_page_city_totals(plan_db):
    at = _run()
    assert not at.exception
    metrics = {m.label: m.value for m in at.metric}
    assert metrics == {"全市 · 重大项目": "37 个", "“十四五”计划投资": "587.56 亿元",
                       "项目总投资": "761.23 亿元", "重大平台（附件1）": "12 个"}
    outside = next(m.value for m in at.markdown if "温州市外的项目" in m.value)
    assert "温州（嘉定）科创园二期建设项目（上海市嘉定区，附件2 重大项目 第17行）" in outside
    assert "总投资 100,000 万元" in outside
    assert any("7,512,343 + 100,000 = 7,612,343" in c.value and "5,775,598 + 100,000 = 5,875,598" in c.value
               for c in at.caption)


def test_district_view_tells_the_districts_story(plan_db):
    """龙湾区 (15 projects in 附件2): its totals, then its largest projects as cards in order of planned
    investment, each opening the project (?project=N), a link to all 15, the platforms that name it; the
    block about the project outside Wenzhou only in the city view."""
    at = _run(district="330303")
    assert not at.exception
    links = [link.proto for link in at.get("page_link")]
    cards = [link for link in links if "project=" in link.query_string]
    # 附件2 planned (万元): 第2行 瓯江实验室 680000, 第35行 大唐5G 490000, 第1行 龙湾国际云软件 300000, 第28行 中国眼谷 200000.
    assert [c.query_string.split("project=")[1] for c in cards] == ["2", "35", "1", "28"]
    assert all(c.page == "projects" and "district=330303" in c.query_string for c in cards)
    name, facts, summary = cards[0].label.split("  \n")
    assert name == "**瓯江实验室**"
    assert facts == "生命健康 · 2021–2025 · 计划投资 68.00 亿元"
    assert summary.startswith("安排2万平方米场地作为启动区") and summary.endswith("…")   # the plan's words, cut
    everything = next(link for link in links if link.label == "**重大项目（15 个）**")
    assert everything.query_string == "district=330303"
    assert any(m.value.startswith("**点名该区县的重大平台**（附件1）：") and "环大罗山科创走廊" in m.value for m in at.markdown)
    assert not any("温州市外的项目" in m.value for m in at.markdown)
    # In English: the curated names and sectors, CNY, the plan's words marked as the original.
    en = _run(district="330303", lang="en")
    card = next(link.proto for link in en.get("page_link") if link.proto.query_string.endswith("project=2"))
    assert card.label.startswith("**Oujiang Laboratory**  \nLife and health · 2021–2025 · planned CNY 6.80 bn  \n"
                                 "Original (Chinese)\\: 安排2万平方米")


def test_map_metric_lives_in_the_url(plan_db):
    at = _run(metric="project_count")
    assert not at.exception
    assert at.button_group[0].value == "project_count"
    map_spec = json.loads(at.get("vega_lite_chart")[0].proto.spec)
    assert map_spec["layer"][0]["encoding"]["color"]["field"] == "project_count"
    at.button_group[0].set_value("total_investment_yi").run()
    assert at.query_params["metric"] == "total_investment_yi"
    bad = _run(metric="<b>x</b>")
    assert not bad.exception and "metric" not in bad.query_params
    assert bad.button_group[0].value == "planned_investment_yi"


def test_projects_page_lists_all_projects_in_wan_yuan(plan_db):
    at = _run("pages/1_projects.py")
    assert not at.exception
    table = at.dataframe[0].value
    assert len(table) == 37
    assert int(table["总投资（万元）"].sum()) == 7_612_343
    assert int(table["“十四五”计划投资（万元）"].sum()) == 5_875_598


def test_public_config():
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["client"]["showErrorDetails"] == "none"
    assert config["client"]["toolbarMode"] == "viewer"
    assert config["server"]["enableXsrfProtection"] is True
    assert config["server"]["fileWatcherType"] == "none"
    assert config["browser"]["gatherUsageStats"] is False


def test_requirements_are_exact_pins():
    for name in ("requirements.txt", "requirements-dev.txt", "geo/requirements-build.txt"):
        for line in (ROOT / name).read_text().splitlines():
            line = line.split("#")[0].strip()
            if line and not line.startswith("-r "):
                assert re.fullmatch(r"[A-Za-z0-9_.\-\[\]]+==[0-9][^\s;]*", line), f"{name}: {line}"


def test_build_outputs_are_ignored():
    ignored = (ROOT / ".gitignore").read_text()
    for pattern in (".venv/", "data/build/", "*.duckdb", "tests/artifacts/", "bench/results/"):
        assert pattern in ignored


@pytest.mark.parametrize("lang, words", [("zh", "规划数据库尚未构建"), ("en", "has not been built yet")])
def test_a_missing_database_is_said_in_the_page_and_never_built(plan_db, tmp_path, monkeypatch, lang, words):
    """The app only opens the database (lib/web/db.py); building it is the entry point's job (make run)."""
    target = tmp_path / "fresh" / "wenzhou_plan.duckdb"
    monkeypatch.setenv("WENZHOU_DB", str(target))
    import streamlit as st

    st.cache_data.clear()       # a fresh process: nothing cached from earlier tests
    st.cache_resource.clear()
    try:
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
        at.query_params["lang"] = lang
        at.run()
        assert not at.exception
        assert [e.value for e in at.error if words in e.value and "python -m lib.pipeline" in e.value]
        assert not target.exists() and not target.parent.exists()
    finally:
        st.cache_data.clear()   # nothing of the missing file's run stays for later tests
        st.cache_resource.clear()
