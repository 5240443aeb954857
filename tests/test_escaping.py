"""lib/domain/escaping.plain: text that is not ours renders exactly as written, with as few backslashes as
that takes (each is a byte sent on every click).

Rendered with markdown-it-py, a CommonMark parser (Streamlit's frontend renders CommonMark with GFM tables
and strikethrough; both are switched on here): the result must be one paragraph whose text is the input,
with no element of its own. Streamlit's own syntax beyond CommonMark (``:red[…]`` and other ``:`` directives,
``$…$`` maths) is checked by what it starts with: no unescaped ``:`` or ``$`` is left."""
from __future__ import annotations

import html
import re

import pytest
from markdown_it import MarkdownIt

from lib.domain.escaping import plain

MD = MarkdownIt("commonmark").enable(["table", "strikethrough"])

HOSTILE = [
    "# heading", "## 2", "- item", "+ item", "* item", "1. item", "12) item", "1.", "===", "---", "***", "___",
    "- - -", "> quote", "    indented", "`code`", "``code``", "**bold** and _it_", "~~gone~~", "~gone~",
    "[link](https://example.com)", "![img](x.png)", "<b>bold</b>", "<script>alert(1)</script>", "a | b\n--|--\nc | d",
    "$x^2$", ":red[red]", ":material/menu:", ":smile:", "back\\slash", "a\\*b", "&lt;tag&gt;", "line one\n# two",
    "text\n===", "text\n---", "2024-02-26", "3.03", "3.25%", "(Chinese): 规上工业企业R&D经费支出占营业收入比重\\# | % | 3.03",
    "https://example.com/a_b*c", "1) 2) 3)", "  - nested", "\t# tabbed",
]


def _rendered_text(markdown: str) -> str:
    """The text of the single paragraph ``markdown`` renders to (html unescaped), or fail."""
    out = MD.render(markdown).strip()
    match = re.fullmatch(r"<p>(.*)</p>", out, flags=re.DOTALL)
    assert match, f"not one plain paragraph: {markdown!r} -> {out!r}"
    body = match.group(1)
    assert not re.search(r"<(?!br\s*/?>)[a-z/!]", body), f"markup in {markdown!r} -> {out!r}"
    return html.unescape(body)


@pytest.mark.parametrize("text", HOSTILE)
def test_plain_text_renders_as_written(text):
    rendered = _rendered_text(plain(text))
    # A paragraph's lines lose their leading blanks in CommonMark; nothing else may change.
    assert rendered == "\n".join(line.lstrip(" \t") for line in text.split("\n")).strip()


@pytest.mark.parametrize("text", HOSTILE)
def test_no_streamlit_directive_or_maths_is_left_open(text):
    escaped = plain(text)
    assert not re.search(r"(?<!\\)(?:\\\\)*[:$]", escaped), escaped


def test_figures_and_dates_keep_their_punctuation():
    """What the bytes are saved on: a figure, a date and a bracket mid-line need no backslash."""
    assert plain("3.03") == "3.03" and plain("2024-02-26") == "2024-02-26"
    assert plain("第 50 行 (line 50)") == "第 50 行 (line 50)"
    assert plain("1. a") == "1\\. a" and plain("- x") == "\\- x" and plain("x\n# y") == "x\n\\# y"
