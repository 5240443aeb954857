"""Any chart the app draws → PNG, SVG or PDF, made on the server with vl-convert (no browser, no network).

Three things the browser does for free have to be done here (measured on this stack):

* Fonts: vl-convert finds Debian's ``fonts-noto-cjk`` only when the chart config names
  the family, so every export sets ``config.font`` to :data:`CJK_FONT`. PNG and PDF
  carry the glyphs (rasterised / embedded); SVG keeps ``<text>`` that names the font and
  embeds none (vl-convert 1.9 has no text-to-path option), so an SVG shows Chinese only
  where that font, or another CJK font, is installed — the page says so next to the button.
* Data: the page's specs point at ``app/static/…`` to keep each rerun small; vl-convert
  would fetch nothing from there and silently draw an empty chart. Every URL dataset is
  read from the build's static folder (:data:`lib.domain.paths.STATIC_BUILD_DIR`, nowhere else:
  no other prefix, no ``..``) and inlined; conversions run with ``allowed_base_urls=[]``
  so nothing can be fetched at all.
* Cost: a conversion holds the GIL for 0.15–0.4 s and every session waits, so results are
  cached process-wide per (spec, format, footer, static files' versions) and made one at a time.

A downloaded image travels without the page (forwarded in chat groups), so every file carries a
footer below the chart (as Our World in Data stamps its charts): the chart's title and district, its
source in the plan, the data's build date and the explorer's name (:func:`footer_lines`). The chart is
drawn to SVG by vl-convert, set in a larger SVG with the footer as text, and that SVG is turned into PNG
or PDF by vl-convert too, so the three formats carry the same footer (PDF and SVG as text). Axis and
legend labels are printed in full: the page cuts long names (``labelLimit``) to keep the chart in its
column, a file has room for them.
"""
from __future__ import annotations

import copy
import functools
import json
import re
import threading
import unicodedata
from html import escape
from pathlib import Path
from typing import Any

import altair as alt

from lib.domain.paths import STATIC_BUILD_DIR, STATIC_URL_PREFIX

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


def _labels_in_full(node: Any) -> None:
    """No axis or legend label cut with … (``labelLimit`` 0 is no limit in Vega)."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key in ("labelLimit", "titleLimit") and isinstance(value, (int, float)):
                node[key] = 0
            else:
                _labels_in_full(value)
    elif isinstance(node, list):
        for item in node:
            _labels_in_full(item)


def export_spec(spec: dict | alt.TopLevelMixin, static_dir: Path = STATIC_BUILD_DIR,
                width: int | None = EXPORT_WIDTH) -> dict:
    """A self-contained copy of ``spec``: URL data inlined, CJK font named, a width if it had none,
    labels in full.

    The input is never changed (page specs are cached and shared between sessions).
    """
    out = copy.deepcopy(spec.to_dict() if isinstance(spec, alt.TopLevelMixin) else spec)
    _labels_in_full(out)
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


# ---------------------------------------------------------------- the footer every file carries
FOOTER_SIZE = 11          # px; the first line (title and district) in bold
FOOTER_LEADING = 16       # px from one baseline to the next
FOOTER_PAD = 10           # px around the footer and between the chart and it
FOOTER_INK, FOOTER_RULE = "#333333", "#bbbbbb"


def footer_lines(title: str, district: str, source: str, built: str, explorer: str, address: str = "") -> tuple:
    """What a file says about itself, in the view's language (the caller translates): the chart and its
    district filter, where the numbers come from in the plan, when the data was built, and where it was made."""
    return tuple(filter(None, (f"{title} · {district}", source, f"{built} · {explorer}", address)))


def _text_width(text: str, size: float) -> float:
    """Rough width of ``text`` at ``size`` px: full-width characters a square, others about half."""
    return sum(size if unicodedata.east_asian_width(ch) in "WF" else 0.56 * size for ch in text)


def _wrap(text: str, width: float, size: float) -> list[str]:
    """``text`` in lines no wider than ``width`` (at spaces where there are any, else anywhere)."""
    lines, line = [], ""
    for token in re.findall(r"\S+\s*|\s+", text):
        if line and _text_width(line + token.rstrip(), size) > width:
            if _text_width(token, size) > width:          # a long run without spaces (Chinese): cut anywhere
                for ch in token:
                    if _text_width(line + ch, size) > width:
                        lines.append(line.rstrip())
                        line = ""
                    line += ch
                continue
            lines.append(line.rstrip())
            line = ""
        line += token
    lines.append(line.rstrip())
    return [part for part in lines if part]


def with_footer(svg: str, lines: tuple) -> str:
    """The chart's SVG set above a footer of ``lines`` (text, escaped), on a white page."""
    if not lines:
        return svg
    size = re.search(r'<svg[^>]*?\swidth="([\d.]+)"[^>]*?\sheight="([\d.]+)"', svg)
    width, height = float(size.group(1)), float(size.group(2))
    wrapped = [(i == 0, part) for i, line in enumerate(lines)
               for part in _wrap(line, width - 2 * FOOTER_PAD, FOOTER_SIZE)]
    total = height + 2 * FOOTER_PAD + len(wrapped) * FOOTER_LEADING
    chart = re.sub(r"^\s*<\?xml[^>]*>\s*", "", svg).replace("<svg", '<svg x="0" y="0"', 1)
    texts = "".join(
        f'<text x="{FOOTER_PAD}" y="{height + FOOTER_PAD + (i + 1) * FOOTER_LEADING - 4:.1f}" '
        f'font-size="{FOOTER_SIZE}" font-weight="{"bold" if bold else "normal"}">{escape(part)}</text>'
        for i, (bold, part) in enumerate(wrapped))
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{width:g}" height="{total:g}" '
            f'viewBox="0 0 {width:g} {total:g}"><rect width="{width:g}" height="{total:g}" fill="white"/>{chart}'
            f'<line x1="{FOOTER_PAD}" x2="{width - FOOTER_PAD:g}" y1="{height + FOOTER_PAD / 2:g}" '
            f'y2="{height + FOOTER_PAD / 2:g}" stroke="{FOOTER_RULE}" stroke-width="0.5"/>'
            f'<g font-family="{CJK_FONT}, sans-serif" fill="{FOOTER_INK}">{texts}</g></svg>')


@functools.lru_cache(maxsize=_CACHE_SIZE)
def _convert_cached(spec_json: str, fmt: str, footer: tuple, static_dir: str, files: tuple) -> bytes:
    import vl_convert as vlc  # only when a file is made: the page processes need not load the converter

    spec = export_spec(json.loads(spec_json), Path(static_dir))
    svg = with_footer(vlc.vegalite_to_svg(spec, allowed_base_urls=[]), footer)
    if fmt == "png":
        return vlc.svg_to_png(svg, scale=PNG_SCALE)
    if fmt == "svg":
        return svg.encode("utf-8")
    return vlc.svg_to_pdf(svg)


def convert(spec: dict | alt.TopLevelMixin, fmt: str, static_dir: Path = STATIC_BUILD_DIR,
            footer: tuple = ()) -> bytes:
    """``spec`` (an Altair chart or its dict, URL data allowed) as PNG, SVG or PDF bytes, with ``footer``
    (:func:`footer_lines`) below the chart; cached."""
    if fmt not in FORMATS:
        raise ChartExportError(f"unknown export format {fmt!r}")
    spec_dict = spec.to_dict() if isinstance(spec, alt.TopLevelMixin) else spec
    spec_json = json.dumps(spec_dict, sort_keys=True, ensure_ascii=False)
    files = _files_version(spec_dict, static_dir)
    with _lock:
        return _convert_cached(spec_json, fmt, tuple(footer), str(static_dir), files)
