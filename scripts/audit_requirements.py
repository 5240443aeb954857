"""Known-vulnerability audit: ``pip-audit --strict`` over the pinned requirements and the venv's own tools.

    .venv/bin/python scripts/audit_requirements.py                       # OSV's API (needs the network)
    .venv/bin/python scripts/audit_requirements.py --osv-db PyPI-all.zip  # a local copy of OSV's PyPI data

pip-audit does the auditing; this only chooses what it audits and where it asks. What: every requirements
file of the project (exact pins, so ``--no-deps``) and the pip and setuptools installed in this venv (no
requirements file names them, and ``python -m venv`` brings whatever Python bundled). Where: OSV's API, or,
where there is no network, a local copy of OSV's PyPI records (its ``all.zip`` or that unpacked), served on
loopback as the OSV query API (``--osv-url``). The audit fails closed: an empty copy, or one whose newest
record is older than ``--max-age-days``, is refused before pip-audit runs; ``--strict`` fails on any
requirement pip-audit could not look up. Exit status: 0 only when everything was looked up and nothing is
known to be vulnerable.
"""
from __future__ import annotations

import argparse
import datetime as dt
import http.server
import importlib.metadata
import json
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import zipfile
from pathlib import Path

from packaging.version import InvalidVersion, Version

ROOT = Path(__file__).resolve().parent.parent
REQUIREMENT_FILES = [ROOT / "requirements.txt", ROOT / "requirements-dev.txt", ROOT / "geo" / "requirements-build.txt",
                     ROOT / "deploy" / "requirements.txt"]
VENV_TOOLS = ("pip", "setuptools", "wheel")


class AdvisoryDatabaseError(RuntimeError):
    """The local advisory copy cannot be trusted: missing, empty or stale."""


def normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def load_osv(path: Path, max_age_days: float, now: dt.datetime | None = None) -> dict[str, list[dict]]:
    """PyPI package (normalised) → its OSV records, from a folder of OSV JSON files or OSV's zip of them.
    Refused (fail closed) when there is no PyPI record or the newest record is older than ``max_age_days``."""
    if path.is_dir():
        texts = [p.read_bytes() for p in path.rglob("*.json")]
    elif zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as z:
            texts = [z.read(n) for n in z.namelist() if n.endswith(".json")]
    else:
        raise AdvisoryDatabaseError(f"{path}: neither a folder nor a zip of OSV records")
    by_package: dict[str, list[dict]] = {}
    newest = None
    for text in texts:
        record = json.loads(text)
        packages = {normalise(a["package"]["name"]) for a in record.get("affected", [])
                    if a.get("package", {}).get("ecosystem") == "PyPI"}
        for name in packages:
            by_package.setdefault(name, []).append(record)
        if packages and record.get("modified"):
            modified = dt.datetime.fromisoformat(record["modified"].replace("Z", "+00:00"))
            newest = max(newest or modified, modified)
    if not by_package:
        raise AdvisoryDatabaseError(f"{path}: no PyPI advisory in it (an empty copy would report nothing found)")
    age = (now or dt.datetime.now(dt.timezone.utc)) - newest if newest else None
    if age is None or age > dt.timedelta(days=max_age_days):
        raise AdvisoryDatabaseError(f"{path}: newest advisory modified {newest} — older than {max_age_days:g} days; "
                                    "fetch a fresh copy")
    return by_package


def in_range(version: Version, events: list[dict]) -> bool:
    """An OSV ECOSYSTEM range: its events in version order; the last one at or below the version decides
    (introduced: affected from there; fixed: not from there; last_affected: not above it)."""
    def at(event: dict) -> Version:
        return Version(next(iter(event.values())))

    affected = False
    for event in sorted(events, key=at):
        kind = next(iter(event))
        if kind == "introduced" and version >= at(event):
            affected = True
        elif (kind == "fixed" and version >= at(event)) or (kind == "last_affected" and version > at(event)):
            affected = False
    return affected


def affects(record: dict, name: str, version: str) -> bool:
    """Whether an OSV record (not withdrawn) lists this version of this package, by its ``versions`` list or
    an ECOSYSTEM range."""
    if record.get("withdrawn"):
        return False
    for affected in record.get("affected", []):
        package = affected.get("package", {})
        if package.get("ecosystem") != "PyPI" or normalise(package.get("name", "")) != name:
            continue
        if version in affected.get("versions", []):
            return True
        try:
            if any(in_range(Version(version), r.get("events", [])) for r in affected.get("ranges", [])
                   if r.get("type") == "ECOSYSTEM"):
                return True
        except InvalidVersion:
            continue
    return False


def serve_osv(records: dict[str, list[dict]]) -> tuple[http.server.ThreadingHTTPServer, str]:
    """OSV's query API (POST /v1/query) over the loaded records, on a free loopback port."""
    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 (http.server's naming)
            query = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))) or b"{}")
            name, version = normalise(query.get("package", {}).get("name", "")), query.get("version", "")
            vulns = [r for r in records.get(name, []) if affects(r, name, version)]
            body = json.dumps({"vulns": vulns} if vulns else {}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/v1/query"


def venv_tools() -> list[str]:
    """Exact pins of the packaging tools installed in the running interpreter's environment."""
    found = {normalise(d.metadata["Name"]): d.version for d in importlib.metadata.distributions()}
    return [f"{name}=={found[name]}" for name in VENV_TOOLS if name in found]


OSV_HOST = "api.osv.dev"


def osv_reachable(host: str = OSV_HOST) -> bool:
    """Whether OSV's API can be reached at all (a clear refusal instead of pip-audit's traceback)."""
    try:
        with socket.create_connection((host, 443), timeout=5):
            return True
    except OSError:
        return False


def pip_audit(files: list[Path], osv_url: str | None) -> int:
    exe = shutil.which("pip-audit", path=str(Path(sys.executable).parent)) or shutil.which("pip-audit")
    if exe is None:
        print("pip-audit is not installed (it is pinned in requirements-dev.txt)", file=sys.stderr)
        return 1
    with tempfile.NamedTemporaryFile("w", suffix="-venv-tools.txt") as tools:
        tools.write("\n".join(venv_tools()) + "\n")
        tools.flush()
        cmd = [exe, "--strict", "--no-deps", "--disable-pip", "--progress-spinner", "off", "-s", "osv",
               *(["--osv-url", osv_url] if osv_url else []), *(a for f in [*files, tools.name] for a in ("-r", str(f)))]
        print(f"auditing {', '.join(str(f) for f in files)} and this venv's {', '.join(venv_tools())}", flush=True)
        return subprocess.run(cmd).returncode


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--osv-db", type=Path, help="OSV's PyPI records: their all.zip, or a folder of them")
    parser.add_argument("--max-age-days", type=float, default=7, help="refuse a copy older than this (default 7)")
    parser.add_argument("-r", "--requirement", type=Path, action="append",
                        help="requirements file(s) to audit (default: the project's)")
    args = parser.parse_args(argv)
    files = args.requirement or REQUIREMENT_FILES
    if args.osv_db is None:
        if not osv_reachable():
            print(f"audit refused: OSV's API ({OSV_HOST}) cannot be reached from here; give a local copy of OSV's "
                  "PyPI records instead: make audit OSV_DB=PyPI-all.zip (or --osv-db)", file=sys.stderr)
            return 2
        return pip_audit(files, None)
    try:
        records = load_osv(args.osv_db, args.max_age_days)
    except (AdvisoryDatabaseError, OSError, ValueError) as exc:
        print(f"audit refused: {exc}", file=sys.stderr)
        return 2
    server, url = serve_osv(records)
    try:
        return pip_audit(files, url)
    finally:
        server.shutdown()


if __name__ == "__main__":
    sys.exit(main())
