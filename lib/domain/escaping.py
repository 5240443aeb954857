"""Text that is not ours (the plan, a search query, a visitor's upload) made inert where it is shown: in
Streamlit's markdown and in a spreadsheet cell. The one place that escapes: pages never pass such text to
``unsafe_allow_html``.

Streamlit's markdown turns ``1.``, ``#``, ``+``, ``[..](..)``, ``$..$``, ``:name[..]`` and
``:shortcode:`` into structure, maths, colours or emoji. Two ways out, for two kinds of text:

- :func:`plain` escapes the characters Streamlit's markdown reads (``:`` too, which would otherwise start its
  ``:blue[…]`` and ``:material/…:`` directives) and keeps the text's line breaks: names, values, figures in
  a line we compose. Fewer backslashes than :func:`escape`: these lines are sent on every click.
- :func:`escape` escapes every ASCII punctuation character (each may be backslash-escaped in CommonMark, so
  nothing is left to interpret) and folds white space: plan text and search results, where
  :func:`highlight` marks the matches with Streamlit's own ``:orange-background[**…**]`` syntax after
  escaping (plain ``**…**`` fails next to Chinese punctuation, CommonMark's flanking rules; the directive's
  brackets do not).

A spreadsheet runs a cell that begins with ``=``, ``+``, ``-`` or ``@`` (or a tab or carriage return) as a
formula (CSV/formula injection, OWASP); :func:`neutralise_cell` puts an apostrophe before it, which
spreadsheets show as text.
"""
from __future__ import annotations

import re

from lib.domain.i18n import original_mark

# Markup anywhere in a line: emphasis, code, links and images (``[`` starts both: with it escaped, ``(``,
# ``)`` and ``!`` mean nothing), HTML, tables, Streamlit's maths (``$``), strikethrough and ``:`` directives.
_MARKDOWN_INLINE = set("\\`*_[]<>|$~:")
# Markup only where a line begins: headings, list items (``-``, ``+``, ``1.``, ``1)``), setext underlines.
# (A number is a list item only with a space or the line's end after its ``.`` or ``)``: 3.03 stays as it is.)
_LINE_START = re.compile(r"^([ \t]*)([#+=-]|\d{1,9}(?=[.)](?:[ \t]|$)))", re.MULTILINE)
_ENTITY = re.compile(r"&(?=#?\w+;)")
_INDENT = re.compile(r"^[ \t]+", re.MULTILINE)
_ASCII_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def plain(text: object) -> str:
    """Text that renders exactly as written, line breaks kept: the characters that are markup anywhere
    escaped, and those that are markup only at the start of a line (``#``, ``-``, ``+``, ``=``, a number
    before ``.`` or ``)``) escaped there. Each backslash is a byte sent on every click (a figure like
    3.03 or a date keeps its ``.`` and ``-``); tests/test_escaping.py renders the result with CommonMark."""
    text = "".join(f"\\{ch}" if ch in _MARKDOWN_INLINE else ch for ch in str(text))
    text = _ENTITY.sub(r"\\&", text)                 # &lt; as written, not as <  (R&D stays as it is)
    text = _INDENT.sub("", text)                      # blanks a paragraph drops anyway; 4 would start code
    return _LINE_START.sub(_escape_line_start, text)


def _escape_line_start(match: re.Match) -> str:
    indent, mark = match.group(1), match.group(2)
    return indent + (mark + "\\" if mark[0].isdigit() else "\\" + mark)   # 1\. (the dot) or \- (the mark)


def _escape_punctuation(text: str) -> str:
    return _ASCII_PUNCTUATION.sub(r"\\\1", text)


def escape(text: object) -> str:
    """Literal text for st.markdown: whitespace (line breaks, tabs) collapsed, punctuation escaped."""
    return _escape_punctuation(" ".join(str(text).split()))


def match_spans(text: str, terms: list[str]) -> list[tuple[int, int]]:
    """Where any of ``terms`` occurs (case-insensitive), overlapping spans merged, in order."""
    spans = sorted((m.start(), m.end()) for term in terms if term
                   for m in re.finditer(re.escape(term), text, flags=re.IGNORECASE))
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def highlight(text: str, terms: list[str]) -> str:
    """Escaped markdown of ``text`` with every occurrence of ``terms`` marked."""
    text = " ".join(str(text).split())
    out, at = [], 0
    for start, end in match_spans(text, terms):
        out.append(_escape_punctuation(text[at:start]))
        out.append(f":orange-background[**{_escape_punctuation(text[start:end])}**]")
        at = end
    out.append(_escape_punctuation(text[at:]))
    return "".join(out)


def original(markdown: str, lang: str) -> str:
    """Markdown of plan text, marked as the original in English: ``*Original (Chinese):* …`` before a
    one-line text, or as a line of its own above several lines. Unchanged in Chinese."""
    mark = original_mark(lang)
    if not mark or not markdown:
        return markdown
    mark = _escape_punctuation(mark)
    return f"*{mark}*  \n{markdown}" if "\n" in markdown else f"*{mark}:* {markdown}"


def neutralise_cell(value):
    """A spreadsheet cell's value that no spreadsheet runs as a formula (text only; numbers stay numbers)."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value
