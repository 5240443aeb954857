"""Renders the one-machine stack's configuration; kept programs do the rest (docs/deploy.md).

    python -m deploy.stack --run-dir deploy/run --processes 2 --port 8080 --db data/build/wenzhou_plan.duckdb

writes ``supervisord.conf`` and ``haproxy.cfg`` from ``deploy/*.template`` and prints the processes' ports;
``deploy/stack.sh`` (``make stack``) runs supervisord with them. Nothing here watches or restarts a process.
"""
from __future__ import annotations

import argparse
import base64
import hashlib
import importlib.util
import re
import shlex
import shutil
import sys
from pathlib import Path

from lib.web.ports import free_port_run

ROOT = Path(__file__).resolve().parent.parent
DEPLOY_DIR = ROOT / "deploy"
ROUTE_COOKIE = "wzroute"
HAPROXY = shutil.which("haproxy") or "/usr/sbin/haproxy"
# From the measured peak of one process (docs/deploy.md, "Sizing"): memmon restarts a process above it.
MEMORY_CEILING_MB = 900
HEALTH_TIMEOUT_S = 5        # httpok: a process that does not answer its health check this long is restarted
# Upload limits at the balancer (the app's one upload is a small CSV; Streamlit keeps every file in memory).
UPLOAD_LIMITS = {"UPLOADS_PER_10S": 10, "UPLOAD_CONNECTIONS": 4, "UPLOAD_BYTES_PER_MIN": 8 << 20,
                 "UPLOADS_PER_SESSION": 30, "UPLOAD_KB_PER_SESSION": 8 << 10}

# Content-Security-Policy, checked in Chromium on every page (tests/browser/test_stack_csp.py). No 'unsafe-eval':
# Vega runs its CSP-safe interpreter. 'wasm-unsafe-eval': Streamlit's protobuf bundle compiles a tiny
# WebAssembly int64 helper. 'unsafe-inline' for styles only (CSS-in-JS). The inline <script> of Streamlit's
# index.html is allowed by its hash.
CSP_DIRECTIVES = {  # + the inline script hashes in script-src, see content_security_policy()
    "default-src": ["'self'"], "script-src": ["'self'", "'wasm-unsafe-eval'"],
    "style-src": ["'self'", "'unsafe-inline'"], "img-src": ["'self'", "data:", "blob:"],
    "font-src": ["'self'", "data:"], "connect-src": ["'self'"],
    "worker-src": ["'self'", "blob:"], "frame-src": ["'none'"], "object-src": ["'none'"], "base-uri": ["'self'"],
    "form-action": ["'self'"], "frame-ancestors": ["'none'"],
}


def inline_script_hashes(index_html: str) -> list[str]:
    """CSP source expressions ('sha256-…') for every inline <script> (one without src) of a page."""
    bodies = re.findall(r"<script(?![^>]*\ssrc=)[^>]*>(.*?)</script>", index_html, re.S | re.I)
    return [f"'sha256-{base64.b64encode(hashlib.sha256(s.encode()).digest()).decode()}'" for s in bodies]


def content_security_policy(index_html: str | None = None) -> str:
    if index_html is None:
        index = Path(importlib.util.find_spec("streamlit").origin).parent / "static" / "index.html"
        index_html = index.read_text(encoding="utf-8")
    directives = {k: list(v) for k, v in CSP_DIRECTIVES.items()}
    directives["script-src"] += inline_script_hashes(index_html)
    return "; ".join(f"{name} {' '.join(values)}" for name, values in directives.items())


def streamlit_command(port: str, public_port: int) -> list[str]:
    """One app process on loopback (the crowd settings are in .streamlit/config.toml); ``public_port``: where
    browsers reach it (HAProxy), for the upload route's CORS header."""
    # lib/web/serve.py: `python -m streamlit` with Streamlit's pages/ file router off (a direct link to an inner page
    # would otherwise show the file names in the sidebar: issue 18).
    return [sys.executable, "-m", "lib.web.serve", "run", str(ROOT / "app.py"), "--server.address", "127.0.0.1",
            "--server.port", port, "--browser.serverAddress", "127.0.0.1", "--browser.serverPort", str(public_port)]


def fill(template: str, values: dict[str, str]) -> str:
    text = (DEPLOY_DIR / template).read_text(encoding="utf-8")
    for key, value in values.items():
        text = text.replace(f"@{key}@", str(value))
    if leftover := re.findall(r"@[A-Z_]+@", text):
        raise ValueError(f"{template}: unfilled {sorted(set(leftover))}")
    return text


def render(run_dir: Path, processes: int, port: int, db: Path, first_port: int | None = None,
           memory_ceiling_mb: int = MEMORY_CEILING_MB) -> list[int]:
    """Write supervisord.conf and haproxy.cfg into run_dir; returns the processes' ports."""
    run_dir.mkdir(parents=True, exist_ok=True)
    first = first_port or free_port_run(processes)
    ports = list(range(first, first + processes))
    servers = "\n".join(f"    server p{p} 127.0.0.1:{p} cookie p{p}" for p in ports)
    (run_dir / "haproxy.cfg").write_text(fill("haproxy.cfg.template", {
        "RUN_DIR": run_dir, "DEPLOY_DIR": DEPLOY_DIR, "LISTEN": f"127.0.0.1:{port}", "ROUTE_COOKIE": ROUTE_COOKIE,
        "CSP": content_security_policy(), "SERVERS": servers, **UPLOAD_LIMITS}), encoding="utf-8")
    (run_dir / "supervisord.conf").write_text(fill("supervisord.conf.template", {
        "RUN_DIR": run_dir, "ROOT": ROOT, "PROCESSES": processes, "FIRST_PORT": first, "DB": db.resolve(),
        "STREAMLIT_COMMAND": shlex.join(streamlit_command("%(process_num)d", port)), "HAPROXY": HAPROXY,
        "BIN": Path(sys.executable).parent, "HEALTH_TIMEOUT_S": HEALTH_TIMEOUT_S,
        "MEMORY_CEILING": f"{memory_ceiling_mb}MB"}), encoding="utf-8")
    return ports


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m deploy.stack", description=__doc__.split("\n\n")[0])
    parser.add_argument("--run-dir", type=Path, default=DEPLOY_DIR / "run")
    parser.add_argument("--processes", type=int, default=2)
    parser.add_argument("--port", type=int, default=8080, help="HAProxy's port on 127.0.0.1")
    parser.add_argument("--db", type=Path, default=ROOT / "data" / "build" / "wenzhou_plan.duckdb")
    parser.add_argument("--memory-ceiling-mb", type=int, default=MEMORY_CEILING_MB, help="memmon's restart line")
    args = parser.parse_args(argv)
    if args.processes < 1:
        parser.error("--processes must be ≥ 1")
    print(" ".join(map(str, render(args.run_dir.resolve(), args.processes, args.port, args.db,
                                            memory_ceiling_mb=args.memory_ceiling_mb))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
