"""Hostile uploads through the real uploader in Chromium: a 50,000-row file, a binary file renamed .csv,
a zip bomb renamed .csv and a file over ``server.maxUploadSize``. Each is refused with a message; the
process stays responsive (its health check answers and the page keeps working for the next upload);
nothing reaches the shared database."""
from __future__ import annotations

import hashlib
import io
import os
import re
import tomllib
import urllib.request
import zipfile

import pytest
from playwright.sync_api import Page, expect

from lib.domain import observation_rows
from tests.conftest import ROOT

MAX_UPLOAD_MB = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())["server"]["maxUploadSize"]


def _rows_50k() -> bytes:
    # Valid-looking rows, so only their number can be the reason.
    return ("indicator,year,value\n" + "hitech_enterprises,2025,4500\n" * 50_000).encode()


def _zip_bomb() -> bytes:
    # 200 MB of zeros compressed to about 200 KB: harmless unless something decompresses it.
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        with archive.open("observations.csv", "w", force_zip64=True) as member:
            block = b"\0" * (1 << 20)
            for _ in range(200):
                member.write(block)
    return buffer.getvalue()


def _binary() -> bytes:
    return bytes(range(256)) * 64 + os.urandom(4096)   # an executable or image renamed .csv


CASES = {
    "50,000 rows": (_rows_50k, ("行数过多", "文件过大", "File must be")),
    "binary renamed .csv": (_binary, ("不是 UTF-8 或 GBK",)),
    "zip bomb renamed .csv": (_zip_bomb, ("不是 UTF-8 或 GBK", "文件过大")),
    # Streamlit's uploader refuses it in the browser: "Error: File must be 1.0MB or smaller."
    "over maxUploadSize": (lambda: b"indicator,year,value\n" + b"x" * (MAX_UPLOAD_MB * 1024 * 1024 + 10),
                           ("File must be",)),
}


def _healthy(app_url: str) -> bool:
    with urllib.request.urlopen(f"{app_url}/_stcore/health", timeout=5) as response:
        return response.read() == b"ok"


def test_upload_limit_is_small():
    assert 0 < MAX_UPLOAD_MB <= 2          # a few hundred rows of actual values need kilobytes, not megabytes
    assert observation_rows.MAX_UPLOAD_BYTES < MAX_UPLOAD_MB * 1024 * 1024


@pytest.mark.parametrize("case", list(CASES))
def test_hostile_upload_is_refused_with_a_message(page: Page, app_url, plan_db, tmp_path, case):
    make, messages = CASES[case]
    before = hashlib.sha256(plan_db.read_bytes()).hexdigest()
    page.goto(f"{app_url}/scorecard")
    summary = page.get_by_test_id("stCaptionContainer").filter(has_text="按来源等级计的状态")
    expect(summary).to_be_visible()
    path = tmp_path / "observations.csv"
    path.write_bytes(make())
    page.locator("input[type=file]").set_input_files(str(path))
    # Streamlit's own uploader refuses files over maxUploadSize; the page refuses the rest.
    refusal = page.locator("[data-testid='stAlertContentError'], [data-testid='stFileUploader'] [role='alert']")
    expect(refusal.filter(has_text=re.compile("|".join(map(re.escape, messages)))).first).to_be_visible()
    assert _healthy(app_url)
    # Still working: the statuses are the curated ones and a good file is taken at once.
    expect(summary).to_contain_text("已达标：官方 1 · 待官方核实 0")
    good = tmp_path / "good.csv"
    good.write_text("indicator,year,value\nhitech_enterprises,2025,4500\n", encoding="utf-8")
    page.locator("input[type=file]").set_input_files(str(good))
    expect(page.get_by_text(re.compile("接受 1 行.*拒绝 0 行"))).to_be_visible()
    assert "Traceback" not in page.content()
    assert hashlib.sha256(plan_db.read_bytes()).hexdigest() == before
