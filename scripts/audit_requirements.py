"""Known-vulnerability audit of the pinned requirements (requirements.txt, requirements-dev.txt,
geo/requirements-build.txt), against whatever advisory data this machine can reach.

    .venv/bin/python scripts/audit_requirements.py [--source auto|osv|osv-local|pypi-json] [--osv-db DIR]

Sources (``auto`` takes the first that works):

* ``osv`` — pip-audit against the OSV API (api.osv.dev), ``--strict``: every pin is looked up or the audit
  fails. Where the OSV API is reachable (a developer laptop, a CI runner with internet) this is the audit.
* ``osv-local`` — pip-audit against a local copy of the OSV database (``--osv-db``: a folder of OSV JSON
  records, e.g. OSV's ``PyPI/all.zip`` unpacked), served on loopback by this script as the OSV query API
  (``pip-audit --osv-url``). For machines that can fetch the database file but not query the API.
* ``pypi-json`` — PyPI's JSON API, which is reachable here: ``/pypi/<name>/json`` describes the project's
  latest release, including that release's known vulnerabilities (from OSV). A pin that *is* the latest
  release is checked exactly; an older pin cannot be checked from that document, and a yanked pin is an
  error. ``--strict`` (the default) fails on any pin that could not be checked.

What this machine reaches (measured): PyPI's project JSON yes; PyPI's per-version JSON
(``/pypi/<name>/<version>/json``, what pip-audit's ``pypi`` service uses) no — pip-audit then skips every
package and exits 0, which is why it runs ``--strict`` here; the OSV API no. So ``auto`` runs ``pypi-json``.
Exit status: 0 when every pin was checked and none is known vulnerable, 1 otherwise.
"""
from __future__ import annotations

import argparse
import http.server
import json
import re
import shutil
import subprocess
import sys
import threading
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REQUIREMENT_FILES = [ROOT / "requirements.txt", ROOT / "requirements-dev.txt", ROOT / "geo" / "requirements-build.txt"]
PYPI_JSON = "https://pypi.org/pypi/{name}/json"
OSV_API = "https://api.osv.dev/v1/query"
_PIN = re.compile(r"^([A-Za-z0-9._-]+)==([^\s;#]+)")


def normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def read_pins(paths: list[Path] = REQUIREMENT_FILES) -> dict[str, str]:
    """name → version for every ``name==version`` line, following ``-r`` includes."""
    pins: dict[str, str] = {}
    seen: set[Path] = set()

    def read(path: Path) -> None:
        if path in seen:
            return
        seen.add(path)
        for line in path.read_text(encoding="utf-8").splitlines():
            line = line.strip()
            if line.startswith("-r "):
                read((path.parent / line[3:].strip()).resolve())
            elif m := _PIN.match(line):
                pins[normalise(m.group(1))] = m.group(2)

    for p in paths:
        read(p.resolve())
    return pins


# ---------------------------------------------------------------- pypi-json


@dataclass
class Finding:
    name: str
    version: str
    status: str                  # "ok", "vulnerable", "yanked", "unchecked", "error"
    detail: str = ""
    vulns: list[dict] = field(default_factory=list)


def judge(name: str, version: str, project: dict) -> Finding:
    """What PyPI's project document says about one pin (see the module doc for what it can tell)."""
    latest = project.get("info", {}).get("version")
    files = project.get("releases", {}).get(version)
    if files is None:
        return Finding(name, version, "error", f"version {version} is not on PyPI")
    if files and all(f.get("yanked") for f in files):
        reason = next((f.get("yanked_reason") for f in files if f.get("yanked_reason")), "")
        return Finding(name, version, "yanked", f"yanked: {reason}".strip())
    if version != latest:
        return Finding(name, version, "unchecked", f"not the latest release ({latest}); PyPI's project "
                                                   "document lists the latest release's vulnerabilities only")
    vulns = [v for v in project.get("vulnerabilities", []) if not v.get("withdrawn")]
    if vulns:
        ids = ", ".join(v.get("id", "?") + (f" (fixed in {', '.join(v['fixed_in'])})" if v.get("fixed_in") else "")
                        for v in vulns)
        return Finding(name, version, "vulnerable", ids, vulns)
    return Finding(name, version, "ok")


def fetch_project(name: str, timeout_s: float = 30) -> dict:
    opener = urllib.request.build_opener()
    with opener.open(PYPI_JSON.format(name=name), timeout=timeout_s) as resp:
        return json.load(resp)


def audit_pypi_json(pins: dict[str, str]) -> list[Finding]:
    findings = []
    for name, version in sorted(pins.items()):
        try:
            findings.append(judge(name, version, fetch_project(name)))
        except (urllib.error.URLError, TimeoutError, ValueError) as exc:
            findings.append(Finding(name, version, "error", f"PyPI JSON API: {exc}"))
    return findings


# ---------------------------------------------------------------- osv-local


def load_osv_records(folder: Path) -> dict[str, list[dict]]:
    """PyPI package (normalised) → its OSV records, from a folder of OSV JSON files."""
    by_package: dict[str, list[dict]] = {}
    for path in folder.rglob("*.json"):
        record = json.loads(path.read_text(encoding="utf-8"))
        for affected in record.get("affected", []):
            pkg = affected.get("package", {})
            if pkg.get("ecosystem") == "PyPI":
                by_package.setdefault(normalise(pkg["name"]), []).append(record)
    return by_package


def affects(record: dict, name: str, version: str) -> bool:
    """Whether an OSV record lists this exact version of this package (its ``versions`` list, which OSV's
    PyPI records enumerate; ranges without the list are matched on ECOSYSTEM ``introduced``/``fixed``)."""
    from packaging.version import InvalidVersion, Version

    for affected in record.get("affected", []):
        pkg = affected.get("package", {})
        if pkg.get("ecosystem") != "PyPI" or normalise(pkg.get("name", "")) != name:
            continue
        if version in affected.get("versions", []):
            return True
        try:
            v = Version(version)
            for rng in affected.get("ranges", []):
                if rng.get("type") != "ECOSYSTEM":
                    continue
                lo, hi = None, None
                for event in rng.get("events", []):
                    if "introduced" in event:
                        lo = Version("0") if event["introduced"] == "0" else Version(event["introduced"])
                    if "fixed" in event:
                        hi = Version(event["fixed"])
                if lo is not None and v >= lo and (hi is None or v < hi):
                    return True
        except InvalidVersion:
            continue
    return False


class _OsvHandler(http.server.BaseHTTPRequestHandler):
    records: dict[str, list[dict]] = {}

    def do_POST(self) -> None:  # noqa: N802 (http.server's naming)
        body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))) or b"{}")
        name = normalise(body.get("package", {}).get("name", ""))
        version = body.get("version", "")
        vulns = [r for r in self.records.get(name, []) if affects(r, name, version)]
        data = json.dumps({"vulns": vulns} if vulns else {}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args) -> None:
        pass


def serve_osv(folder: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    """The OSV query API (POST /v1/query) over a local folder of records, on a free loopback port."""
    handler = type("Handler", (_OsvHandler,), {"records": load_osv_records(folder)})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/v1/query"


def pip_audit(osv_url: str | None, files: list[Path] = REQUIREMENT_FILES) -> int:
    exe = shutil.which("pip-audit", path=str(Path(sys.executable).parent)) or shutil.which("pip-audit")
    if exe is None:
        print("pip-audit is not installed (it is pinned in requirements-dev.txt)", file=sys.stderr)
        return 1
    cmd = [exe, "--strict", "--no-deps", "--disable-pip", "--progress-spinner", "off", "-s", "osv"]
    if osv_url:
        cmd += ["--osv-url", osv_url]
    for f in files:
        cmd += ["-r", str(f)]
    return subprocess.run(cmd).returncode


def osv_reachable(timeout_s: float = 5) -> bool:
    request = urllib.request.Request(OSV_API, data=json.dumps(
        {"package": {"name": "pip", "ecosystem": "PyPI"}, "version": "1.0"}).encode(), method="POST")
    try:
        with urllib.request.urlopen(request, timeout=timeout_s) as resp:
            return resp.status == 200
    except (urllib.error.URLError, TimeoutError, OSError):
        return False


# ---------------------------------------------------------------- command line


def report(findings: list[Finding], strict: bool) -> int:
    bad = [f for f in findings if f.status in ("vulnerable", "yanked", "error") or (strict and f.status == "unchecked")]
    counts: dict[str, int] = {}
    for f in findings:
        counts[f.status] = counts.get(f.status, 0) + 1
    for f in findings:
        if f.status != "ok":
            print(f"{f.status:<10} {f.name}=={f.version}: {f.detail}")
    print(f"audited {len(findings)} pins against PyPI's JSON API: " + ", ".join(f"{v} {k}" for k, v in
                                                                              sorted(counts.items())))
    return 1 if bad else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--source", choices=["auto", "osv", "osv-local", "pypi-json"], default="auto")
    parser.add_argument("--osv-db", type=Path, help="folder of OSV JSON records (for --source osv-local)")
    parser.add_argument("--no-strict", dest="strict", action="store_false",
                        help="pypi-json: do not fail on pins that could not be checked")
    parser.add_argument("-r", "--requirement", type=Path, action="append",
                        help="requirements file(s) to audit (default: the project's three)")
    args = parser.parse_args(argv)
    files = args.requirement or REQUIREMENT_FILES
    source = args.source
    if source == "auto":
        source = "osv-local" if args.osv_db else ("osv" if osv_reachable() else "pypi-json")
        print(f"audit source: {source}")
    if source == "osv":
        return pip_audit(None, files)
    if source == "osv-local":
        if not args.osv_db or not args.osv_db.is_dir():
            parser.error("--source osv-local needs --osv-db FOLDER")
        server, url = serve_osv(args.osv_db)
        try:
            return pip_audit(url, files)
        finally:
            server.shutdown()
    return report(audit_pypi_json(read_pins(files)), args.strict)


if __name__ == "__main__":
    sys.exit(main())
