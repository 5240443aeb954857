"""Start, watch and stop one Streamlit server subprocess on a loopback port."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from lib.web.ports import free_port

_CLK_TCK = os.sysconf("SC_CLK_TCK")
# A direct opener: the health check must never go through an HTTP proxy.
_NO_PROXY = urllib.request.build_opener(urllib.request.ProxyHandler({}))


class ServerError(RuntimeError):
    """The server did not start, or died."""


def _proc_stat_fields(pid: int) -> list[str]:
    with open(f"/proc/{pid}/stat") as f:
        stat = f.read()
    # The command name (field 2) may contain spaces; everything after its ')' is
    # space-separated, starting with field 3 (state).
    return stat[stat.rindex(")") + 2 :].split()


def _children(pid: int) -> list[int]:
    kids = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                if int(_proc_stat_fields(int(entry))[1]) == pid:  # field 4: ppid
                    kids.append(int(entry))
            except (OSError, ValueError, IndexError):
                pass  # the process went away while we looked
    return kids


def process_tree_cpu_seconds(pid: int) -> float:
    """utime+stime of pid and its live descendants, plus reaped children's.

    Fields 14-17 of /proc/<pid>/stat: utime, stime, cutime, cstime (in ticks);
    cutime/cstime already hold children that exited and were waited for.
    """
    total_ticks = 0
    pending = [pid]
    while pending:
        p = pending.pop()
        try:
            fields = _proc_stat_fields(p)
        except OSError:
            continue
        total_ticks += sum(int(x) for x in fields[11:15])
        pending.extend(_children(p))
    return total_ticks / _CLK_TCK


class StreamlitServer:
    """`python -m lib.web.serve run <script>` (`streamlit run` as the explorer is started) on 127.0.0.1:<free port>."""

    def __init__(self, name: str, script: Path, cwd: Path, log_dir: Path, env: dict | None = None,
                 extra_args: tuple[str, ...] = (), launcher: tuple[str, ...] = ("-m", "lib.web.serve")) -> None:
        """``extra_args``: more Streamlit options (e.g. ``--runner.postScriptGC false``); ``launcher``: what
        follows the interpreter instead of ``-m lib.web.serve`` (bench/instrumented.py: ``-m bench.instrumented
        … --``, which starts through lib.web.serve too)."""
        self.name = name
        self.extra_args = tuple(extra_args)
        self.launcher = tuple(launcher)
        self.script = script
        self.cwd = cwd
        self.env = env  # None: inherit ours
        self.port = free_port()
        self.log_path = log_dir / f"server-{name}.log"
        self.proc: subprocess.Popen | None = None

    @property
    def pid(self) -> int:
        assert self.proc is not None
        return self.proc.pid

    def start(self) -> None:
        cmd = [
            sys.executable, *self.launcher, "run", str(self.script),
            "--server.address", "127.0.0.1",
            "--server.port", str(self.port),
            "--server.headless", "true",
            "--global.developmentMode", "false",
            "--browser.gatherUsageStats", "false",
            "--server.fileWatcherType", "none",
            *self.extra_args,
        ]
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        with open(self.log_path, "wb") as log:
            self.proc = subprocess.Popen(
                cmd,
                cwd=self.cwd,  # the repo root, so the app's relative paths and .streamlit/ apply
                env=self.env,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                # Own process group: stop() can then take down anything the server spawned.
                start_new_session=True,
            )

    def wait_healthy(self, timeout_s: float) -> float:
        """Poll /_stcore/health until it answers 'ok'; return seconds taken."""
        started = time.monotonic()
        url = f"http://127.0.0.1:{self.port}/_stcore/health"
        while time.monotonic() - started < timeout_s:
            if self.proc is None or self.proc.poll() is not None:
                raise ServerError(f"{self.name} server exited early\n{self.log_tail()}")
            try:
                with _NO_PROXY.open(url, timeout=2) as resp:
                    if resp.read().strip() == b"ok":
                        return time.monotonic() - started
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            time.sleep(0.2)
        raise ServerError(f"{self.name} server not healthy after {timeout_s}s\n{self.log_tail()}")

    def check_alive(self) -> None:
        if self.proc is None or self.proc.poll() is not None:
            raise ServerError(f"{self.name} server died\n{self.log_tail()}")

    def cpu_seconds(self) -> float:
        return process_tree_cpu_seconds(self.pid)

    def stop(self) -> None:
        """SIGTERM the server's process group; SIGKILL it if still there after 10 s."""
        if self.proc is None or self.proc.poll() is not None:
            return
        for sig, wait_s in ((signal.SIGTERM, 10), (signal.SIGKILL, 5)):
            try:
                os.killpg(self.proc.pid, sig)  # the group we created in start()
            except ProcessLookupError:
                return
            try:
                self.proc.wait(wait_s)
                return
            except subprocess.TimeoutExpired:
                continue

    def log_tail(self, lines: int = 30) -> str:
        try:
            text = self.log_path.read_text(errors="replace")
        except OSError:
            return "(no server log)"
        return "\n".join(f"    | {line}" for line in text.splitlines()[-lines:])
