"""A real Streamlit server on loopback and Debian's Chromium driven by Playwright."""
from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import time
import urllib.request

import pytest
from playwright.sync_api import expect, sync_playwright

from lib.web.ports import free_port
from tests.browser.waits import RUN_TIMEOUT_MS
from tests.conftest import CHROMIUM, ROOT

# One timeout for every wait on the app (a first page run on a loaded 2-core machine has taken 30 s); it
# costs nothing when the page is quick, and a test that names none cannot be too short for a loaded machine.
expect.set_options(timeout=RUN_TIMEOUT_MS)

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]


@contextlib.contextmanager
def serve_app(plan_db):
    """A new Streamlit process serving app.py on a free loopback port, started as make run and the stack
    start it (lib/web/serve.py); yields its URL once it answers its health check."""
    port = free_port()
    env = {**os.environ, "WENZHOU_DB": str(plan_db)}
    server = subprocess.Popen(
        [sys.executable, "-m", "lib.web.serve", "run", str(ROOT / "app.py"), "--server.port", str(port),
         "--server.address", "127.0.0.1", "--server.headless", "true"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + RUN_TIMEOUT_MS / 1000
        while True:
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                    if r.read() == b"ok":
                        break
            except OSError:
                pass
            if server.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"streamlit did not start: {server.stdout.read().decode(errors='replace')}")
            time.sleep(0.3)
        yield url
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()


@pytest.fixture(scope="session")
def app_url(plan_db):
    with serve_app(plan_db) as url:
        yield url


@pytest.fixture(scope="session")
def browser():
    # A missing Chromium never gets here: tests/conftest.py skips (make check) or fails (make test) first.
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="zh-CN")
    context.set_default_timeout(RUN_TIMEOUT_MS)
    pg = context.new_page()
    yield pg
    context.close()
