"""Shared fixtures (one real database built by the real pipeline for the whole session) and the test tiers.

Tiers (markers registered in pytest.ini): ``browser`` (Chromium through Playwright), ``stack`` (HAProxy and
supervisord in front of several Streamlit processes), ``slow`` (anything else that takes seconds: measured with
``--durations=0``). ``make check`` runs what carries none of them; ``make test`` runs everything.
``browser`` and ``stack`` are given here by directory and fixture, so a new test file gets them without
a line of its own; ``slow`` is written on the test (or module) that is slow.

A test that needs a Debian package (``scripts/install_system_deps.sh``) that is not installed is
skipped, with the package named, unless ``--require-system-packages`` is given (``make test`` gives it):
then it fails with the same message, so a machine without Chromium cannot pass the whole suite.
"""
from __future__ import annotations

import functools
import os
import shutil
from pathlib import Path

import pytest

from lib.pipeline.orchestrate import build_database
from lib.pipeline.tidy import parse_all

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "tests" / "artifacts"  # screenshots etc.; git-ignored
BROWSER_DIR = ROOT / "tests" / "browser"
CHROMIUM = "/usr/bin/chromium"
FONT_DIRS = (Path("/usr/share/fonts"), Path("/usr/local/share/fonts"), Path.home() / ".local/share/fonts")

# Debian package → is it there? (what the tests actually use, not what dpkg says)
SYSTEM_PACKAGES = {
    "chromium": lambda: os.access(CHROMIUM, os.X_OK),
    "fonts-noto-cjk": lambda: any(any(d.rglob("NotoSansCJK-Regular.ttc")) for d in FONT_DIRS if d.is_dir()),
    "haproxy": lambda: shutil.which("haproxy") is not None or os.access("/usr/sbin/haproxy", os.X_OK),
}
# A tier implies the packages all of its tests need; other tests name theirs with @pytest.mark.system(...).
PACKAGES_OF_TIER = {"browser": ("chromium", "fonts-noto-cjk"), "stack": ("haproxy",)}
# Fixtures that start the stack (tests/stack_fixtures.py): a test using one is a stack test.
STACK_FIXTURES = {"stack", "fresh_stack", "restarting_stack"}
# Tiers of tests whose files say nothing themselves, by node id or by module (a renamed test is reported).
TIER_BY_NODE = {
    "tests/test_deploy_files.py::test_rendered_haproxy_configuration_is_valid": "stack",   # runs haproxy -c
}


def pytest_addoption(parser):
    parser.addoption("--require-system-packages", action="store_true",
                     help="fail (instead of skip) a test whose Debian package is missing; make test sets it")


def pytest_collection_modifyitems(config, items):
    modules = {}
    for item in items:
        module = Path(item.path).relative_to(ROOT).as_posix()
        if isinstance(item, pytest.Function):
            modules[module] = item.module
        if Path(item.path).is_relative_to(BROWSER_DIR):
            item.add_marker(pytest.mark.browser)
        if STACK_FIXTURES & set(item.fixturenames):
            item.add_marker(pytest.mark.stack)
        for node in (module, item.nodeid.split("[")[0]):
            if node in TIER_BY_NODE:
                item.add_marker(getattr(pytest.mark, TIER_BY_NODE[node]))
    # A renamed test would silently lose its tier: a listed name must still be defined in its module.
    gone = [node for node in TIER_BY_NODE if "::" in node and (module := modules.get(node.split("::")[0]))
            and not hasattr(module, node.split("::")[1])]
    if gone:
        raise pytest.UsageError(f"tests/conftest.py TIER_BY_NODE names tests that no longer exist: {gone}")


def sampled(values, fast, ids=None) -> list:
    """``values`` for ``parametrize``, each one not in ``fast`` marked slow: ``make check`` runs the sample,
    ``make test`` every value. A tuple value is several arguments."""
    params = []
    for i, value in enumerate(values):
        args = value if isinstance(value, tuple) else (value,)
        marks = () if value in fast else (pytest.mark.slow,)
        params.append(pytest.param(*args, marks=marks, id=ids[i] if ids else None))
    return params


@functools.cache
def installed(package: str) -> bool:
    """Looked up once per run (the font search walks a folder tree)."""
    if package not in SYSTEM_PACKAGES:
        raise pytest.UsageError(f"@pytest.mark.system({package!r}): not one of {sorted(SYSTEM_PACKAGES)}")
    return bool(SYSTEM_PACKAGES[package]())


def missing_packages(item) -> list[str]:
    wanted = [p for tier, packages in PACKAGES_OF_TIER.items() if item.get_closest_marker(tier) for p in packages]
    wanted += [p for mark in item.iter_markers("system") for p in mark.args]
    return [p for p in dict.fromkeys(wanted) if not installed(p)]


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    # Before any fixture: the browser and stack fixtures would otherwise start servers first.
    missing = missing_packages(item)
    if missing:
        message = (f"missing system package: {', '.join(missing)} "
                   "(scripts/install_system_deps.sh installs what is missing; make test runs it)")
        if item.config.getoption("require_system_packages"):
            pytest.fail(message, pytrace=False)
        pytest.skip(message)


@pytest.fixture(scope="session")
def plan_db(tmp_path_factory) -> Path:
    """The database, built by lib.pipeline into a temporary folder; WENZHOU_DB points the app at it."""
    path = build_database(tmp_path_factory.mktemp("db") / "wenzhou_plan.duckdb")
    previous = os.environ.get("WENZHOU_DB")
    os.environ["WENZHOU_DB"] = str(path)
    yield path
    if previous is None:
        os.environ.pop("WENZHOU_DB", None)
    else:
        os.environ["WENZHOU_DB"] = previous


@pytest.fixture(scope="session")
def db(plan_db):
    # Same settings as the app's connection: DuckDB refuses a second connection
    # to one file with a different configuration in the same process.
    from lib.web.db import open_read_only

    con = open_read_only(plan_db)
    yield con
    con.close()


@pytest.fixture(scope="session")
def tables() -> dict[str, list[dict]]:
    return parse_all()


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS
