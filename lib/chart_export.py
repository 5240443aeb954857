"""Any chart the app draws → PNG, SVG or PDF, made on the server with vl-convert (no browser, no network).

Three things the browser does for free have to be done here (measured on this stack):

* Fonts: vl-convert finds Debian's ``fonts-noto-cjk`` only when the chart config names
  the family, so every export sets ``config.font`` to :data:`CJK_FONT`. PNG and PDF
  carry the glyphs (rasterised / embedded); SVG keeps ``<text>`` that names the font and
  embeds none (vl-convert 1.9 has no text-to-path option), so an SVG shows Chinese only
  where that font, or another CJK font, is installed — the page says so next to the button.
* Data: the page's specs point at ``app/static/…`` to keep each rerun small; vl-convert
  would fetch nothing from there and silently draw an empty chart. Every URL dataset is
  read from the build's static folder (:data:`lib.paths.STATIC_BUILD_DIR`, nowhere else:
  no other prefix, no ``..``) and inlined; conversions run with ``allowed_base_urls=[]``
  so nothing can be fetched at all.
* Cost: a conversion holds the GIL for 0.15–0.4 s and every session waits, so results are
  cached process-wide per (spec, format, static files' versions) and made one at a time.
"""
from __future__ import annotations

import copy
import functools
import json
import threading
from pathlib import Path
from typing import Any

import altair as alt

from lib.paths import STATIC_BUILD_DIR, STATIC_URL_PREFIX

CJK_FONT = "Noto Sans CJK SC"
FORMATS = {"png": "image/png", "svg": "image/svg+xml", "pdf": "application/pdf"}
PNG_SCALE = 2            # sharp on a projector and when printed
EXPORT_WIDTH = 640       # the page's charts stretch to the column; a file needs a width of its own
_CACHE_SIZE = 96


class ChartExportError(ValueError):
    """A spec this module refuses to convert (data from outside the build's static files)."""


def static_file(url: str, static_dir: Path = STATIC_BUILD_DIR) -> Path:
    """The build file a chart URL names; only ``app/static/<file>`` inside ``static_dir`` is accepted."""
    if not isinstance(url, str) or not url.startswith(STATIC_URL_PREFIX):
        raise ChartExportError("chart data URL outside app/static/")
    root = static_dir.resolve()
    path = (root / url[len(STATIC_URL_PREFIX):]).resolve()
    if not path.is_relative_to(root) or path == root or not path.is_file():
        raise ChartExportError("chart data URL names no published static file")
    return path


def _load(path: Path, data_format: dict) -> tuple[Any, dict]:
    """Values to inline for one URL dataset, and the format left to apply to them."""
    kind = data_format.get("type", "json")
    text = path.read_text(encoding="utf-8")
    rest = {k: v for k, v in data_format.items() if k != "property"}
    if kind != "json":      # csv/tsv/topojson: Vega-Lite parses inline text with the same format
        return text, data_format
    values = json.loads(text)
    for step in filter(None, str(data_format.get("property", "")).split(".")):
        values = values[step]
    return values, rest


def _url_datasets(node: Any) -> list[dict]:
    """Every ``{"url": …}`` data object in a spec (top level, layers, lookups, concat…)."""
    found = []
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "data" and isinstance(value, dict) and "url" in value:
                found.append(value)
            else:
                found.extend(_url_datasets(value))
    elif isinstance(node, list):
        for item in node:
            found.extend(_url_datasets(item))
    return found


def export_spec(spec: dict | alt.TopLevelMixin, static_dir: Path = STATIC_BUILD_DIR,
                width: int | None = EXPORT_WIDTH) -> dict:
    """A self-contained copy of ``spec``: URL data inlined, CJK font named, a width if it had none.

    The input is never changed (page specs are cached and shared between sessions).
    """
    out = copy.deepcopy(spec.to_dict() if isinstance(spec, alt.TopLevelMixin) else spec)
    for data in _url_datasets(out):
        values, data_format = _load(static_file(data.pop("url"), static_dir), data.pop("format", {}))
        data["values"] = values
        if data_format:
            data["format"] = data_format
    config = out.setdefault("config", {})
    config["font"] = CJK_FONT
    if width and "width" not in out and ("mark" in out or "layer" in out):
        out["width"] = width
    return out


def _files_version(spec: dict, static_dir: Path) -> tuple:
    """Which versions of the static files a spec reads: a rebuild makes new cache entries."""
    stamps = set()
    for data in _url_datasets(spec):
        path = static_file(data["url"], static_dir)
        stat = path.stat()
        stamps.add((path.name, stat.st_mtime_ns, stat.st_size))
    return tuple(sorted(stamps))


_lock = threading.Lock()   # one conversion at a time: each holds the GIL anyway


@functools.lru_cache(maxsize=_CACHE_SIZE)
def _convert_cached(spec_json: str, fmt: str, static_dir: str, files: tuple) -> bytes:
    import vl_convert as vlc  # only when a file is made: the page processes need not load the converter

    spec = export_spec(json.loads(spec_json), Path(static_dir))
    if fmt == "png":
        return vlc.vegalite_to_png(spec, scale=PNG_SCALE, allowed_base_urls=[])
    if fmt == "svg":
        return vlc.vegalite_to_svg(spec, allowed_base_urls=[]).encode("utf-8")
    return vlc.vegalite_to_pdf(spec, allowed_base_urls=[])


def convert(spec: dict | alt.TopLevelMixin, fmt: str, static_dir: Path = STATIC_BUILD_DIR) -> bytes:
    """``spec`` (an Altair chart or its dict, URL data allowed) as PNG, SVG or PDF bytes, cached."""
    if fmt not in FORMATS:
        raise ChartExportError(f"unknown export format {fmt!r}")
    spec_dict = spec.to_dict() if isinstance(spec, alt.TopLevelMixin) else spec
    spec_json = json.dumps(spec_dict, sort_keys=True, ensure_ascii=False)
    files = _files_version(spec_dict, static_dir)
    with _lock:
        return _convert_cached(spec_json, fmt, str(static_dir), files)
