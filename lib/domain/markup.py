"""Text from the plan, the sources or a visitor, shown through Streamlit's Markdown without being read
as Markdown or HTML. The one place that escapes: pages never pass such text to ``unsafe_allow_html``."""
from __future__ import annotations

_MARKDOWN_SPECIAL = set("\\`*_{}[]()#+-.!|<>$~:")


def plain(text: object) -> str:
    """Every Markdown character escaped, so the text renders exactly as written (``:`` too, which would
    otherwise start Streamlit's ``:blue[…]`` and ``:material/…:`` directives)."""
    return "".join(f"\\{ch}" if ch in _MARKDOWN_SPECIAL else ch for ch in str(text))
