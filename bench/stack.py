"""The one-machine stack (deploy/stack.sh: supervisord, HAProxy, N Streamlit processes) as the benchmark and
the tests drive it: start, stop, ask supervisord and HAProxy what they see, read HAProxy's log, and visit it
as a browser does (a first page request that hands out the route cookie, then the websocket with it).

Everything here only observes (and, for fault injection, sends a signal): marking a process down is
HAProxy's health check, restarting it is supervisord's (or httpok's / memmon's)."""
from __future__ import annotations

import http.client
import os
import re
import signal
import socket
import subprocess
import time
import uuid
import xmlrpc.client
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from deploy.stack import ROUTE_COOKIE
from lib.web.ports import free_port

from .protocol import BrowserSession
from .server import process_tree_cpu_seconds

REPO_ROOT = Path(__file__).resolve().parent.parent
STACK_SH = REPO_ROOT / "deploy" / "stack.sh"
_SET_COOKIE = re.compile(r"^([^=;\s]+)=([^;]*)")
# deploy/haproxy.cfg.template's log-format, after the ISO time HAProxy puts first.
_LOG_LINE = re.compile(r'^(\S+) (\S+) \[([^\]]+)\] (\S+) "(.*)" (\d{3}) (-?\d+) (-?\d+) srv=(\S+) route=(\S+) '
                       r'term=(\S+)$')


def http_get(port: int, path: str, cookies: dict[str, str] | None = None, timeout_s: float = 10.0,
             method: str = "GET", body: bytes | None = None,
             headers: dict[str, str] | None = None) -> tuple[int, dict[str, list[str]], bytes]:
    """One request to 127.0.0.1:port (no proxy, no redirects): status, headers (lower-case names), body."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout_s)
    try:
        sent = dict(headers or {})
        if cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
        conn.request(method, path, body=body, headers=sent)
        resp = conn.getresponse()
        data = resp.read()
        out: dict[str, list[str]] = {}
        for name, value in resp.getheaders():
            out.setdefault(name.lower(), []).append(value)
        return resp.status, out, data
    finally:
        conn.close()


def cookies_from(headers: dict[str, list[str]]) -> dict[str, str]:
    found = {}
    for line in headers.get("set-cookie", []):
        if m := _SET_COOKIE.match(line):
            found[m.group(1)] = m.group(2)
    return found


def upload(port: int, cookies: dict[str, str], session_id: str, size: int = 0, timeout_s: float = 10.0) -> int:
    """PUT one CSV file of about ``size`` bytes to the session's upload endpoint, as st.file_uploader's frontend
    does; returns the status. ``Expect: 100-continue``: the body is sent only once it is wanted, so a refusal
    on the headers (HAProxy's limits) is read as the answer it is, not lost in a reset of the unread body."""
    boundary = uuid.uuid4().hex
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.csv\"\r\n"
            f"Content-Type: text/csv\r\n\r\ncode,value\r\nA1,1\r\n").encode() + b"x" * size + \
        f"\r\n--{boundary}--\r\n".encode()
    head = (f"PUT /_stcore/upload_file/{session_id}/{uuid.uuid4()} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
            f"Origin: http://127.0.0.1:{port}\r\nContent-Type: multipart/form-data; boundary={boundary}\r\n"
            f"Content-Length: {len(body)}\r\nExpect: 100-continue\r\nX-Xsrftoken: {cookies.get('_streamlit_xsrf', '')}"
            f"\r\nCookie: {'; '.join(f'{k}={v}' for k, v in cookies.items())}\r\nConnection: close\r\n\r\n")
    with socket.create_connection(("127.0.0.1", port), timeout=timeout_s) as sock:
        sock.sendall(head.encode())
        reader = sock.makefile("rb")
        status = int(reader.readline().split()[1])
        if status == 100:
            reader.readline()  # the blank line after "100 Continue"
            sock.sendall(body)
            status = int(reader.readline().split()[1])
        return status


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
    """A first visit: GET the page (HAProxy sets the route cookie), then the health endpoint with it
    (Streamlit sets its XSRF cookie there), as the frontend does before it opens the websocket."""
    status, headers, _ = http_get(port, path, timeout_s=timeout_s)
    cookies = cookies_from(headers)
    if status == 200 and ROUTE_COOKIE in cookies:
        _, headers2, _ = http_get(port, "/_stcore/health", cookies, timeout_s=timeout_s)
        cookies.update(cookies_from(headers2))
    return status, Visitor(cookies)


class _UnixHTTPConnection(http.client.HTTPConnection):
    def __init__(self, path: str) -> None:
        super().__init__("localhost")
        self.unix_path = path

    def connect(self) -> None:
        self.sock = socket.socket(socket.AF_UNIX)
        self.sock.connect(self.unix_path)


class _UnixTransport(xmlrpc.client.Transport):
    def __init__(self, path: str) -> None:
        super().__init__()
        self.unix_path = path

    def make_connection(self, host):
        return _UnixHTTPConnection(self.unix_path)


class StackProcess:
    """``deploy/stack.sh start/stop`` with its own run directory and port (and its own ports for the
    processes), on a database built beforehand."""

    def __init__(self, run_dir: Path, processes: int, db_path: Path, port: int | None = None,
                 env: dict | None = None, memory_ceiling_mb: int | None = None) -> None:
        self.run_dir = run_dir
        self.processes = processes
        self.db_path = db_path
        self.port = port or free_port()
        self.env = {**(env or os.environ), "STACK_RUN_DIR": str(run_dir), "PROCESSES": str(processes),
                    "STACK_PORT": str(self.port), "STACK_DB": str(db_path)}
        if memory_ceiling_mb:
            self.env["STACK_MEMORY_CEILING_MB"] = str(memory_ceiling_mb)

    def _sh(self, command: str, timeout_s: float = 240) -> subprocess.CompletedProcess:
        return subprocess.run(["bash", str(STACK_SH), command], cwd=REPO_ROOT, env=self.env, capture_output=True,
                              text=True, timeout=timeout_s)

    def start(self, timeout_s: float = 120) -> float:
        """Start, then wait until HAProxy has every process in rotation; returns seconds taken."""
        started = time.monotonic()
        for old in self.run_dir.glob("*.log"):  # a run directory used before: its logs start afresh
            old.unlink()
        done = self._sh("start")
        if done.returncode != 0:
            raise RuntimeError(f"stack did not start:\n{done.stdout}\n{done.stderr}\n{self.log_tail()}")
        deadline = time.monotonic() + timeout_s
        while set(self.server_status().values()) != {"UP"}:
            if time.monotonic() > deadline:
                raise RuntimeError(f"not every process came UP: {self.server_status()}\n{self.log_tail()}")
            time.sleep(0.2)
        return time.monotonic() - started

    def stop(self) -> subprocess.CompletedProcess:
        return self._sh("stop", timeout_s=90)

    def log_tail(self, lines: int = 40) -> str:
        out = []
        for name in ("supervisord.log", "haproxy.log"):
            try:
                out += [f"{name}: {line}" for line in (self.run_dir / name).read_text().splitlines()[-lines:]]
            except OSError:
                pass
        return "\n".join(out)

    # --- what supervisord sees
    def supervisor(self):
        proxy = xmlrpc.client.ServerProxy("http://localhost", transport=_UnixTransport(
            str(self.run_dir / "supervisor.sock")))
        return proxy.supervisor

    def supervisord_pid(self) -> int:
        return int((self.run_dir / "supervisord.pid").read_text())

    def programs(self) -> list[dict]:
        """Every program supervisord runs (name, group, pid, statename, start)."""
        return self.supervisor().getAllProcessInfo()

    def backends(self) -> list[dict]:
        """The Streamlit processes in port order: port, pid (0 while not running), state, and their HAProxy
        server name, which is also their route cookie's value."""
        rows = sorted((p for p in self.programs() if p["group"] == "streamlit"), key=lambda p: p["name"])
        return [{"index": i, "port": int(p["name"].rsplit("-", 1)[1]), "pid": p["pid"], "state": p["statename"],
                 "server": f"p{p['name'].rsplit('-', 1)[1]}", "cookie": f"p{p['name'].rsplit('-', 1)[1]}"}
                for i, p in enumerate(rows)]

    def backend_pids(self) -> list[int]:
        return [b["pid"] for b in self.backends()]

    # --- what HAProxy sees
    def haproxy(self, command: str) -> str:
        with socket.socket(socket.AF_UNIX) as s:
            s.settimeout(5)
            s.connect(str(self.run_dir / "haproxy.sock"))
            s.sendall(command.encode() + b"\n")
            chunks = []
            while chunk := s.recv(65536):
                chunks.append(chunk)
        return b"".join(chunks).decode()

    def server_stats(self) -> dict[str, dict]:
        lines = self.haproxy("show stat").splitlines()
        header = lines[0].lstrip("# ").split(",")
        rows = [dict(zip(header, line.split(","))) for line in lines[1:] if line]
        return {r["svname"]: r for r in rows if r["pxname"] == "streamlit" and r["svname"] not in
                ("FRONTEND", "BACKEND")}

    def server_status(self) -> dict[str, str]:
        """HAProxy server name → UP / DOWN / … ("UP 1/2": one check failed, not yet out of rotation)."""
        return {name: row["status"] for name, row in self.server_stats().items()}

    def wait_until(self, condition, timeout_s: float = 30, what: str = "") -> float:
        """Poll an observation until it holds; returns time.time() when it was seen."""
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if condition():
                return time.time()
            time.sleep(0.05)
        raise TimeoutError(f"not within {timeout_s} s: {what}\n{self.log_tail()}")

    def cpu_seconds(self) -> float:
        """CPU of every Streamlit process and of HAProxy (the whole stack's server side)."""
        pids = [p["pid"] for p in self.programs() if p["pid"] and p["group"] in ("streamlit", "haproxy")]
        return sum(process_tree_cpu_seconds(p) for p in pids)

    def kill_backend(self, index: int, sig: int = signal.SIGKILL) -> float:
        """Signal one Streamlit process (fault injection); returns the time (time.time()) it was sent."""
        pid = self.backends()[index]["pid"]
        sent = time.time()
        os.kill(pid, sig)
        return sent

    def access_log(self) -> list[dict]:
        """HAProxy's access log lines (log-format in deploy/haproxy.cfg.template), parsed."""
        rows = []
        for line in (self.run_dir / "haproxy.log").read_text(errors="replace").splitlines():
            if m := _LOG_LINE.match(line):
                method, uri = m.group(4), m.group(5)
                rows.append({"t": datetime.fromisoformat(m.group(1)).timestamp(), "method": method,
                             "path": uri.split("?")[0], "status": int(m.group(6)),
                             "server": m.group(9), "route": m.group(10), "term": m.group(11)})
        return rows

    def server_of(self, route: str, since: int = 0, wait_s: float = 2.0) -> str | None:
        """The server that HAProxy last sent this route cookie's requests to, among the log's lines from
        index ``since`` on. HAProxy writes a line after the response, so look again for up to ``wait_s``."""
        deadline = time.monotonic() + wait_s
        while True:
            for row in reversed(self.access_log()[since:]):
                if row["route"] == route and row["server"] not in ("-", "<NOSRV>"):
                    return row["server"]
            if time.monotonic() > deadline:
                return None
            time.sleep(0.02)

    def session(self, visitor: Visitor, timeout_s: float = 60, **kwargs) -> BrowserSession:
        return BrowserSession(self.port, timeout_s, headers=visitor.header(), **kwargs)
