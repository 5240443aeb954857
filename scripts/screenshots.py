"""Screenshots of app pages at 1400 px and 390 px (a phone), for looking at what was built.

    .venv/bin/python scripts/screenshots.py [--out screenshots] [--port 8765] PATH [PATH ...]

PATH is what follows the host, e.g. ``/`` or ``/projects?district=330381&lang=en``.
Starts its own Streamlit server on loopback (the database in data/build, or WENZHOU_DB),
drives Debian's Chromium with Playwright, waits until the page stops running, and
writes ``<out>/<slug>-<width>.png``. Output is git-ignored (``screenshots/``).
"""
from __future__ import annotations

import argparse
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]
WIDTHS = {1400: 1000, 390: 844}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(port: int) -> subprocess.Popen:
    server = subprocess.Popen(
        [sys.executable, "-m", "lib.serve", "run", str(ROOT / "app.py"), "--server.port", str(port),
         "--server.address", "127.0.0.1", "--server.headless", "true"],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2) as r:
                if r.read() == b"ok":
                    return server
        except OSError:
            time.sleep(0.3)
    server.kill()
    raise SystemExit("streamlit did not start")


def wait_until_idle(page) -> None:
    """The app's status widget shows while a script runs; wait for it to go, then for charts to draw."""
    page.wait_for_load_state("networkidle")
    page.wait_for_selector("[data-testid='stApp']", timeout=60_000)
    for _ in range(3):
        page.wait_for_timeout(600)
        page.wait_for_function("!document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=60_000)
    page.wait_for_timeout(1200)


def slug(path: str) -> str:
    return re.sub(r"[^A-Za-z0-9_=-]+", "_", path.strip("/") or "home").strip("_")[:80] or "home"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("paths", nargs="+")
    parser.add_argument("--out", type=Path, default=ROOT / "screenshots")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--url", default=None, help="use a running server instead of starting one")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    server = None
    base = args.url
    if base is None:
        port = args.port or _free_port()
        server = start_server(port)
        base = f"http://127.0.0.1:{port}"
    from playwright.sync_api import sync_playwright

    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            for width, height in WIDTHS.items():
                context = browser.new_context(viewport={"width": width, "height": height}, locale="zh-CN",
                                              device_scale_factor=1, is_mobile=width < 600, has_touch=width < 600)
                page = context.new_page()
                for path in args.paths:
                    page.goto(base + path)
                    wait_until_idle(page)
                    # Streamlit scrolls inside its own container, so a full-page shot would stop at the
                    # viewport: grow the viewport to the content's height instead.
                    tall = page.evaluate("Math.max(...[...document.querySelectorAll('[data-testid=stMain],"
                                         " [data-testid=stSidebarContent]')].map(e => e.scrollHeight), 0)")
                    page.set_viewport_size({"width": width, "height": max(height, min(int(tall) + 40, 12000))})
                    page.wait_for_timeout(500)
                    target = args.out / f"{slug(path)}-{width}.png"
                    page.screenshot(path=str(target), full_page=True)
                    page.set_viewport_size({"width": width, "height": height})
                    print(target)
                context.close()
            browser.close()
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=10)
    return 0


if __name__ == "__main__":
    os.chdir(ROOT)
    sys.exit(main())
