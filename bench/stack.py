"""The nginx stack (deploy/stack.py) as the benchmark and the tests drive it: start, stop, read its
state, and visit it as a browser does (a first page request that hands out the route cookie, then the
websocket with that cookie)."""
from __future__ import annotations

import http.client
import json
import os
import re
import secrets
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from deploy.stack import ROUTE_COOKIE, read_state

from .protocol import BrowserSession
from .server import free_loopback_port, process_tree_cpu_seconds

REPO_ROOT = Path(__file__).resolve().parent.parent
_SET_COOKIE = re.compile(r"^([^=;\s]+)=([^;]*)")


def http_get(port: int, path: str, cookies: dict[str, str] | None = None,
             timeout_s: float = 10.0) -> tuple[int, dict[str, list[str]], bytes]:
    """One GET to 127.0.0.1:port (no proxy, no redirects): status, headers (lower-case names), body."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout_s)
    try:
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items())} if cookies else {}
        conn.request("GET", path, headers=headers)
        resp = conn.getresponse()
        body = resp.read()
        out: dict[str, list[str]] = {}
        for name, value in resp.getheaders():
            out.setdefault(name.lower(), []).append(value)
        return resp.status, out, body
    finally:
        conn.close()


def cookies_from(headers: dict[str, list[str]]) -> dict[str, str]:
    found = {}
    for line in headers.get("set-cookie", []):
        if m := _SET_COOKIE.match(line):
            found[m.group(1)] = m.group(2)
    return found


def new_route_cookie() -> str:
    """A value of the form nginx hands out ($request_id: 32 hex digits)."""
    return secrets.token_hex(16)


@dataclass
class Visitor:
    """A browser's cookies for the stack: the route cookie (stickiness) and Streamlit's XSRF cookie."""
    cookies: dict[str, str]

    @property
    def route(self) -> str:
        return self.cookies[ROUTE_COOKIE]

    def header(self) -> dict[str, str]:
        return {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}


def visit(port: int, path: str = "/", timeout_s: float = 10.0) -> tuple[int, Visitor]:
    """A first visit: GET the page (nginx sets the route cookie), then the health endpoint with it
    (Streamlit sets its XSRF cookie there), as the frontend does before it opens the websocket."""
    status, headers, _ = http_get(port, path, timeout_s=timeout_s)
    cookies = cookies_from(headers)
    if status == 200 and ROUTE_COOKIE in cookies:
        _, headers2, _ = http_get(port, "/_stcore/health", cookies, timeout_s=timeout_s)
        cookies.update(cookies_from(headers2))
    return status, Visitor(cookies)


class StackProcess:
    """``python -m deploy.stack start/stop`` with its own run directory and port."""

    def __init__(self, run_dir: Path, processes: int, db_path: Path, port: int | None = None,
                 restart: bool = False, check_interval: float = 0.5, fails: int = 2, env: dict | None = None) -> None:
        self.run_dir = run_dir
        self.processes = processes
        self.db_path = db_path
        self.port = port or free_loopback_port()
        self.restart = restart
        self.check_interval = check_interval
        self.fails = fails
        self.env = env

    def _cli(self, *args: str, timeout_s: float = 180) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "deploy.stack", *args, "--run-dir", str(self.run_dir)],
                              cwd=REPO_ROOT, env=self.env, capture_output=True, text=True, timeout=timeout_s)

    def start(self) -> float:
        """Start and wait until nginx answers; returns seconds taken."""
        started = time.monotonic()
        args = ["start", "--processes", str(self.processes), "--port", str(self.port), "--db", str(self.db_path),
                "--check-interval", str(self.check_interval), "--fails", str(self.fails), "--no-build"]
        if not self.restart:
            args.append("--no-restart")
        done = self._cli(*args)
        if done.returncode != 0:
            raise RuntimeError(f"stack did not start:\n{done.stdout}\n{done.stderr}")
        return time.monotonic() - started

    def stop(self) -> None:
        self._cli("stop", timeout_s=60)

    def state(self) -> dict:
        state = read_state(self.run_dir)
        if state is None:
            raise RuntimeError(f"no state in {self.run_dir}")
        return state

    def backends(self) -> list[dict]:
        return self.state()["backends"]

    def backend_pids(self) -> list[int]:
        return [b["pid"] for b in self.backends()]

    def cpu_seconds(self) -> float:
        """CPU of every Streamlit process and of nginx (the whole stack's server side)."""
        state = self.state()
        pids = [b["pid"] for b in state["backends"] if b["pid"]] + [state["nginx_pid"]]
        return sum(process_tree_cpu_seconds(p) for p in pids if p)

    def kill_backend(self, index: int, sig: int = signal.SIGKILL) -> float:
        """Stop one Streamlit process the hard way; returns the time (time.time()) it was sent."""
        pid = self.backends()[index]["pid"]
        sent = time.time()
        os.killpg(pid, sig)  # each process leads its own group (start_new_session)
        return sent

    def wait_event(self, event: str, index: int | None = None, after: float = 0.0, timeout_s: float = 30) -> dict:
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            for e in self.state()["events"]:
                if e["event"] == event and e["t"] >= after and (index is None or e.get("index") == index):
                    return e
            time.sleep(0.05)
        raise TimeoutError(f"no '{event}' event for process {index} within {timeout_s} s")

    def access_log(self) -> list[dict]:
        """nginx's access log (format "route" in deploy/nginx.conf.template), parsed."""
        rows = []
        pattern = re.compile(r'^(\S+) \[([^\]]+)\] "(\S+) (\S+) [^"]*" (\d{3}) (\d+) rt=(\S+) upstream=(\S+) '
                             r'ustatus=(\S+) route=(\S+)$')
        for line in (self.run_dir / "nginx-access.log").read_text(errors="replace").splitlines():
            if m := pattern.match(line):
                rows.append({"method": m.group(3), "path": m.group(4), "status": int(m.group(5)),
                             "upstream": m.group(8), "route": m.group(10)})
        return rows

    def upstream_of(self, route: str, wait_s: float = 2.0, since: int = 0) -> str | None:
        """The process (host:port) that nginx last sent this route cookie's requests to, among the log's
        lines from index ``since`` on (``len(access_log())`` before a request: that request's answer).

        nginx writes the log line after it has sent the response, so the line may trail the response
        a little: look again for up to ``wait_s`` (an older line of the same cookie must not answer)."""
        deadline = time.monotonic() + wait_s
        while True:
            for row in reversed(self.access_log()[since:]):
                if row["route"] == route and row["upstream"] != "-":
                    return row["upstream"].split(",")[-1].strip()
            if time.monotonic() > deadline:
                return None
            time.sleep(0.02)

    def session(self, visitor: Visitor, timeout_s: float = 60, **kwargs) -> BrowserSession:
        return BrowserSession(self.port, timeout_s, headers=visitor.header(), **kwargs)


def stack_json(state: dict) -> str:
    return json.dumps({k: v for k, v in state.items() if k != "events"})
