"""The scale-out stack on loopback: nginx in front of N Streamlit processes sharing one read-only database.

    python -m deploy.stack start [--processes 2] [--port 8080]   # builds the database, starts everything, returns
    python -m deploy.stack stop                                   # stops everything it started
    python -m deploy.stack status                                 # the state file (ports, pids, up/down)
    python -m deploy.stack run ...                                # the same stack in the foreground (Ctrl-C stops)

``start`` runs ``run`` as a detached supervisor process that owns the whole stack:

* builds the database once (``python -m lib.pipeline``); every process opens that file read-only and
  is told not to rebuild it (``WENZHOU_DB_PREBUILT``), so no process imports the build pipeline;
* starts N Streamlit processes on free loopback ports, with the settings for a crowd (headless, no file
  watcher, 1 MB uploads — see :func:`streamlit_command`);
* renders ``deploy/nginx.conf.template`` into the run directory and runs nginx in the foreground;
* polls every process's ``/_stcore/health`` each ``--check-interval`` seconds: after ``--fails``
  failed checks in a row (or when the process has exited) it rewrites ``upstreams.conf`` with that
  process marked ``down`` and reloads nginx, so no new request is sent there; when the process answers
  again it is put back. With ``--restart`` (the default) a process that exited is started again;
* writes what it did to ``state.json`` (ports, pids, up/down, events with times) in the run directory.

Open-source nginx has no active health checks; its passive ``max_fails`` still covers the moment
between a crash and the next poll, and ``proxy_next_upstream`` retries a refused GET on the other process.
"""
from __future__ import annotations

import argparse
import base64
import hashlib
import html.parser
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEPLOY_DIR = ROOT / "deploy"
TEMPLATE = DEPLOY_DIR / "nginx.conf.template"
DEFAULT_RUN_DIR = DEPLOY_DIR / "run"
DEFAULT_DB = ROOT / "data" / "build" / "wenzhou_plan.duckdb"
ROUTE_COOKIE = "wzroute"
# Same name as lib.paths.PREBUILT_DB_ENV; deploy/ does not import the app's packages.
PREBUILT_DB_ENV = "WENZHOU_DB_PREBUILT"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
NGINX_MISSING = ("nginx is not installed: run `bash scripts/install_system_deps.sh` (as root; `make test` and "
                 "`make stack` do) or `apt-get install nginx`")
# A direct opener: health checks must never go through an HTTP proxy.
_DIRECT = urllib.request.build_opener(urllib.request.ProxyHandler({}))

# Content-Security-Policy, checked in Chromium (tests/browser/test_stack_csp.py): the pages, the Vega
# charts and the map render with no violation. Streamlit's Vega embed uses the CSP-safe expression
# interpreter, so no 'unsafe-eval'. 'wasm-unsafe-eval' lets WebAssembly (not JavaScript) be compiled:
# the int64 helper (long.js) in Streamlit's protobuf bundle compiles a tiny module and reports a violation
# without it. Its CSS-in-JS (emotion) injects <style> elements, hence 'unsafe-inline' for styles only.
# The one inline <script> of Streamlit's index.html is allowed by its hash.
CSP_DIRECTIVES = {
    "default-src": ["'self'"],
    "script-src": ["'self'", "'wasm-unsafe-eval'"],   # + the inline script hashes, see content_security_policy()
    "style-src": ["'self'", "'unsafe-inline'"],
    "img-src": ["'self'", "data:", "blob:"],
    "font-src": ["'self'", "data:"],
    "connect-src": ["'self'"],
    "worker-src": ["'self'", "blob:"],
    "frame-src": ["'none'"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}


class StackError(RuntimeError):
    """The stack could not start (nginx missing, a process died at start, a port taken, …)."""


def log(text: str) -> None:
    print(f"[stack {time.strftime('%H:%M:%S')}] {text}", file=sys.stderr, flush=True)


def free_loopback_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# ---------------------------------------------------------------- configuration


class _InlineScripts(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.scripts: list[str] = []
        self._inside = False

    def handle_starttag(self, tag, attrs) -> None:
        self._inside = tag == "script" and "src" not in dict(attrs)
        if self._inside:
            self.scripts.append("")

    def handle_endtag(self, tag) -> None:
        if tag == "script":
            self._inside = False

    def handle_data(self, data) -> None:
        if self._inside:
            self.scripts[-1] += data


def inline_script_hashes(index_html: str) -> list[str]:
    """CSP source expressions ('sha256-…') for every inline <script> of a page."""
    parser = _InlineScripts()
    parser.feed(index_html)
    return [f"'sha256-{base64.b64encode(hashlib.sha256(s.encode()).digest()).decode()}'" for s in parser.scripts]


def streamlit_index_html() -> str:
    import importlib.util

    spec = importlib.util.find_spec("streamlit")
    return (Path(spec.origin).parent / "static" / "index.html").read_text(encoding="utf-8")


def content_security_policy(index_html: str | None = None) -> str:
    directives = {k: list(v) for k, v in CSP_DIRECTIVES.items()}
    directives["script-src"] += inline_script_hashes(index_html or streamlit_index_html())
    return "; ".join(f"{name} {' '.join(values)}" for name, values in directives.items())


def render_nginx_conf(run_dir: Path, listen: str, csp: str) -> str:
    text = TEMPLATE.read_text(encoding="utf-8")
    for key, value in {"RUN_DIR": str(run_dir), "LISTEN": listen, "CSP": csp, "ROUTE_COOKIE": ROUTE_COOKIE}.items():
        text = text.replace(f"@{key}@", value)
    if "@" in "".join(line.split("#")[0] for line in text.splitlines()):
        raise StackError("unfilled placeholder in the nginx template")
    return text


def render_upstreams(backends: list[Backend]) -> str:
    # max_fails=1 fail_timeout=5s: the passive check (a refused connection takes the process out for 5 s)
    # until the supervisor's next poll marks it down for good.
    lines = [f"server 127.0.0.1:{b.port} max_fails=1 fail_timeout=5s{' down' if not b.up else ''};"
             for b in backends]
    return "\n".join(lines) + "\n"


def streamlit_command(port: int, public_port: int | None, script: Path = ROOT / "app.py",
                      address: str = "127.0.0.1") -> list[str]:
    """One app process, set up for a crowd (the rest comes from .streamlit/config.toml).

    ``public_port``: where browsers reach it (nginx's port), for the upload route's CORS header; None when
    the process itself is what browsers reach (a container behind a platform's load balancer)."""
    public = ["--browser.serverAddress", "127.0.0.1", "--browser.serverPort", str(public_port)] if public_port else []
    return [
        # lib/serve.py: `python -m streamlit` with Streamlit's pages/ file router off (issue 18).
        sys.executable, "-m", "lib.serve", "run", str(script),
        "--server.address", address,               # the stack: 127.0.0.1, only nginx (and this machine) reach it
        "--server.port", str(port),
        "--server.headless", "true",
        "--server.fileWatcherType", "none",        # no inotify watchers, no polling thread per file
        "--server.runOnSave", "false",
        "--global.developmentMode", "false",
        "--browser.gatherUsageStats", "false",
        "--server.maxUploadSize", "1",             # megabytes; the app's only upload is a small CSV
        # No full garbage collection after every run: with many sessions running at once each collection
        # scans the other runs' live objects, so CPU per change grew with the crowd (16 → 44 ms with 50 →
        # 100 tabs at once, flat ~10 ms without; bench/README.md). Python's own generational GC still runs.
        "--runner.postScriptGC", "false",
        *public,
    ]


def _write_atomically(path: Path, text: str) -> None:
    fd, tmp = tempfile.mkstemp(prefix=path.name + ".", dir=path.parent)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(text)
    os.replace(tmp, path)


def health(port: int, timeout_s: float = 1.0) -> bool:
    try:
        with _DIRECT.open(f"http://127.0.0.1:{port}/_stcore/health", timeout=timeout_s) as resp:
            return resp.status == 200 and resp.read().strip() == b"ok"
    except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
        return False


# ---------------------------------------------------------------- the supervisor


@dataclass
class Backend:
    index: int
    port: int
    proc: subprocess.Popen | None = None
    up: bool = False            # in nginx's rotation
    fails: int = 0              # failed health checks in a row
    starts: int = 0
    log_path: Path | None = None

    @property
    def pid(self) -> int | None:
        return self.proc.pid if self.proc else None

    def exited(self) -> bool:
        return self.proc is None or self.proc.poll() is not None


@dataclass
class Stack:
    processes: int
    port: int
    run_dir: Path
    db_path: Path
    restart: bool = True
    check_interval: float = 0.5
    fails_to_down: int = 2
    backends: list[Backend] = field(default_factory=list)
    nginx: subprocess.Popen | None = None
    events: list[dict] = field(default_factory=list)
    ready: bool = False
    _stopping: bool = False

    # --- files
    @property
    def state_path(self) -> Path:
        return self.run_dir / "state.json"

    def _event(self, what: str, **details) -> None:
        self.events.append({"t": time.time(), "event": what, **details})
        log(what + (f" {details}" if details else ""))
        self.write_state()

    def write_state(self) -> None:
        state = {
            "url": f"http://127.0.0.1:{self.port}/",
            "port": self.port,
            "ready": self.ready,
            "supervisor_pid": os.getpid(),
            "nginx_pid": self.nginx.pid if self.nginx else None,
            "database": str(self.db_path),
            "route_cookie": ROUTE_COOKIE,
            "backends": [{"index": b.index, "port": b.port, "pid": b.pid, "up": b.up, "starts": b.starts}
                         for b in self.backends],
            "events": self.events[-200:],
        }
        _write_atomically(self.state_path, json.dumps(state, indent=1))

    # --- parts
    def build_database(self) -> None:
        started = time.monotonic()
        subprocess.run([sys.executable, "-m", "lib.pipeline", "--db", str(self.db_path)], cwd=ROOT, check=True,
                       stdout=subprocess.DEVNULL)
        self._event("database built", path=str(self.db_path), seconds=round(time.monotonic() - started, 2))

    def _env(self) -> dict[str, str]:
        return {**os.environ, "WENZHOU_DB": str(self.db_path), PREBUILT_DB_ENV: "1"}

    def start_backend(self, b: Backend) -> None:
        b.log_path = self.run_dir / f"streamlit-{b.index}.log"
        with open(b.log_path, "ab") as out:
            b.proc = subprocess.Popen(streamlit_command(b.port, self.port), cwd=ROOT, env=self._env(),
                                      stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT,
                                      start_new_session=True)
        b.starts += 1
        b.fails = 0
        self._event("process started", index=b.index, port=b.port, pid=b.pid)

    def write_upstreams(self) -> None:
        _write_atomically(self.run_dir / "upstreams.conf", render_upstreams(self.backends))

    def reload_nginx(self) -> None:
        self.write_upstreams()
        if self.nginx and self.nginx.poll() is None:
            # SIGHUP: new workers read the new upstreams; old workers finish their open websockets, so
            # sessions on the living processes are not cut.
            self.nginx.send_signal(signal.SIGHUP)

    def start_nginx(self) -> None:
        if not os.path.exists(NGINX):
            raise StackError(NGINX_MISSING)
        for sub in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
            (self.run_dir / "tmp" / sub).mkdir(parents=True, exist_ok=True)
        conf = self.run_dir / "nginx.conf"
        conf.write_text(render_nginx_conf(self.run_dir, f"127.0.0.1:{self.port}", content_security_policy()),
                        encoding="utf-8")
        self.write_upstreams()
        cmd = [NGINX, "-p", str(self.run_dir), "-c", str(conf), "-e", str(self.run_dir / "nginx-error.log")]
        check = subprocess.run(cmd + ["-t", "-q"], capture_output=True, text=True)
        if check.returncode != 0:
            raise StackError(f"nginx -t failed:\n{check.stderr}")
        with open(self.run_dir / "nginx-stderr.log", "ab") as out:
            self.nginx = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT,
                                          start_new_session=True)
        self._event("nginx started", pid=self.nginx.pid, listen=f"127.0.0.1:{self.port}")

    # --- life cycle
    def start(self, startup_timeout: float = 120.0, build: bool = True) -> None:
        self.run_dir.mkdir(parents=True, exist_ok=True)
        if not os.path.exists(NGINX):
            raise StackError(NGINX_MISSING)
        if build or not self.db_path.exists():
            self.build_database()
        self.backends = [Backend(i, free_loopback_port()) for i in range(self.processes)]
        for b in self.backends:
            self.start_backend(b)
        deadline = time.monotonic() + startup_timeout
        for b in self.backends:
            while not health(b.port):
                if b.exited():
                    raise StackError(f"process {b.index} exited at start; see {b.log_path}")
                if time.monotonic() > deadline:
                    raise StackError(f"process {b.index} not healthy after {startup_timeout:.0f} s; see {b.log_path}")
                time.sleep(0.2)
            b.up = True
            self._event("process healthy", index=b.index, port=b.port)
        self.start_nginx()
        while not health(self.port):
            if self.nginx.poll() is not None or time.monotonic() > deadline:
                raise StackError(f"nginx did not come up; see {self.run_dir / 'nginx-error.log'}")
            time.sleep(0.1)
        self.ready = True
        self._event("ready", url=f"http://127.0.0.1:{self.port}/")

    def check_once(self) -> None:
        changed = False
        for b in self.backends:
            alive = not b.exited()
            ok = alive and health(b.port, timeout_s=max(0.5, self.check_interval * 2))
            if ok:
                b.fails = 0
                if not b.up:
                    b.up, changed = True, True
                    self._event("process marked up", index=b.index, port=b.port)
                continue
            b.fails += 1
            if b.up and (not alive or b.fails >= self.fails_to_down):
                b.up, changed = False, True
                self._event("process marked down", index=b.index, port=b.port,
                            reason="exited" if not alive else f"{b.fails} failed health checks")
            if not alive and self.restart and not self._stopping:
                code = b.proc.returncode if b.proc else None
                self._event("process exited", index=b.index, port=b.port, returncode=code)
                self.start_backend(b)
        if changed:
            self.reload_nginx()
            self._event("nginx reloaded", up=[b.index for b in self.backends if b.up])
        if self.nginx and self.nginx.poll() is not None and not self._stopping:
            self._event("nginx exited; restarting", returncode=self.nginx.returncode)
            self.start_nginx()

    def serve(self) -> None:
        signal.signal(signal.SIGTERM, lambda *_: self._request_stop())
        signal.signal(signal.SIGINT, lambda *_: self._request_stop())
        while not self._stopping:
            self.check_once()
            time.sleep(self.check_interval)

    def _request_stop(self) -> None:
        self._stopping = True

    def stop(self) -> None:
        self._stopping = True
        procs = [p for p in [self.nginx, *(b.proc for b in self.backends)] if p is not None]
        for p in procs:
            if p.poll() is None:
                try:
                    os.killpg(p.pid, signal.SIGTERM)
                except ProcessLookupError:
                    pass
        deadline = time.monotonic() + 10
        for p in procs:
            try:
                p.wait(max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                try:
                    os.killpg(p.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                p.wait(5)
        for b in self.backends:
            b.up = False
        self.ready = False
        self._event("stopped")


# ---------------------------------------------------------------- command line


def read_state(run_dir: Path) -> dict | None:
    try:
        return json.loads((run_dir / "state.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _alive(pid: int | None) -> bool:
    if not pid:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # A zombie (exited, not yet reaped by its parent) still answers kill(0).
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(") ")[-1][:1] != "Z"
    except OSError:
        return False


def cmd_process(args) -> int:
    """Become one app process with the crowd settings (the Docker image's command)."""
    cmd = streamlit_command(args.port, None, address=args.address)
    os.chdir(ROOT)
    os.execv(cmd[0], cmd)
    return 1  # not reached


def cmd_run(args) -> int:
    stack = Stack(args.processes, args.port, args.run_dir.resolve(), args.db.resolve(), restart=args.restart,
                  check_interval=args.check_interval, fails_to_down=args.fails)
    try:
        stack.start(args.startup_timeout, build=args.build)
        stack.serve()
    except StackError as exc:
        log(f"error: {exc}")
        return 1
    finally:
        stack.stop()
    return 0


def cmd_start(args) -> int:
    run_dir = args.run_dir.resolve()
    state = read_state(run_dir)
    if state and _alive(state.get("supervisor_pid")):
        print(f"already running: {state['url']} (stop it with `make stack-stop`)")
        return 0
    if not os.path.exists(NGINX):
        print(NGINX_MISSING, file=sys.stderr)
        return 1
    run_dir.mkdir(parents=True, exist_ok=True)
    (run_dir / "state.json").unlink(missing_ok=True)
    cmd = [sys.executable, "-m", "deploy.stack", "run", "--processes", str(args.processes), "--port", str(args.port),
           "--run-dir", str(run_dir), "--db", str(args.db.resolve()), "--check-interval", str(args.check_interval),
           "--fails", str(args.fails), "--startup-timeout", str(args.startup_timeout)]
    if not args.restart:
        cmd.append("--no-restart")
    if not args.build:
        cmd.append("--no-build")
    with open(run_dir / "supervisor.log", "ab") as out:
        sup = subprocess.Popen(cmd, cwd=ROOT, stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT,
                               start_new_session=True)
    (run_dir / "supervisor.pid").write_text(str(sup.pid))
    deadline = time.monotonic() + args.startup_timeout + 30
    while time.monotonic() < deadline:
        state = read_state(run_dir)
        if state and state.get("ready"):
            print(f"stack ready: {state['url']}  ({args.processes} Streamlit processes behind nginx; "
                  f"`make stack-stop` stops it; logs in {run_dir})")
            return 0
        if sup.poll() is not None:
            print(f"stack failed to start; see {run_dir / 'supervisor.log'}:", file=sys.stderr)
            print((run_dir / "supervisor.log").read_text(errors="replace")[-3000:], file=sys.stderr)
            return 1
        time.sleep(0.3)
    print("stack not ready in time; stopping it", file=sys.stderr)
    cmd_stop(args)
    return 1


def cmd_stop(args) -> int:
    run_dir = args.run_dir.resolve()
    pid_file = run_dir / "supervisor.pid"
    try:
        pid = int(pid_file.read_text())
    except (OSError, ValueError):
        print("no stack running here")
        return 0
    if _alive(pid):
        os.kill(pid, signal.SIGTERM)
        deadline = time.monotonic() + 30
        while _alive(pid) and time.monotonic() < deadline:
            time.sleep(0.2)
        if _alive(pid):
            os.killpg(pid, signal.SIGKILL)
    pid_file.unlink(missing_ok=True)
    print("stack stopped")
    return 0


def cmd_status(args) -> int:
    state = read_state(args.run_dir.resolve())
    if not state:
        print("no stack state here")
        return 1
    state["supervisor_alive"] = _alive(state.get("supervisor_pid"))
    print(json.dumps({k: v for k, v in state.items() if k != "events"}, indent=1))
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m deploy.stack", description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    for name in ("start", "run", "stop", "status"):
        p = sub.add_parser(name)
        p.add_argument("--run-dir", type=Path, default=DEFAULT_RUN_DIR, help="state, logs, rendered nginx.conf")
        if name in ("start", "run"):
            p.add_argument("--processes", type=int, default=2, help="Streamlit processes (default 2)")
            p.add_argument("--port", type=int, default=8080, help="nginx port on 127.0.0.1 (default 8080)")
            p.add_argument("--db", type=Path, default=DEFAULT_DB, help="database file, built at start")
            p.add_argument("--check-interval", type=float, default=0.5, help="seconds between health checks")
            p.add_argument("--fails", type=int, default=2, help="failed checks in a row that mark a process down")
            p.add_argument("--startup-timeout", type=float, default=120)
            p.add_argument("--no-restart", dest="restart", action="store_false",
                           help="leave a process that exited down instead of starting it again")
            p.add_argument("--no-build", dest="build", action="store_false",
                           help="use the database file as it is when it exists (tests, benchmark)")
    one = sub.add_parser("process", help="exec one Streamlit process with the crowd settings (containers)")
    one.add_argument("--port", type=int, default=8501)
    one.add_argument("--address", default="0.0.0.0")
    args = parser.parse_args(argv)
    if getattr(args, "processes", 1) < 1:
        parser.error("--processes must be ≥ 1")
    return {"start": cmd_start, "run": cmd_run, "stop": cmd_stop, "status": cmd_status,
            "process": cmd_process}[args.command](args)


if __name__ == "__main__":
    sys.exit(main())
