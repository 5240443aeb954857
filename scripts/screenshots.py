"""Screenshots of app pages at 1400 px and 390 px (a phone), for looking at what was built.

    .venv/bin/python scripts/screenshots.py [--out screenshots] [--port 8765] PATH [PATH ...]
    .venv/bin/python scripts/screenshots.py --readme [NAME ...]

PATH is what follows the host, e.g. ``/`` or ``/projects?district=330381&lang=en``.
Starts its own Streamlit server on loopback (the database in data/build, or WENZHOU_DB),
drives Debian's Chromium with Playwright, waits until the page stops running, and
writes ``<out>/<slug>-<width>.png`` (whole pages). That output is git-ignored (``/screenshots/``).

``--readme`` takes the README's screenshots instead (all, or the NAMEs given) into docs/screenshots/,
which git keeps: the first screen of each view, as a visitor sees it on arrival, as a palette PNG.
"""
from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from PIL import Image

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))   # run as a script (python scripts/screenshots.py): the project's lib/ beside it
from lib.web.ports import free_port  # noqa: E402
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]
WIDTHS = {1400: 1000, 390: 844}
README_DIR = ROOT / "docs" / "screenshots"
# The images README.md shows or points to: name → (view, width).
README_SHOTS = {
    "map-zh-1400": ("/?district=330381", 1400),
    "map-zh-390": ("/?district=330381", 390),
    "indicator-zh-1400": ("/indicators?indicator=hitech_enterprises", 1400),
    "investment-zh-390": ("/investment", 390),
    "scorecard-en-1400": ("/scorecard?lang=en", 1400),
    "presenter-zh-1400": ("/?present=1&slide=2&district=330381", 1400),      # screen 2: key figures
    "timeline-zh-1400": ("/investment?chart=timeline&district=330303", 1400),
    "map-en-1400": ("/?lang=en&district=330381", 1400),
    "map-en-390": ("/?lang=en&district=330381", 390),
    "presenter-indicators-zh-1400": ("/?present=1&slide=4", 1400),          # screen 4: the city's indicators
    "presenter-indicators-en-1400": ("/?present=1&slide=4&lang=en", 1400),
}


def start_server(port: int) -> subprocess.Popen:
    server = subprocess.Popen(
        [sys.executable, "-m", "lib.web.serve", "run", str(ROOT / "app.py"), "--server.port", str(port),
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


def small_png(path: Path) -> None:
    """Rewrite ``path`` with a 256-colour palette: a page screenshot is flat colour and text, and git keeps
    every version of a committed image (about a third of the RGB size, text still crisp)."""
    with Image.open(path) as image:
        palette = image.convert("RGB").quantize(colors=256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    palette.save(path, optimize=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("paths", nargs="*", help="app paths; with --readme, names from README_SHOTS")
    parser.add_argument("--readme", action="store_true", help="the README's screenshots, into docs/screenshots/")
    parser.add_argument("--out", type=Path, default=ROOT / "screenshots")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--url", default=None, help="use a running server instead of starting one")
    args = parser.parse_args(argv)
    if args.readme:
        unknown = set(args.paths) - set(README_SHOTS)
        if unknown:
            parser.error(f"not a README screenshot: {', '.join(sorted(unknown))} (known: {', '.join(README_SHOTS)})")
        # (view, width, file, whole page?)
        shots = [(path, width, README_DIR / f"{name}.png", False)
                 for name, (path, width) in README_SHOTS.items() if not args.paths or name in args.paths]
    elif args.paths:
        shots = [(path, width, args.out / f"{slug(path)}-{width}.png", True) for width in WIDTHS for path in args.paths]
    else:
        parser.error("give app paths, or --readme")
    for *_, target, _whole in shots:
        target.parent.mkdir(parents=True, exist_ok=True)
    server = None
    base = args.url
    if base is None:
        port = args.port or free_port()
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
                for path, _width, target, whole in (shot for shot in shots if shot[1] == width):
                    page.goto(base + path)
                    wait_until_idle(page)
                    if whole:
                        # Streamlit scrolls inside its own container, so a full-page shot would stop at the
                        # viewport: grow the viewport to the content's height instead.
                        tall = page.evaluate("Math.max(...[...document.querySelectorAll('[data-testid=stMain],"
                                             " [data-testid=stSidebarContent]')].map(e => e.scrollHeight), 0)")
                        page.set_viewport_size({"width": width, "height": max(height, min(int(tall) + 40, 12000))})
                        page.wait_for_timeout(500)
                        page.screenshot(path=str(target), full_page=True)
                        page.set_viewport_size({"width": width, "height": height})
                    else:
                        page.screenshot(path=str(target))
                        small_png(target)
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
