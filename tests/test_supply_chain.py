"""The supply-chain audit wrapper (scripts/audit_requirements.py) on fixtures: made-up advisories in a local
OSV copy and made-up pins, never today's state of PyPI or OSV. Real pip-audit runs against the wrapper's
loopback OSV server; no test names a real package's current or latest release."""
from __future__ import annotations

import datetime as dt
import importlib.metadata
import json
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from packaging.version import Version

from scripts.audit_requirements import (REQUIREMENT_FILES, AdvisoryDatabaseError, affects, in_range, load_osv,
                                        venv_tools)
from tests.conftest import ROOT

AUDIT = [sys.executable, str(ROOT / "scripts" / "audit_requirements.py")]
NOW = dt.datetime.now(dt.timezone.utc)


def _record(osv_id: str, package: str, versions=(), ranges=(), modified: dt.datetime = NOW, **extra) -> dict:
    affected = {"package": {"ecosystem": "PyPI", "name": package}, "versions": list(versions)}
    if ranges:
        affected["ranges"] = [{"type": "ECOSYSTEM", "events": list(ranges)}]
    return {"id": osv_id, "modified": modified.isoformat().replace("+00:00", "Z"), "affected": [affected], **extra}


def _database(folder: Path, *records: dict) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for record in records:
        (folder / f"{record['id']}.json").write_text(json.dumps(record))
    return folder


def _audit(tmp_path: Path, db: Path, pins: str, *extra: str) -> subprocess.CompletedProcess:
    requirements = tmp_path / "requirements-fixture.txt"
    requirements.write_text(pins)
    return subprocess.run([*AUDIT, "--osv-db", str(db), "-r", str(requirements), *extra], capture_output=True,
                          text=True, timeout=300)


def test_an_empty_advisory_folder_fails_closed(tmp_path):
    done = _audit(tmp_path, _database(tmp_path / "osv"), "fixture-package==1.0\n")
    assert done.returncode == 2 and "no PyPI advisory" in done.stderr
    assert "auditing" not in done.stdout  # refused before pip-audit ran


def test_a_folder_of_other_ecosystems_only_fails_closed(tmp_path):
    npm = {"id": "NPM-1", "modified": NOW.isoformat(), "affected": [{"package": {"ecosystem": "npm", "name": "x"}}]}
    with pytest.raises(AdvisoryDatabaseError, match="no PyPI advisory"):
        load_osv(_database(tmp_path / "osv", npm), 7)


def test_a_stale_advisory_copy_fails_closed(tmp_path):
    old = NOW - dt.timedelta(days=30)
    db = _database(tmp_path / "osv", _record("FIXTURE-OLD", "fixture-package", ["0.1"], modified=old))
    done = _audit(tmp_path, db, "fixture-package==1.0\n")
    assert done.returncode == 2 and "older than 7 days" in done.stderr
    # The same copy passes the freshness check when the caller accepts that age (nothing else changed).
    assert load_osv(db, 31)["fixture-package"][0]["id"] == "FIXTURE-OLD"


def test_a_missing_copy_fails_closed(tmp_path):
    done = _audit(tmp_path, tmp_path / "nowhere", "fixture-package==1.0\n")
    assert done.returncode == 2 and "audit refused" in done.stderr


def test_a_clean_fixture_copy_passes_and_a_listed_version_fails(tmp_path):
    """End to end through pip-audit --strict: no advisory for the pins → 0; a record naming a pinned
    version (in OSV's zip form, as downloaded) → 1 with the advisory's id."""
    pins = "fixture-package==1.0\nother-fixture==2.5\n"
    unrelated = _record("FIXTURE-UNRELATED", "fixture-package", ["0.9"])
    clean = _audit(tmp_path, _database(tmp_path / "clean", unrelated), pins)
    assert clean.returncode == 0, clean.stdout + clean.stderr
    assert "No known vulnerabilities found" in clean.stdout + clean.stderr
    archive = tmp_path / "all.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("FIXTURE-UNRELATED.json", json.dumps(unrelated))
        z.writestr("FIXTURE-0001.json", json.dumps(_record("FIXTURE-0001", "Other_Fixture",
                                                           ranges=[{"introduced": "2.0"}, {"fixed": "2.6"}])))
    found = _audit(tmp_path, archive, pins)
    assert found.returncode == 1, found.stdout + found.stderr
    assert "FIXTURE-0001" in found.stdout and "other-fixture" in found.stdout


def test_the_venvs_own_tools_are_audited(tmp_path):
    """pip (and setuptools, where installed) are in no requirements file, yet an advisory for the installed
    version fails the audit."""
    pip_version = importlib.metadata.version("pip")
    assert f"pip=={pip_version}" in venv_tools()
    db = _database(tmp_path / "osv", _record("FIXTURE-PIP", "pip", [pip_version]))
    done = _audit(tmp_path, db, "fixture-package==1.0\n")
    assert done.returncode == 1, done.stdout + done.stderr
    assert "FIXTURE-PIP" in done.stdout and f"this venv's pip=={pip_version}" in done.stdout


def test_withdrawn_advisories_and_other_packages_do_not_count():
    record = _record("FIXTURE-W", "fixture-package", ["1.0"])
    assert affects(record, "fixture-package", "1.0")
    assert not affects({**record, "withdrawn": "2024-01-01T00:00:00Z"}, "fixture-package", "1.0")
    assert not affects(record, "another-package", "1.0")
    assert not affects(record, "fixture-package", "1.0.1")


@pytest.mark.parametrize("version, expected", [("0.5", False), ("1.0", True), ("1.4", True), ("1.5", False),
                                               ("2.0", True), ("2.1", True), ("2.2", False)])
def test_osv_ranges_read_in_version_order(version, expected):
    """introduced 1.0, fixed 1.5, introduced 2.0, last_affected 2.1 (given out of order)."""
    events = [{"introduced": "2.0"}, {"fixed": "1.5"}, {"last_affected": "2.1"}, {"introduced": "1.0"}]
    assert in_range(Version(version), events) is expected


def test_every_requirement_is_an_exact_pin():
    """The audit runs pip-audit with --no-deps: it relies on every line naming one exact version."""
    for path in REQUIREMENT_FILES:
        for line in path.read_text(encoding="utf-8").splitlines():
            line = line.strip()
            if line and not line.startswith(("#", "-r ")):
                assert re.fullmatch(r"[A-Za-z0-9._-]+==[0-9][^\s;#]*", line), f"{path.name}: {line}"


def test_an_unreachable_api_without_a_local_copy_is_refused_with_a_message(monkeypatch, capsys):
    """No network and no --osv-db: a refusal that says what to do (exit 2), not pip-audit's traceback."""
    from scripts import audit_requirements

    def refused(*args, **kwargs):
        raise OSError("Name or service not known")

    monkeypatch.setattr(audit_requirements.socket, "create_connection", refused)
    monkeypatch.setattr(audit_requirements, "pip_audit", lambda *a: pytest.fail("pip-audit must not run"))
    assert audit_requirements.main([]) == 2
    err = capsys.readouterr().err
    assert "cannot be reached" in err and "OSV_DB=" in err and "Traceback" not in err
