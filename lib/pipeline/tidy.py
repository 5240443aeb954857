"""Stage 2: the plan's tables and the curated facts as tidy, checked records.

Reads the raw snapshot (stage 1), parses each table of the plan, joins the
curated CSVs (names, districts, zones, sectors, quoted goals and history),
derives the quality flags and runs the exact sanity checks. Nothing is
written here: :func:`parse_all` returns every table as a list of dicts.
"""
from __future__ import annotations

from pathlib import Path

from lib.domain import citations
from lib.domain.citations import source_columns
from lib.domain.i18n import DEFAULT_LANG
from lib.domain.paths import CURATED_DIR, RAW_PLAN_PATH
from lib.pipeline import checks, curated, freshness, parse_plan, translations
from lib.pipeline.indicator_groups import load_groups
from lib.pipeline.observations import indicator_specs, load_observations
from lib.pipeline.places import Gazetteer
from lib.pipeline.plan_passages import plan_lines
from lib.pipeline.quality import quality_flags
from lib.pipeline.search_terms import load_search_terms
from lib.pipeline.snapshot import PlanFormatError, PlanText, load_plan_text

SECTORS = ("数字经济", "智能装备", "生命健康", "新能源", "新材料", "other")


def _indicators(plan: PlanText, directory: Path) -> list[dict]:
    rows = parse_plan.parse_indicators(plan)
    names = curated.read_csv("indicators.csv", ("row", "code", "name_zh", "name_en", "source"),
                             ("row", "code", "name_zh", "name_en"), directory)
    by_row = {int(n["row"]): n for n in names}
    for row in rows:
        name = by_row.get(row["row_no"])
        if name is None or name["name_zh"] != row["name_zh"]:
            raise PlanFormatError(f"主要指标表 第{row['row_no']}行",
                                  f"indicator {row['name_zh']!r} has no matching row in data/curated/indicators.csv")
        row.update(code=name["code"], name_en=name["name_en"])
    return rows


def _districts_and_zones(plan: PlanText, directory: Path) -> tuple[list[dict], list[dict], Gazetteer]:
    districts = curated.read_csv("districts.csv", ("adcode", "name_zh", "short_zh", "name_en", "kind", "source"),
                                 ("adcode", "name_zh", "short_zh", "name_en", "kind"), directory)
    zones = curated.read_csv("zones.csv", ("zone_name", "aliases", "district_adcode", "outside_wenzhou",
                                           "name_en", "reason", "source"),
                             ("zone_name", "outside_wenzhou", "name_en", "reason", "source"), directory)
    gazetteer = Gazetteer(districts, zones)
    zone_places = _zone_places(zones, directory)
    roles = parse_plan.parse_positioning(plan, [d["name_zh"] for d in districts])
    zone_roles = {}
    for z in zones:  # three functional zones also have a line in 专栏7
        try:
            zone_roles[z["zone_name"]] = parse_plan.parse_positioning(plan, [z["zone_name"]])[z["zone_name"]]
        except PlanFormatError:
            zone_roles[z["zone_name"]] = {}
    # 专栏7 calls 温州经开区 by its other name, 浙南产业集聚区.
    for z in zones:
        if not zone_roles[z["zone_name"]]:
            for alias in filter(None, z["aliases"].split("|")):
                try:
                    zone_roles[z["zone_name"]] = parse_plan.parse_positioning(plan, [alias])[alias]
                    break
                except PlanFormatError:
                    continue
    district_rows = [{
        **{k: d[k] for k in ("adcode", "name_zh", "short_zh", "name_en", "kind")},
        "role_zh": roles[d["name_zh"]].get("role_zh"),
        "positioning_zh": roles[d["name_zh"]]["positioning_zh"],
        **source_columns(roles[d["name_zh"]]["positioning_source"]),
        "source_line": roles[d["name_zh"]]["positioning_line"],
        "name_source": d["source"],
    } for d in districts]
    zone_rows = [{
        "zone_name": z["zone_name"], "aliases": z["aliases"], "district_adcode": z["district_adcode"] or None,
        "outside_wenzhou": curated.as_bool(z["outside_wenzhou"], f"zones.csv {z['zone_name']}"),
        "name_en": z["name_en"], "role_zh": zone_roles[z["zone_name"]].get("role_zh"),
        "positioning_zh": zone_roles[z["zone_name"]].get("positioning_zh"),
        "reason": z["reason"], "source_ref": z["source"], "source": zone_places.get(z["zone_name"]),
    } for z in zones]
    return district_rows, zone_rows, gazetteer


def _zone_places(zones: list[dict], directory: Path) -> dict[str, list[dict]]:
    """The plan places each zone's ``source`` note names (zone_sources.csv), for the English view; a note
    that also cites administrative facts has none and is shown as written. Each place, in Chinese, must
    stand in the note, and so must its line."""
    rows = curated.read_csv("zone_sources.csv", ("zone_name", "ref_kind", "ref_part", "ref_section", "ref_box",
                                                 "ref_annex", "ref_row", "ref_row_last", "ref_title", "ref_after",
                                                 "ref_line"), ("zone_name", "ref_kind"), directory)
    notes = {z["zone_name"]: z["source"] for z in zones}
    found: dict[str, list[dict]] = {}
    for number, row in enumerate(rows, start=2):
        where = f"data/curated/zone_sources.csv line {number}"
        if row["zone_name"] not in notes:
            raise PlanFormatError(where, f"unknown zone {row['zone_name']!r}")
        cited = curated.read_place(row, where)
        words = citations.cite([{**cited, "line": None}], DEFAULT_LANG)
        note = notes[row["zone_name"]]
        if words not in note or (cited["line"] and f"(line {cited['line']})" not in note):
            raise PlanFormatError(where, f"{words!r} (line {cited['line']}) is not in the zone's source {note!r}")
        found.setdefault(row["zone_name"], []).append(cited)
    return found


def _projects(plan: PlanText, gazetteer: Gazetteer, districts: list[dict], directory: Path) -> list[dict]:
    rows = parse_plan.parse_projects(plan)
    sectors = curated.read_csv("project_sectors.csv", ("project_no", "project_name", "sector", "reason"),
                               ("project_no", "project_name", "sector", "reason"), directory)
    by_no = {int(s["project_no"]): s for s in sectors}
    names = {d["adcode"]: d["name_zh"] for d in districts}
    for row in rows:
        where = f"附件2 重大项目 第{row['project_no']}行, 列「建设地点」"
        place, normalised = gazetteer.resolve_location(row["location_text"], where)
        sector = by_no.get(row["project_no"])
        if sector is None or sector["project_name"] != row["name_zh"]:
            raise PlanFormatError(f"附件2 重大项目 第{row['project_no']}行",
                                  f"project {row['name_zh']!r} has no matching row in data/curated/project_sectors.csv")
        if sector["sector"] not in SECTORS:
            raise PlanFormatError(f"data/curated/project_sectors.csv {row['project_no']}",
                                  f"sector must be one of {SECTORS}")
        row.update(zone_name=place.zone_name, district_adcode=place.adcode, outside_wenzhou=place.outside_wenzhou,
                   location_normalised=normalised, district_name_zh=names.get(place.adcode),
                   sector=sector["sector"], sector_reason=sector["reason"])
    return rows


def _platform_districts(platforms: list[dict], gazetteer: Gazetteer) -> list[dict]:
    bridge = []
    for p in platforms:
        text = "\n".join((p["name_zh"], p["scope"], p["focus"], p["goal"]))
        terms_by_adcode: dict[str, list[str]] = {}
        for place in gazetteer.places_named_in(text):
            if place.adcode:
                terms_by_adcode.setdefault(place.adcode, [])
                if place.term not in terms_by_adcode[place.adcode]:
                    terms_by_adcode[place.adcode].append(place.term)
        for adcode in sorted(terms_by_adcode):
            bridge.append({"platform_no": p["platform_no"], "district_adcode": adcode,
                           "matched_terms": "、".join(terms_by_adcode[adcode]), "source_ref": p["source_ref"],
                           "source": p["source"]})
    return bridge


def _quoted(plan: PlanText, name: str, columns: tuple[str, ...], key: str, directory: Path) -> list[dict]:
    rows = curated.read_csv(name, columns, (key, "metric_zh", "value", "value_text", "ref_kind", "line", "quote"),
                            directory)
    curated.verify_quoted_rows(plan, name, rows, key)
    for row in rows:
        row["value"] = float(row["value"])
        row["source_line"] = int(row["line"])
        row["line"] = int(row["line"])
        row.update(source_columns(curated.read_place(row, f"data/curated/{name} {row[key]}")))
    return rows


# A measure word the plan uses in one statement of a target and not in the other (高水平创新团队60个以上 in
# 一（五）, 60支以上 in 三（五）): the same count of teams.
_SAME_UNIT = {"支": "个"}


def _goals(plan: PlanText, directory: Path) -> list[dict]:
    """The quantified goals; ``restates`` (curated judgement) names the first statement of the same target.

    A restatement must point at an earlier goal that is itself a first statement (no chains) and state
    the same value, unit and target year; the judgement that it is the same target is the curator's.
    """
    goals = _quoted(plan, "goals.csv",
                    ("goal_id", "metric_zh", "metric_en", "value", "value_text", "qualifier", "unit", "kind",
                     "target_year", *curated.REF_COLUMNS, "line", "quote", "restates"), "goal_id", directory)
    by_id = {g["goal_id"]: g for g in goals}
    for g in goals:
        g["target_year"] = int(g["target_year"])
        g["restates"] = g["restates"] or None
    for g in goals:
        if g["restates"] is None:
            continue
        first = by_id.get(g["restates"])
        where = f"data/curated/goals.csv {g['goal_id']}"
        if first is None:
            raise PlanFormatError(where, f"restates unknown goal {g['restates']!r}")
        if first["restates"] is not None:
            raise PlanFormatError(where, f"restates {first['goal_id']}, itself a restatement of {first['restates']}: "
                                         "name the first statement")
        if (first["line"], first["goal_id"]) >= (g["line"], g["goal_id"]):
            raise PlanFormatError(where, f"restates {first['goal_id']}, which does not come before it in the plan")
        mine = (g["value"], _SAME_UNIT.get(g["unit"], g["unit"]), g["target_year"])
        theirs = (first["value"], _SAME_UNIT.get(first["unit"], first["unit"]), first["target_year"])
        if mine != theirs:
            raise PlanFormatError(where, f"restates {first['goal_id']} but states {g['value']:g} {g['unit']} by "
                                         f"{g['target_year']}, not {first['value']:g} {first['unit']} by "
                                         f"{first['target_year']}")
    return goals


def parse_all(raw_path: Path = RAW_PLAN_PATH, curated_dir: Path = CURATED_DIR,
              inputs: freshness.BuildInputs | None = None) -> dict[str, list[dict]]:
    """Every table as a list of records, checked; raises PlanFormatError naming the bad cell.

    ``build_meta`` says which inputs the tables come from (``inputs``: what the build reads, by default
    found here) and when the newest of them changed, never when the build ran: the same inputs give the
    same rows."""
    inputs = inputs or freshness.build_inputs(raw_path, curated_dir)
    plan = load_plan_text(raw_path)
    indicators = _indicators(plan, curated_dir)
    districts, zones, gazetteer = _districts_and_zones(plan, curated_dir)
    projects = _projects(plan, gazetteer, districts, curated_dir)
    platforms = parse_plan.parse_platforms(plan)
    reforms, reform_tasks = parse_plan.parse_reforms(plan)
    history = _quoted(plan, "indicator_history.csv",
                      ("history_id", "metric_zh", "metric_en", "indicator_code", "year", "value", "value_text",
                       "qualifier", "unit", "is_estimate", *curated.REF_COLUMNS, "line", "quote"), "history_id",
                      curated_dir)
    codes = {i["code"] for i in indicators}
    for h in history:
        h["year"] = int(h["year"])
        if h["qualifier"] not in curated.WORD_QUALIFIERS:
            raise PlanFormatError(f"data/curated/indicator_history.csv {h['history_id']}",
                                  f"qualifier must be one of {curated.WORD_QUALIFIERS}")
        h["is_estimate"] = curated.as_bool(h["is_estimate"], f"indicator_history.csv {h['history_id']}")
        if h["indicator_code"] and h["indicator_code"] not in codes:
            raise PlanFormatError(f"data/curated/indicator_history.csv {h['history_id']}",
                                  f"unknown indicator code {h['indicator_code']!r}")
        h["indicator_code"] = h["indicator_code"] or None
    goals = _goals(plan, curated_dir)
    tables = {
        "indicators": indicators, "indicator_history": history, "goals": goals,
        "districts": districts, "zones": zones, "projects": projects, "platforms": platforms,
        "platform_districts": _platform_districts(platforms, gazetteer),
        "policies": parse_plan.parse_policies(plan), "reforms": reforms, "reform_tasks": reform_tasks,
    }
    translations.attach_english_names(tables, curated_dir)
    tables["indicator_groups"] = load_groups(plan, {i["code"]: i["growth_kind"] for i in indicators}, curated_dir)
    tables["observations"] = load_observations(indicator_specs(indicators, tables["indicator_groups"]), curated_dir,
                                               bases={i["code"]: i["base_2020"] for i in indicators})
    tables["quality_flags"] = quality_flags(indicators, history, projects, zones, districts,
                                            groups=tables["indicator_groups"])
    checks.check_tables(tables)
    tables["plan_lines"] = plan_lines(plan)
    tables["search_terms"] = load_search_terms(plan, curated_dir)
    checks.check_plan_lines(tables["plan_lines"])
    tables["build_meta"] = [
        {"key": "plan_sha256", "value": plan.sha256},
        {"key": "plan_file", "value": f"data/raw/{raw_path.name}"},
        # Shown as the data's date on briefs and exports.
        {"key": "built_at", "value": inputs.newest_date().isoformat(timespec="seconds")},
        {"key": freshness.INPUTS_KEY, "value": inputs.sha256()},
        *({"key": f"rows.{name}", "value": str(len(rows))} for name, rows in tables.items()),
    ]
    return tables

