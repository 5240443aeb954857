"""The nginx stack on loopback (deploy/): real nginx in front of two real Streamlit processes.

What a browser relies on: the page and the websocket pass through; every request of one browser reaches
the process that holds its session (an upload to the session's endpoint works there and fails on the
other); the metrics endpoint is not public; security headers are on every response; a process that
dies is taken out and nobody gets a 5xx after that.
"""
from __future__ import annotations

import asyncio
import base64
import concurrent.futures
import hashlib
import http.client
import re
import signal
import time
import uuid

import pytest
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed, InvalidStatus

from bench.stack import StackProcess, Visitor, http_get, new_route_cookie, visit
from deploy.stack import ROUTE_COOKIE
from tests.stack_fixtures import fresh_stack, restarting_stack, stack  # noqa: F401  (fixtures)

XSRF_COOKIE = "_streamlit_xsrf"


def _run(coro, timeout_s: float = 120):
    # In a thread of its own: Playwright's sync API (the browser tests' session fixture) keeps an event
    # loop running in the main thread, where asyncio.run() refuses to start another.
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, asyncio.wait_for(coro, timeout_s)).result()


def _cookie_per_backend(s: StackProcess, wanted: int = 2) -> dict[str, str]:
    """A route cookie for each process (host:port → cookie), found by asking nginx and reading its log."""
    found: dict[str, str] = {}
    for _ in range(200):
        cookie, log_start = new_route_cookie(), len(s.access_log())
        assert http_get(s.port, "/_stcore/health", {ROUTE_COOKIE: cookie})[0] == 200
        if upstream := s.upstream_of(cookie, since=log_start):
            found.setdefault(upstream, cookie)
        if len(found) == wanted:
            return found
    raise AssertionError(f"200 random route cookies reached only {sorted(found)}")


def _upload(port: int, cookies: dict[str, str], session_id: str) -> int:
    """PUT one small file to the session's upload endpoint, as st.file_uploader's frontend does."""
    boundary = uuid.uuid4().hex
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.csv\"\r\n"
            f"Content-Type: text/csv\r\n\r\ncode,value\r\nA1,1\r\n--{boundary}--\r\n").encode()
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.request("PUT", f"/_stcore/upload_file/{session_id}/{uuid.uuid4()}", body=body, headers={
            "Content-Type": f"multipart/form-data; boundary={boundary}",
            "Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items()),
            "X-Xsrftoken": cookies[XSRF_COOKIE],
            "Origin": f"http://127.0.0.1:{port}",
        })
        return conn.getresponse().status
    finally:
        conn.close()


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
    assert "server" not in headers or headers["server"] == ["nginx"]  # no version number
    route = [c for c in headers["set-cookie"] if c.startswith(f"{ROUTE_COOKIE}=")]
    assert len(route) == 1 and re.match(rf"{ROUTE_COOKIE}=[0-9a-f]{{32}};", route[0])
    assert "HttpOnly" in route[0] and "SameSite=Lax" in route[0]
    # The headers are on everything nginx answers: static files, the app's 404s, nginx's own 404s.
    for path in ("/app/static/district_metrics.json", "/no-such-page/_stcore/health", "/_stcore/metrics"):
        _, h, _ = http_get(stack.port, path)
        assert h["content-security-policy"] == csp and h["x-content-type-options"] == ["nosniff"], path


def test_websocket_works_through_nginx(stack):
    status, visitor = visit(stack.port)
    assert status == 200 and XSRF_COOKIE in visitor.cookies

    async def browse():
        session = stack.session(visitor)
        await session.connect()
        try:
            return session.session_id, [await session.rerun(code) for code in ("330381", "330302", "330383")]
        finally:
            await session.close()

    _, results = _run(browse())
    assert all(r.latency_s > 0 and r.bytes_received > 500 for r in results)


def test_websocket_from_another_origin_is_refused(stack):
    """nginx passes Host with its port, so Streamlit's same-origin check still works behind it."""
    async def attempt():
        async with connect(f"ws://127.0.0.1:{stack.port}/_stcore/stream", subprotocols=["streamlit"],
                           origin="http://evil.example", proxy=None, open_timeout=10) as ws:
            await ws.recv()

    with pytest.raises((ConnectionClosed, InvalidStatus)):
        _run(attempt(), timeout_s=20)


def test_sticky_routing_keeps_a_browser_on_its_process(stack):
    status, visitor = visit(stack.port)
    assert status == 200
    for path in ("/", "/_stcore/host-config", "/app/static/district_metrics.json", "/_stcore/health") * 3:
        assert http_get(stack.port, path, visitor.cookies)[0] == 200
    upstreams = {row["upstream"] for row in stack.access_log() if row["route"] == visitor.route}
    assert len(upstreams) == 1, upstreams
    own = upstreams.pop()
    other_cookie = next(c for up, c in _cookie_per_backend(stack).items() if up != own)

    async def upload_both_ways():
        session = stack.session(visitor)
        await session.connect()
        try:
            await session.rerun("330381")
            # Same browser, its own route cookie: the upload reaches the process holding the session.
            same = _upload(stack.port, visitor.cookies, session.session_id)
            # The same request routed to the other process: that process has no such session.
            elsewhere = _upload(stack.port, {**visitor.cookies, ROUTE_COOKIE: other_cookie}, session.session_id)
            return same, elsewhere
        finally:
            await session.close()

    same, elsewhere = _run(upload_both_ways())
    assert same == 204
    assert elsewhere == 400  # Streamlit: "Invalid session_id … without sticky sessions"
    ws_rows = [r for r in stack.access_log() if r["path"] == "/_stcore/stream" and r["route"] == visitor.route]
    assert ws_rows and {r["upstream"] for r in ws_rows} == {own}


@pytest.mark.parametrize("path", ["/_stcore/metrics", "/_stcore/metrics/", "/_stcore/%6Detrics", "//_stcore/metrics",
                                  "/_stcore/./metrics", "/_stcore/metrics?x=1", "/_stcore/agent/openapi.json"])
def test_metrics_are_not_reachable_through_nginx(stack, path):
    status, _, body = http_get(stack.port, path)
    assert status == 404 and b"session_events" not in body


def test_metrics_exist_on_each_process_loopback_only(stack):
    """What nginx hides is real (Prometheus text); the processes listen on 127.0.0.1 only."""
    for backend in stack.backends():
        status, _, body = http_get(backend["port"], "/_stcore/metrics")
        assert status == 200 and b"session_events" in body
        listening = open("/proc/net/tcp").read().split("\n")[1:]
        local = {line.split()[1] for line in listening if line.strip() and line.split()[3] == "0A"}
        assert f"0100007F:{backend['port']:04X}" in local
        assert f"00000000:{backend['port']:04X}" not in local


def test_a_killed_process_is_taken_out(fresh_stack):
    s = fresh_stack
    cookies = _cookie_per_backend(s)
    backends = s.backends()
    dead_addr, live_addr = (f"127.0.0.1:{b['port']}" for b in backends)
    live_visitor = Visitor({ROUTE_COOKIE: cookies[live_addr]})
    dead_visitor = Visitor({ROUTE_COOKIE: cookies[dead_addr]})

    async def scenario():
        live = s.session(live_visitor)
        await live.connect()
        try:
            await live.rerun("330381")
            killed_at = s.kill_backend(0)
            down = s.wait_event("process marked down", index=0, after=killed_at, timeout_s=15)
            s.wait_event("nginx reloaded", after=down["t"], timeout_s=5)
            time.sleep(0.5)  # nginx starts its new worker
            # The session on the living process carries on through the reload.
            carried_on = [await live.rerun(code) for code in ("330302", "330303", "330304")]
            log_start = len(s.access_log())
            first_visits = [visit(s.port)[0] for _ in range(30)]
            returning = [http_get(s.port, path, dead_visitor.cookies)[0]
                         for path in ("/", "/_stcore/health", "/_stcore/host-config") * 10]
            # A browser whose process died reconnects: the websocket reaches the living process.
            moved = s.session(dead_visitor)
            await moved.connect()
            try:
                moved_result = await moved.rerun("330381")
            finally:
                await moved.close()
            return down["t"] - killed_at, carried_on, first_visits, returning, moved_result, log_start
        finally:
            await live.close()

    took, carried_on, first_visits, returning, moved_result, log_start = _run(scenario())
    assert took < 10
    assert all(r.bytes_received > 500 for r in carried_on)
    assert first_visits == [200] * 30 and returning == [200] * 30
    assert moved_result.bytes_received > 500
    after = s.access_log()[log_start:]
    assert after and all(row["status"] < 500 for row in after)
    assert {row["upstream"] for row in after} == {live_addr}


def test_a_hung_process_is_taken_out_by_the_health_check_and_back_when_it_answers(fresh_stack):
    """SIGSTOP: the process is alive and its port accepts connections, but it answers nothing. Only the
    supervisor's health check can see that; after it marks the process down, nginx sends nobody there."""
    s = fresh_stack
    cookies = _cookie_per_backend(s)
    hung_addr, live_addr = (f"127.0.0.1:{b['port']}" for b in s.backends())
    stopped_at = s.kill_backend(0, signal.SIGSTOP)
    try:
        down = s.wait_event("process marked down", index=0, after=stopped_at, timeout_s=15)
        assert down["reason"].endswith("failed health checks")  # not "exited": the process is still there
        s.wait_event("nginx reloaded", after=down["t"], timeout_s=5)
        time.sleep(0.5)
        log_start = len(s.access_log())
        statuses = [http_get(s.port, "/_stcore/health", {ROUTE_COOKIE: cookies[hung_addr]}, timeout_s=5)[0]
                    for _ in range(10)] + [visit(s.port)[0] for _ in range(10)]
        assert statuses == [200] * 20
        assert {r["upstream"] for r in s.access_log()[log_start:]} == {live_addr}
    finally:
        resumed_at = time.time()
        s.kill_backend(0, signal.SIGCONT)
    s.wait_event("process marked up", index=0, after=resumed_at, timeout_s=15)
    s.wait_event("nginx reloaded", after=resumed_at, timeout_s=5)
    time.sleep(0.5)
    log_start = len(s.access_log())
    assert http_get(s.port, "/_stcore/health", {ROUTE_COOKIE: cookies[hung_addr]})[0] == 200
    assert s.upstream_of(cookies[hung_addr], since=log_start) == hung_addr  # its browsers go home again


def test_an_exited_process_is_started_again(restarting_stack):
    s = restarting_stack
    old_pid = s.backends()[0]["pid"]
    killed_at = s.kill_backend(0)
    s.wait_event("process started", index=0, after=killed_at, timeout_s=15)
    up = s.wait_event("process marked up", index=0, after=killed_at, timeout_s=60)
    new = s.backends()[0]
    assert new["pid"] != old_pid and new["up"] and new["starts"] == 2
    s.wait_event("nginx reloaded", after=up["t"], timeout_s=5)
    status, visitor = visit(s.port)
    assert status == 200
