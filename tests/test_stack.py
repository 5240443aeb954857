"""The one-machine stack on loopback (deploy/): supervisord running HAProxy in front of two real Streamlit
processes, with superlance's httpok and memmon.

What a browser relies on: the page and the websocket pass through; every request of one browser reaches
the process that holds its session (an upload to the session's endpoint works there and fails on the
other); metrics are not public, however spelled; security headers are on every response; over-long
addresses get a page; uploads are bounded. What an operator relies on: a process that dies or hangs is
taken out by HAProxy's own check and started again by supervisord / httpok, a process over its memory
ceiling is restarted by memmon, nobody on the other process notices, and `make stack-stop` leaves nothing.
"""
from __future__ import annotations

import asyncio
import base64
import concurrent.futures
import hashlib
import os
import re
import signal
import socket
import subprocess
import time

import pytest
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed, InvalidStatus

from bench.memory import process_memory
from bench.stack import StackProcess, Visitor, http_get, upload, visit
from deploy.stack import ROUTE_COOKIE, UPLOAD_LIMITS
from tests.conftest import ROOT
from tests.stack_fixtures import fresh_stack, stack, started_stack  # noqa: F401  (fixtures)

pytestmark = pytest.mark.stack
XSRF_COOKIE = "_streamlit_xsrf"


def _run(coro, timeout_s: float = 120):
    # In a thread of its own: Playwright's sync API (the browser tests' session fixture) keeps an event
    # loop running in the main thread, where asyncio.run() refuses to start another.
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, asyncio.wait_for(coro, timeout_s)).result()


def _visitor_on(s: StackProcess, index: int) -> Visitor:
    """A browser whose route cookie (as HAProxy hands it out) names process ``index``; with its XSRF cookie."""
    cookies = {ROUTE_COOKIE: s.backends()[index]["cookie"]}
    _, headers, _ = http_get(s.port, "/_stcore/health", cookies)
    cookies.update(c.split(";")[0].split("=", 1) for c in headers.get("set-cookie", []) if c.startswith(XSRF_COOKIE))
    return Visitor(cookies)


def _listening(ports: set[int]) -> set[int]:
    """Which of these TCP ports something on this machine listens on (any address)."""
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in open(table).read().splitlines()[1:]:
            fields = line.split()
            if fields[3] == "0A" and int(fields[1].rsplit(":", 1)[1], 16) in ports:
                found.add(int(fields[1].rsplit(":", 1)[1], 16))
    return found


def _alive(pid: int) -> bool:
    """Running (a zombie waiting for its parent does not count)."""
    try:
        return open(f"/proc/{pid}/stat").read().rsplit(") ", 1)[1][:1] != "Z"
    except OSError:
        return False


def test_page_loads_with_security_headers(stack):
    status, headers, body = http_get(stack.port, "/")
    assert status == 200 and b'id="root"' in body
    csp = headers["content-security-policy"]
    assert len(csp) == 1
    directives = dict(d.strip().split(" ", 1) for d in csp[0].split(";"))
    assert directives["default-src"] == "'self'" and directives["frame-ancestors"] == "'none'"
    assert directives["object-src"] == "'none'" and directives["connect-src"] == "'self'"
    assert "'unsafe-eval'" not in csp[0] and "'unsafe-inline'" not in directives["script-src"]
    # Each inline script of the page is allowed by its hash (computed here from the page as served).
    inline = re.findall(rb"<script>(.*?)</script>", body, re.S)
    assert inline, "Streamlit's index.html has an inline script; the CSP must name its hash"
    for script in inline:
        digest = base64.b64encode(hashlib.sha256(script).digest()).decode()
        assert f"'sha256-{digest}'" in directives["script-src"]
    # Exactly one of each (the app's own X-Content-Type-Options is replaced, not doubled).
    assert headers["x-content-type-options"] == ["nosniff"]
    assert headers["referrer-policy"] == ["same-origin"]
    assert headers["x-frame-options"] == ["DENY"]
    assert "server" not in headers  # no server name or version
    route = [c for c in headers["set-cookie"] if c.startswith(f"{ROUTE_COOKIE}=")]
    assert len(route) == 1 and re.match(rf"{ROUTE_COOKIE}=p\d+;", route[0])
    assert "HttpOnly" in route[0] and "SameSite=Lax" in route[0]
    assert route[0].split(";")[0].split("=")[1] in {b["cookie"] for b in stack.backends()}
    # The headers are on everything answered: static files, the app's 404s, HAProxy's own answers.
    for path in ("/app/static/district_metrics.json", "/no-such-file.js", "/_stcore/metrics", "/?q=" + "x" * 9000):
        _, h, _ = http_get(stack.port, path)
        assert h["content-security-policy"] == csp and h["x-content-type-options"] == ["nosniff"], path
        assert "server" not in h, path


def test_websocket_works_through_the_balancer(stack):
    status, visitor = visit(stack.port)
    assert status == 200 and XSRF_COOKIE in visitor.cookies

    async def browse():
        session = stack.session(visitor)
        await session.connect()
        try:
            return [await session.rerun(code) for code in ("330381", "330302", "330383")]
        finally:
            await session.close()

    results = _run(browse())
    assert all(r.latency_s > 0 and r.bytes_received > 500 for r in results)


def test_websocket_from_another_origin_is_refused(stack):
    """HAProxy passes Host unchanged, so Streamlit's same-origin check still works behind it."""
    async def attempt():
        async with connect(f"ws://127.0.0.1:{stack.port}/_stcore/stream", subprotocols=["streamlit"],
                           origin="http://evil.example", proxy=None, open_timeout=10) as ws:
            await ws.recv()

    with pytest.raises((ConnectionClosed, InvalidStatus)):
        _run(attempt(), timeout_s=20)


def test_sticky_routing_keeps_a_browser_on_its_process(stack):
    status, visitor = visit(stack.port)
    assert status == 200
    log_start = len(stack.access_log())
    for path in ("/", "/_stcore/host-config", "/app/static/district_metrics.json", "/_stcore/health") * 3:
        assert http_get(stack.port, path, visitor.cookies)[0] == 200
    time.sleep(0.5)  # HAProxy writes each line after its answer
    servers = {row["server"] for row in stack.access_log()[log_start:] if row["route"] == visitor.route}
    assert servers == {visitor.route}, servers  # the cookie's value is the server it names
    other = next(b["cookie"] for b in stack.backends() if b["cookie"] != visitor.route)

    async def upload_both_ways():
        session = stack.session(visitor)
        await session.connect()
        try:
            await session.rerun("330381")
            # Same browser, its own route cookie: the upload reaches the process holding the session.
            same = upload(stack.port, visitor.cookies, session.session_id)
            # The same request routed to the other process: that process has no such session.
            elsewhere = upload(stack.port, {**visitor.cookies, ROUTE_COOKIE: other}, session.session_id)
            return same, elsewhere
        finally:
            await session.close()

    same, elsewhere = _run(upload_both_ways())
    assert same == 204
    assert elsewhere == 400  # Streamlit: "Invalid session_id"
    time.sleep(0.5)
    ws_rows = [r for r in stack.access_log() if r["path"] == "/_stcore/stream" and r["route"] == visitor.route]
    assert ws_rows and {r["server"] for r in ws_rows} == {visitor.route}


def test_a_cookie_naming_no_process_is_replaced(stack):
    status, headers, _ = http_get(stack.port, "/", {ROUTE_COOKIE: "p1; x=<script>"})
    new = [c for c in headers["set-cookie"] if c.startswith(f"{ROUTE_COOKIE}=")]
    assert status == 200 and len(new) == 1
    assert new[0].split(";")[0].split("=")[1] in {b["cookie"] for b in stack.backends()}


@pytest.mark.parametrize("path", ["/_stcore/metrics", "/_stcore/metrics/", "/_stcore/%6Detrics", "//_stcore/metrics",
                                  "/_stcore//metrics", "/_stcore/./metrics", "/_stcore/%2E/metrics",
                                  "/_stcore%2Fmetrics", "/x/_stcore/metrics", "/_stcore/metrics?x=1",
                                  "/_stcore/agent/openapi.json", "/_stcore/%61gent/"])
def test_metrics_are_not_reachable_through_the_balancer(stack, path):
    status, _, body = http_get(stack.port, path)
    assert status == 404 and b"session_events" not in body


def test_metrics_exist_on_each_process_loopback_only(stack):
    """What HAProxy hides is real (Prometheus text); the processes listen on 127.0.0.1 only."""
    for backend in stack.backends():
        status, _, body = http_get(backend["port"], "/_stcore/metrics")
        assert status == 200 and b"session_events" in body
        listening = open("/proc/net/tcp").read().split("\n")[1:]
        local = {line.split()[1] for line in listening if line.strip() and line.split()[3] == "0A"}
        assert f"0100007F:{backend['port']:04X}" in local
        assert f"00000000:{backend['port']:04X}" not in local


@pytest.mark.parametrize("length", [9_000, 30_000])
def test_an_over_long_address_gets_a_page_in_both_languages(stack, length):
    status, headers, body = http_get(stack.port, "/investment?district=" + "3" * length)
    assert status == 414 and headers["content-type"] == ["text/html; charset=utf-8"]
    text = body.decode()
    assert "链接过长" in text and "Link too long" in text and "<script" not in text
    assert http_get(stack.port, "/investment?district=" + "3" * 8000)[0] == 200  # under 8 KB: the app


def test_uploads_are_bounded_at_the_balancer(fresh_stack):
    s = fresh_stack
    visitor, other_visitor = _visitor_on(s, 0), _visitor_on(s, 1)
    pid = s.backends()[0]["pid"]
    # Too big for server.maxUploadSize, said up front: refused before any body is read.
    big = http_get(s.port, "/_stcore/upload_file/x/y", visitor.cookies, method="PUT", body=b"x",
                   headers={"Content-Length": str(3 << 20)})[0]
    assert big == 413
    # No Content-Length (chunked): refused, the size could not be checked up front.
    with socket.create_connection(("127.0.0.1", s.port), timeout=10) as raw:
        raw.sendall(b"PUT /_stcore/upload_file/x/y HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\n"
                    b"1\r\nx\r\n0\r\n\r\n")
        assert raw.recv(100).split()[1] == b"411"

    async def flood():
        session, other = s.session(visitor), s.session(other_visitor)
        await session.connect()
        await other.connect()
        try:
            await session.rerun("330381")
            await other.rerun("330381")
            before = process_memory(pid)["rss_mb"]
            statuses = [await asyncio.to_thread(upload, s.port, visitor.cookies, session.session_id, 900_000)
                        for _ in range(40)]
            after = process_memory(pid)["rss_mb"]
            answered = await other.rerun("330302")  # the other session is unaffected
            return statuses, after - before, answered
        finally:
            await session.close()
            await other.close()

    statuses, grown_mb, answered = _run(flood())
    assert set(statuses) == {204, 429}, statuses
    accepted = statuses.count(204)
    assert accepted <= UPLOAD_LIMITS["UPLOADS_PER_10S"]
    assert statuses[:accepted] == [204] * accepted  # the first ones, until a limit was reached
    # All 40 would hold ≈36 MB; what was let through, ≤ 10 × 0.9 MB.
    assert grown_mb < 18, f"{grown_mb:.0f} MB held after {accepted} accepted uploads"
    assert answered.bytes_received > 500


def test_a_killed_process_is_taken_out_and_started_again(fresh_stack):
    s = fresh_stack
    dead, live = s.backends()
    live_visitor, dead_visitor = _visitor_on(s, 1), _visitor_on(s, 0)

    async def scenario():
        session = s.session(live_visitor)
        await session.connect()
        try:
            await session.rerun("330381")
            s.kill_backend(0)
            # HAProxy's own check sees it fail ("UP 1/3", then DOWN). supervisord starts a new process about a
            # second later, which may answer before the third failed check: then it never shows DOWN, and the
            # returning browser below (a refused connection: observe layer4) is what takes it out.
            s.wait_until(lambda: s.server_status()[dead["server"]] != "UP", 15, "killed process failing its checks")
            # A returning browser of the dead process, at once: sent to the living one and told so.
            returning = http_get(s.port, "/", dead_visitor.cookies)
            # The session on the living process carries on.
            carried_on = [await session.rerun(code) for code in ("330302", "330303", "330304")]
            log_start = len(s.access_log())
            first_visits = [visit(s.port)[0] for _ in range(20)]
            # A browser whose process died reconnects: the websocket reaches a living process.
            moved = s.session(dead_visitor)
            await moved.connect()
            try:
                moved_result = await moved.rerun("330381")
            finally:
                await moved.close()
            return carried_on, first_visits, returning, moved_result, log_start
        finally:
            await session.close()

    carried_on, first_visits, returning, moved_result, log_start = _run(scenario())
    assert all(r.bytes_received > 500 for r in carried_on)
    assert first_visits == [200] * 20 and returning[0] == 200
    # Told its new process, so it stays there when the old one is back (supervisord restarts it at once).
    assert f"{ROUTE_COOKIE}={live['cookie']};" in ";".join(returning[1]["set-cookie"])
    assert moved_result.bytes_received > 500
    time.sleep(0.5)
    after = s.access_log()[log_start:]
    assert after and all(row["status"] < 500 for row in after)
    s.wait_until(lambda: s.backends()[0]["pid"] not in (0, dead["pid"]), 30, "process started again")
    s.wait_until(lambda: s.server_status()[dead["server"]] == "UP", 90, "restarted process UP")
    assert http_get(s.port, "/_stcore/health", dead_visitor.cookies)[0] == 200


def test_a_hung_process_is_taken_out_by_the_balancer_and_restarted_by_httpok(fresh_stack):
    """SIGSTOP: the process is alive and its port accepts connections, but it answers nothing. HAProxy's
    health check takes it out and closes its websockets; httpok's check makes supervisord restart it.
    Sessions on the other process and new visitors see nothing of it."""
    s = fresh_stack
    hung, live = s.backends()
    hung_visitor, live_visitor = _visitor_on(s, 0), _visitor_on(s, 1)
    results = {"live_ok": 0, "live_failed": 0, "visits": [], "hung_tab": None}

    async def scenario():
        live_tab, hung_tab = s.session(live_visitor), s.session(hung_visitor)
        await live_tab.connect()
        await hung_tab.connect()
        await live_tab.rerun("330381")
        await hung_tab.rerun("330381")
        stopped_at = s.kill_backend(0, signal.SIGSTOP)
        end = time.monotonic() + 12

        async def clicks():
            i = 0
            while time.monotonic() < end:
                i += 1
                try:
                    await live_tab.rerun(("330302", "330303", "330304")[i % 3], timeout_s=10)
                    results["live_ok"] += 1
                except Exception:  # noqa: BLE001 (any failure counts)
                    results["live_failed"] += 1
                await asyncio.sleep(0.3)

        async def newcomers():
            while time.monotonic() < end:
                try:
                    results["visits"].append((await asyncio.to_thread(visit, s.port, "/", 15))[0])
                except OSError:
                    results["visits"].append(0)
                await asyncio.sleep(0.2)

        async def hung_tab_reconnects():
            # The tab's websocket is closed by HAProxy when its process is marked down; the browser reconnects
            # with the same cookies, and lands on the living process.
            try:
                await hung_tab.rerun("330302", timeout_s=15)
                results["hung_tab"] = "answered while hung"
            except Exception:  # noqa: BLE001
                await hung_tab.close()
                await hung_tab.connect()
                hung_tab.page_script_hash = ""
                results["hung_tab"] = (await hung_tab.rerun("330302", timeout_s=15)).bytes_received

        try:
            await asyncio.gather(clicks(), newcomers(), hung_tab_reconnects())
        finally:
            await live_tab.close()
            await hung_tab.close()
        return stopped_at

    stopped_at = _run(scenario())
    assert results["live_failed"] == 0 and results["live_ok"] > 10
    assert results["visits"] and all(v == 200 for v in results["visits"]), results["visits"]
    assert isinstance(results["hung_tab"], int) and results["hung_tab"] > 500, results["hung_tab"]
    # Out of rotation by HAProxy's own check (a timeout, not a refused connection: the process is there) ...
    assert re.search(rf"Server streamlit/{hung['server']} is DOWN, reason: Layer7 timeout",
                     (s.run_dir / "haproxy.log").read_text())
    # ... and restarted: httpok asked supervisord, which stopped it (SIGKILL after SIGTERM) and started it.
    s.wait_until(lambda: s.backends()[0]["pid"] not in (0, hung["pid"]), 40, "hung process replaced")
    assert not _alive(hung["pid"])
    assert "streamlit:streamlit-" in (s.run_dir / f"httpok-{hung['port']}.log").read_text()
    s.wait_until(lambda: s.server_status()[hung["server"]] == "UP", 90, "restarted process UP")
    assert live["pid"] == s.backends()[1]["pid"]  # the other process was left alone


def test_a_process_over_its_memory_ceiling_is_restarted_by_memmon(tmp_path_factory, plan_db):
    """With the ceiling set under what one page needs (≈230 MB), memmon restarts the process that served it."""
    s = started_stack(tmp_path_factory, plan_db, memory_ceiling_mb=150)
    try:
        loaded, idle = s.backends()
        visitor = _visitor_on(s, 0)

        async def load_page():
            tab = s.session(visitor)
            await tab.connect()
            try:
                await tab.rerun("330381")
            finally:
                await tab.close()

        _run(load_page())
        s.wait_until(lambda: s.backends()[0]["pid"] not in (0, loaded["pid"]), 40, "memmon restart")
        assert re.search(r"Restarting streamlit:streamlit-\d+", (s.run_dir / "memmon.log").read_text())
        assert s.backends()[1]["pid"] == idle["pid"]  # ≈55 MB before any page: under the ceiling, left alone
    finally:
        s.stop()


@pytest.mark.parametrize("supervisord_killed", [False, True], ids=["orderly", "supervisord-killed-first"])
def test_stack_stop_leaves_no_process_and_no_listening_port(tmp_path_factory, plan_db, supervisord_killed):
    s = started_stack(tmp_path_factory, plan_db)
    try:
        programs = s.programs()
        pids = [s.supervisord_pid()] + [p["pid"] for p in programs]
        holding_ports = [p["pid"] for p in programs if p["group"] in ("streamlit", "haproxy")]
        ports = {s.port} | {b["port"] for b in s.backends()}
        assert len(pids) == 1 + 2 + 1 + 2 + 1 and all(_alive(p) for p in pids)  # 2 processes, HAProxy, httpok ×2, memmon
        assert _listening(ports) == ports
        if supervisord_killed:
            # HAProxy and the app processes stay, orphaned, holding their ports (httpok and memmon end with
            # supervisord's pipe): what `make stack-stop` must still clean up.
            os.kill(pids[0], signal.SIGKILL)
            time.sleep(0.5)
            assert all(_alive(p) for p in holding_ports) and _listening(ports) == ports
    finally:
        done = subprocess.run(["make", "-s", "stack-stop", f"STACK_RUN_DIR={s.run_dir}"], cwd=ROOT, capture_output=True,
                              text=True, timeout=90)
    assert done.returncode == 0, done.stdout + done.stderr
    assert [p for p in pids if _alive(p)] == []
    left = _listening(ports)
    assert left == set(), subprocess.run(["ss", "-ltnp"], capture_output=True, text=True).stdout
