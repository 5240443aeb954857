"""What the build reads, one hash of it all, and whether the outputs on disk were made from it.

The stale check compares contents, never file times: a build records the hash of its inputs in the
database (``build_meta.inputs_sha256``) and in its static folder (:data:`STAMP_FILE`, written last), and
the outputs are up to date only when both equal the hash of the inputs as they are now.

The inputs are everything whose change can change a byte of the outputs:

- the data: the plan text, every curated CSV, the district GeoJSON (copied, and its label points);
- the gettext catalogs under ``lib/locale`` (the English words baked into ``indicator_series.json``);
- every project module the build imports, found from the import graph, never from a list kept by hand:
  :mod:`modulefinder` (standard library) reads the bytecode of the entry point and of every project module
  it reaches, imports inside functions included, without running any of it. Its search path is the
  project root alone, so it scans no library; the libraries' top-level names are what it could not find;
- the version of every library those modules import, and of everything those libraries require in turn
  (pandas → numpy, geopandas → shapely, pyogrio, pyproj): the DuckDB file, the Parquet files and the label
  points are their output. A library the build stops importing drops out of the hash by itself.

Each input is keyed by what it is (``plan``, ``curated/goals.csv``, ``module lib.domain.units``), not by where it
lies, so a copy of the repository elsewhere has the same hash.

A kept build tool (doit) was weighed for this: it would track the same files in its own state database
(``.doit.db``) beside the outputs, but the question here is one task's freshness, and the answer has to
travel with the outputs (a copied database, the Docker image's ``data/build``), which a hash recorded in
the outputs themselves does and a separate state file does not.

This module is light on purpose: ``python -m lib.pipeline`` answers "up to date" without importing the
build stack (pandas, geopandas, DuckDB's writer). No part of the build imports Streamlit (.importlinter).
"""
from __future__ import annotations

import hashlib
import importlib.metadata
import json
import modulefinder
import os
import platform
import subprocess
import sys
from dataclasses import dataclass
from functools import cached_property
from datetime import datetime, timezone
from pathlib import Path

import duckdb
from packaging.requirements import InvalidRequirement, Requirement

from lib.domain.paths import (CURATED_DIR, DISTRICT_LABELS_PATH, DISTRICTS_GEOJSON_PATH, LOCALE_DIR, PROJECT_ROOT,
                              RAW_PLAN_PATH, STATIC_BUILD_DIR)
from lib.pipeline.atomic import write_atomically

# The build's entry point: scanning it reaches every module a build runs (orchestrate, every stage).
ENTRY_POINT = Path(__file__).resolve().parent / "__main__.py"
# Written into the static folder last; the folder's files are from the build whose hash it holds.
STAMP_FILE = "build_inputs.sha256"
INPUTS_KEY = "inputs_sha256"  # the same hash, in build_meta


@dataclass(frozen=True)
class BuildInputs:
    """The files and library versions one build reads, each keyed by what it is."""

    files: dict[str, Path]        # key → path, e.g. "plan", "curated/goals.csv", "module lib.domain.units"
    libraries: dict[str, str]     # distribution name → version, plus "python"

    @cached_property
    def digests(self) -> dict[str, str]:
        """Each input file's SHA-256, read once."""
        return {key: _sha256(path) for key, path in sorted(self.files.items())}

    def sha256(self) -> str:
        """One hash of every input's content and every library's version."""
        lines = [f"{key}\t{digest}" for key, digest in self.digests.items()]
        lines += [f"library {name}\t{version}" for name, version in sorted(self.libraries.items())]
        return hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest()

    def newest_date(self) -> datetime:
        """When the newest input was last changed: the commit time of an input git has unchanged, the file
        time of any other. ``SOURCE_DATE_EPOCH`` (the reproducible-builds convention) overrides it."""
        epoch = os.environ.get("SOURCE_DATE_EPOCH")
        if epoch:
            return datetime.fromtimestamp(int(epoch), timezone.utc)
        paths = sorted({path.resolve() for path in self.files.values()})
        committed, clean = _newest_commit(paths)
        times = [committed] if committed is not None else []
        times += [int(path.stat().st_mtime) for path in paths if path not in clean]
        return datetime.fromtimestamp(max(times), timezone.utc)


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def build_inputs(raw_path: Path = RAW_PLAN_PATH, curated_dir: Path = CURATED_DIR) -> BuildInputs:
    files = {"plan": raw_path, **{"geo/" + path.name: path for path in (DISTRICTS_GEOJSON_PATH, DISTRICT_LABELS_PATH)}}
    files.update({f"curated/{path.name}": path for path in sorted(curated_dir.glob("*.csv"))})
    files.update({f"catalog/{path.relative_to(LOCALE_DIR).as_posix()}": path
                  for path in sorted(LOCALE_DIR.rglob("*.po"))})
    modules, libraries = imported_by_the_build()
    files.update({f"module {name}": path for name, path in modules.items()})
    return BuildInputs(files=files, libraries=library_versions(libraries))


def imported_by_the_build(entry: Path = ENTRY_POINT) -> tuple[dict[str, Path], set[str]]:
    """The project modules the build imports (name → file) and the top-level names of the libraries they
    import, from the import graph of ``entry``."""
    finder = modulefinder.ModuleFinder(path=[str(PROJECT_ROOT)])
    finder.run_script(str(entry))
    modules = {name: Path(module.__file__) for name, module in finder.modules.items()
               if module.__file__ and name != "__main__"}
    modules["lib.pipeline.__main__"] = entry
    outside = {name.split(".")[0] for name in finder.badmodules} - set(sys.stdlib_module_names)
    return dict(sorted(modules.items())), outside - {name.split(".")[0] for name in modules}


def library_versions(top_level_names: set[str]) -> dict[str, str]:
    """Version of each library imported (by its top-level name) and of everything it requires, recursively."""
    wanted = [_distribution_of(name) for name in sorted(top_level_names)]
    versions: dict[str, str] = {}
    while wanted:
        dist = wanted.pop()
        if dist is None:
            continue
        name = dist.metadata["Name"].lower()
        if name in versions:
            continue
        versions[name] = dist.version
        for line in dist.requires or []:
            try:
                requirement = Requirement(line)
            except InvalidRequirement:
                continue
            if requirement.marker is None or requirement.marker.evaluate({"extra": ""}):
                wanted.append(_installed(requirement.name))
    versions["python"] = platform.python_version()
    return versions


def _installed(name: str) -> importlib.metadata.Distribution | None:
    try:
        return importlib.metadata.distribution(name)
    except importlib.metadata.PackageNotFoundError:
        return None


def _distribution_of(top_level: str) -> importlib.metadata.Distribution | None:
    # Most libraries are installed under their import name; the full map is slow to make, so only on a miss.
    dist = _installed(top_level)
    if dist is None:
        names = importlib.metadata.packages_distributions().get(top_level, [])
        dist = _installed(names[0]) if names else None
    return dist


def _newest_commit(paths: list[Path]) -> tuple[int | None, set[Path]]:
    """The newest commit time among ``paths`` that git tracks unchanged, and those paths."""
    def git(*args: str) -> str:
        return subprocess.run(["git", *args], cwd=PROJECT_ROOT, capture_output=True, text=True, check=True,
                              timeout=30).stdout

    relative = {p.relative_to(PROJECT_ROOT).as_posix(): p for p in paths if p.is_relative_to(PROJECT_ROOT)}
    if not relative:
        return None, set()
    try:
        tracked = set(git("ls-files", "-z", "--", *relative).split("\0"))
        changed = {line[3:] for line in git("status", "--porcelain", "--untracked-files=no", "--",
                                            *relative).splitlines()}
        clean = [rel for rel in relative if rel in tracked and rel not in changed]
        stamp = git("log", "-1", "--format=%ct", "--", *clean).strip() if clean else ""
    except (OSError, subprocess.SubprocessError):
        return None, set()  # no git (an exported tree, the Docker build context): file times it is
    return (int(stamp) if stamp else None), {relative[rel] for rel in clean} if stamp else set()


def recorded_in_database(db_path: Path) -> str | None:
    """The inputs hash the database was built from, or None (missing, unreadable, or built before hashes)."""
    if not db_path.exists():
        return None
    try:
        with duckdb.connect(str(db_path), read_only=True) as con:
            row = con.execute("SELECT value FROM build_meta WHERE key = ?", [INPUTS_KEY]).fetchone()
    except duckdb.Error:
        return None
    return row[0] if row else None


def recorded_in_static(static_dir: Path) -> str | None:
    try:
        return (static_dir / STAMP_FILE).read_text(encoding="utf-8").strip() or None
    except OSError:
        return None


def stale_outputs(db_path: Path, static_dir: Path = STATIC_BUILD_DIR, inputs_sha256: str | None = None,
                  raw_path: Path = RAW_PLAN_PATH, curated_dir: Path = CURATED_DIR) -> list[str]:
    """Why the outputs need a build (empty when they are up to date)."""
    current = inputs_sha256 or build_inputs(raw_path, curated_dir).sha256()
    reasons = []
    in_database = recorded_in_database(db_path)
    if in_database != current:
        reasons.append(f"{db_path}: " + ("missing" if not db_path.exists() else "built from other inputs"))
    in_static = recorded_in_static(static_dir)
    if in_static != current:
        reasons.append(f"{static_dir}: " + ("no complete build" if in_static is None else "built from other inputs"))
    return reasons


def write_stamp(static_dir: Path, inputs_sha256: str) -> None:
    write_atomically(static_dir / STAMP_FILE, inputs_sha256 + "\n")


def remove_stamp(static_dir: Path) -> None:
    """Before a build writes anything: a build that stops half-way leaves the folder stale, never fresh."""
    (static_dir / STAMP_FILE).unlink(missing_ok=True)


def describe(inputs: BuildInputs) -> str:
    """Every input with its hash and every library with its version, as JSON (``python -m lib.pipeline --inputs``)."""
    return json.dumps({"inputs_sha256": inputs.sha256(), "files": inputs.digests, "libraries": inputs.libraries},
                      ensure_ascii=False, indent=1)
