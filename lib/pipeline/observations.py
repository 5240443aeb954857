"""Stage 2: published actual values of the 16 indicators (``data/curated/observations.csv``).

Same checks as every curated file, through the one row validation shared with the run-time
upload (:mod:`lib.domain.observation_rows`): known indicator, year 2020–2030, numeric value, the plan's
unit unless the row is a related measure, a plausible value, an evidence grade (official / reported /
unattributed, lib/domain/evidence.py; the rule is in data/README.md), every source field and the quote filled,
no duplicate (indicator, year, measure). ``value_flags`` records what a careful reader would question
(a value that is not official and equals the plan's own target or base exactly). A row with ``related_measure`` filled is
a different measure (研发费用 for R&D经费, 核心产业 for 数字经济, a yearly flow for a stock, a
quarter for a year): kept and shown, never scored.

Data stewards add rows from the command line, with the same validation::

    python -m lib.pipeline.observations add FILE     # appends FILE's rows, atomically
    python -m lib.pipeline.observations check        # validates the curated file

A file with any bad row changes nothing; the next build picks the new rows up.
"""
from __future__ import annotations

import argparse
import csv
import io
import sys
from pathlib import Path

from lib.domain import evidence, observation_rows as rows_mod
from lib.domain.paths import CURATED_DIR, RAW_PLAN_PATH
from lib.domain.units import as_printed
from lib.pipeline import curated, indicator_groups, parse_plan
from lib.pipeline.atomic import write_atomically
from lib.pipeline.snapshot import PlanFormatError, load_plan_text

FILE = "observations.csv"


def indicator_specs(indicators: list[dict], groups: list[dict]) -> dict[str, rows_mod.IndicatorSpec]:
    """What each row is checked against: name, unit and target from the table, the target's kind."""
    kinds = {g["code"]: g["target_kind"] for g in groups}
    return {i["code"]: rows_mod.IndicatorSpec(i["name_zh"], i["unit"], i["target_2025"], kinds[i["code"]])
            for i in indicators}


def _curated_indicator_specs(directory: Path) -> dict[str, rows_mod.IndicatorSpec]:
    """The specs for the steward's command line: names from indicators.csv, unit and target from the plan's
    table, the target's kind from indicator_groups.csv."""
    names = {r["code"]: r for r in curated.read_csv("indicators.csv", ("row", "code", "name_zh", "name_en", "source"),
                                                    directory=directory)}
    by_row = {int(r["row"]): r["code"] for r in names.values()}
    kinds = {r["code"]: r["target_kind"] for r in curated.read_csv(indicator_groups.FILE, indicator_groups.COLUMNS,
                                                                   directory=directory)}
    table = parse_plan.parse_indicators(load_plan_text(RAW_PLAN_PATH))
    return {by_row[t["row_no"]]: rows_mod.IndicatorSpec(t["name_zh"], t["unit"], t["target_2025"],
                                                         kinds[by_row[t["row_no"]]]) for t in table}


def load_observations(indicators: dict[str, rows_mod.IndicatorSpec], directory: Path = CURATED_DIR,
                      bases: dict[str, float | None] | None = None) -> list[dict]:
    """The curated rows, typed; any bad row stops the build naming its line and reason."""
    path = directory / FILE
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise PlanFormatError(f"data/curated/{FILE}", f"cannot read ({exc.strerror})") from exc
    header = data.decode("utf-8-sig", errors="replace").splitlines()[0] if data else ""
    if tuple(next(csv.reader([header]), [])) != rows_mod.COLUMNS:
        raise PlanFormatError(f"data/curated/{FILE}", f"columns must be exactly {list(rows_mod.COLUMNS)}")
    checked = rows_mod.check_rows(data, indicators, strict=True)
    if checked.file_error:
        raise PlanFormatError(f"data/curated/{FILE}", checked.file_error)
    if checked.rejected:
        bad = checked.rejected[0]
        raise PlanFormatError(f"data/curated/{FILE} line {bad.line}", bad.reason)
    out = []
    for number, row in enumerate(checked.accepted, start=1):
        spec = indicators[row["indicator"]]
        flags = [] if row["related_measure"] else evidence.value_flags(
            row["value"], row["grade"], (bases or {}).get(row["indicator"]), spec.target)
        out.append({**row, "observation_id": f"O{number:03d}", "is_related": bool(row["related_measure"]),
                    "related_measure": row["related_measure"] or None, "note": row["note"] or None,
                    "source_ref": row["source_url"], "value_flags": ",".join(flags) or None})
    return out


def add_rows(new_file: Path, directory: Path = CURATED_DIR) -> tuple[int, list[str]]:
    """Append the rows of ``new_file`` to the curated file; (rows added, problems). Nothing is
    written unless every row passes and the curated file itself is valid."""
    indicators = _curated_indicator_specs(directory)
    existing = load_observations(indicators, directory)
    checked = rows_mod.check_rows(new_file.read_bytes(), indicators, strict=True,
                                  existing=frozenset(rows_mod.key_of({**r, "related_measure": r["related_measure"] or ""})
                                                     for r in existing))
    if checked.file_error:
        return 0, [checked.file_error]
    problems = [f"line {r.line}: {r.reason}" for r in checked.rejected]
    if problems or not checked.accepted:
        return 0, problems or ["no rows to add"]
    path = directory / FILE
    text = path.read_text(encoding="utf-8")
    if text and not text.endswith("\n"):
        text += "\n"
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=rows_mod.COLUMNS, lineterminator="\n")
    for row in checked.accepted:
        writer.writerow({**row, "value": as_printed(row["value"])})
    write_atomically(path, text + buffer.getvalue())
    return len(checked.accepted), []


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m lib.pipeline.observations",
                                     description="Add or check published values of the plan's indicators.")
    parser.add_argument("--curated-dir", type=Path, default=CURATED_DIR, help=argparse.SUPPRESS)
    sub = parser.add_subparsers(dest="command", required=True)
    add = sub.add_parser("add", help="append the rows of a CSV file (same columns) to data/curated/observations.csv")
    add.add_argument("file", type=Path)
    sub.add_parser("check", help="validate data/curated/observations.csv")
    args = parser.parse_args(argv)
    try:
        if args.command == "check":
            rows = load_observations(_curated_indicator_specs(args.curated_dir), args.curated_dir)
            print(f"{FILE}: {len(rows)} rows, all valid")
            return 0
        if not args.file.is_file():
            print(f"no such file: {args.file}", file=sys.stderr)
            return 2
        added, problems = add_rows(args.file, args.curated_dir)
    except PlanFormatError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    if problems:
        print(f"nothing added to {FILE}; fix these rows and run again:", file=sys.stderr)
        for problem in problems:
            print(f"  {problem}", file=sys.stderr)
        return 1
    print(f"added {added} row(s) to {args.curated_dir / FILE}; run python -m lib.pipeline to rebuild")
    return 0


if __name__ == "__main__":
    sys.exit(main())
