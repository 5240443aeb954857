"""Text that is not ours (the plan, a search query) inside Streamlit markdown, shown literally.

Streamlit's markdown turns ``1.``, ``#``, ``+``, ``[..](..)``, ``$..$``, ``:name[..]`` and
``:shortcode:`` into structure, maths, colours or emoji. Every ASCII punctuation character
may be backslash-escaped in CommonMark, so escaping all of them leaves nothing to interpret;
HTML is never enabled (no ``unsafe_allow_html``). Matches are marked with Streamlit's own
``:orange-background[**…**]`` syntax after escaping: plain ``**…**`` fails next to Chinese
punctuation (CommonMark's flanking rules), the directive's brackets do not.
"""
from __future__ import annotations

import re

_ASCII_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")


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
    from lib.domain.i18n import original_mark

    mark = original_mark(lang)
    if not mark or not markdown:
        return markdown
    mark = _escape_punctuation(mark)
    return f"*{mark}*  \n{markdown}" if "\n" in markdown else f"*{mark}:* {markdown}"
