"""Sizing: the peak memory of one app process through everything a visitor can make it do.

    python -m bench.peak_memory [--quick] [--json bench/results/peak_memory.json]

One Streamlit process with the stack's settings (.streamlit/config.toml, database shipped prebuilt),
driven by Debian's Chromium: every page in both languages, then for every view (the city and each of
the 12 districts) and both languages the meeting brief as PDF and PNG, the map as PNG, SVG and PDF and
the projects table as CSV and Excel; for the first ``--menu-views`` views also every chart of the
investment and indicators pages as PNG, SVG and PDF (the exports' process cache holds 96 files, so
these fill it, and a full run of every chart of every view would take over an hour here). The
process's resident memory is sampled every 0.2 s; its high-water mark (VmHWM) is the peak. The
figures size memmon's ceiling (deploy/stack.py) and the pod's memory (deploy/k8s/), docs/deploy.md.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

from .brief import ALL_VIEWS
from .memory import process_memory
from .server import StreamlitServer

REPO = Path(__file__).resolve().parent.parent
RESULTS = REPO / "bench" / "results"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-quic"]
MENU_PAGES = ("", "investment", "indicators")   # pages with the brief and the chart downloads menu
PAGE_PATHS = ("", "investment", "projects", "platforms", "indicators", "scorecard", "policies", "search", "data")


def vm_hwm_mb(pid: int) -> float:
    for line in open(f"/proc/{pid}/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


class Sampler(threading.Thread):
    """RSS of one process every ``interval`` s, with the phase it was in."""

    def __init__(self, pid: int, interval: float = 0.2) -> None:
        super().__init__(daemon=True)
        self.pid, self.interval, self.phase = pid, interval, "start"
        self.samples: list[tuple[float, str, float]] = []
        self._stop_flag = threading.Event()

    def run(self) -> None:
        while not self._stop_flag.is_set():
            try:
                self.samples.append((time.time(), self.phase, process_memory(self.pid)["rss_mb"]))
            except OSError:
                return
            time.sleep(self.interval)

    def stop(self) -> None:
        self._stop_flag.set()
        self.join(5)

    def peak(self, phase: str | None = None) -> float:
        return max((rss for _, p, rss in self.samples if phase is None or p == phase), default=float("nan"))


def drive(port: int, sampler: Sampler, views: tuple[str, ...], langs: tuple[str, ...], menu_views: int) -> dict:
    from playwright.sync_api import expect, sync_playwright

    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    counts = {"pages": 0, "downloads": 0, "download_bytes": 0, "downloads_failed": 0}
    base = f"http://127.0.0.1:{port}"

    def settle(page) -> None:
        page.wait_for_selector("[data-testid='stApp']", timeout=60_000)
        for _ in range(2):
            page.wait_for_timeout(300)
            expect(page.locator("[data-testid='stStatusWidget']")).to_have_count(0, timeout=90_000)

    def download(page, button) -> None:
        try:
            with page.expect_download(timeout=120_000) as info:
                button.click()
            counts["download_bytes"] += os.path.getsize(info.value.path())
            counts["downloads"] += 1
        except PlaywrightTimeout:  # counted, not fatal: the peak is what is measured
            counts["downloads_failed"] += 1

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        # Tall: the downloads menu of a page with many charts runs past a laptop screen.
        context = browser.new_context(viewport={"width": 1400, "height": 4000}, locale="zh-CN", accept_downloads=True)
        page = context.new_page()
        try:
            sampler.phase = "pages"
            for lang in langs:
                for path in PAGE_PATHS:
                    page.goto(f"{base}/{path}?district=330381&lang={lang}")
                    settle(page)
                    counts["pages"] += 1
            sampler.phase = "briefs and exports"
            for lang in langs:
                for n, view in enumerate(views):
                    print(f"{lang} {view}: {counts}, RSS peak so far {sampler.peak():.0f} MB", file=sys.stderr, flush=True)
                    query = f"lang={lang}" + ("" if view == "city" else f"&district={view}")
                    for path in MENU_PAGES if n < menu_views else MENU_PAGES[:1]:
                        page.goto(f"{base}/{path}?{query}")
                        settle(page)
                        counts["pages"] += 1
                        if path == "":   # the brief in one click (the same brief on every page of this view)
                            download(page, page.get_by_test_id("stDownloadButton").get_by_role("button").first)
                        page.get_by_test_id("stPopover").get_by_role("button").first.click()
                        menu = page.get_by_test_id("stPopoverBody")
                        expect(menu.get_by_role("button").first).to_be_visible(timeout=60_000)
                        settle(page)
                        buttons = menu.get_by_role("button")
                        first = 0 if path == "" else 1   # the brief's PNG once per view
                        for i in range(first, buttons.count()):
                            download(page, buttons.nth(i))
                    page.goto(f"{base}/projects?{query}")
                    settle(page)
                    for button in page.get_by_test_id("stDownloadButton").get_by_role("button").all():
                        download(page, button)
        finally:
            context.close()
            browser.close()
    return counts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="two views, Chinese only: a smoke check")
    parser.add_argument("--menu-views", type=int, default=3,
                        help="views whose investment and indicators charts are all exported too (default 3)")
    parser.add_argument("--json", type=Path, default=RESULTS / "peak_memory.json")
    args = parser.parse_args(argv)
    views, langs = (("city", "330381"), ("zh",)) if args.quick else (ALL_VIEWS, ("zh", "en"))
    RESULTS.mkdir(parents=True, exist_ok=True)
    db = RESULTS / "peak_memory.duckdb"
    subprocess.run([sys.executable, "-m", "lib.pipeline", "--db", str(db)], cwd=REPO, check=True,
                   stdout=subprocess.DEVNULL)
    server = StreamlitServer("peak-memory", REPO / "app.py", REPO, RESULTS,
                             env={**os.environ, "WENZHOU_DB": str(db)})
    server.start()
    try:
        server.wait_healthy(120)
        sampler = Sampler(server.pid)
        sampler.start()
        started = time.perf_counter()
        counts = drive(server.port, sampler, views, langs, args.menu_views)
        sampler.phase = "idle after"
        time.sleep(3)
        sampler.stop()
        result = {"views": len(views), "langs": list(langs), "menu_views": args.menu_views, **counts,
                  "seconds": round(time.perf_counter() - started, 1),
                  "rss_at_start_mb": sampler.samples[0][2], "peak_pages_mb": sampler.peak("pages"),
                  "peak_briefs_exports_mb": sampler.peak("briefs and exports"),
                  "rss_after_mb": sampler.samples[-1][2], "vm_hwm_mb": round(vm_hwm_mb(server.pid), 1)}
    finally:
        server.stop()
    args.json.write_text(json.dumps(result, indent=1))
    print(json.dumps(result, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
