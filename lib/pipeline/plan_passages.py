"""Stage 2: the plan's text as numbered passages, for full-text search.

One passage per non-blank line of the snapshot (a paragraph, a heading or a
table cell in the export), with its raw-file line number and the nearest
surviving headings above it (``PlanText.section_for_line``), so a search hit
can name where it stands and open the surrounding lines.
"""
from __future__ import annotations

from lib.pipeline.snapshot import PlanText


def plan_lines(plan: PlanText) -> list[dict]:
    """Every non-blank line as ``{line, section, text, source_ref}``; text is stripped of indentation."""
    rows = []
    for number, text in enumerate(plan.lines, start=1):
        if text.strip():
            section = plan.section_for_line(number)
            rows.append({"line": number, "section": section, "text": text.strip(),
                         "source_ref": f"{section}（line {number}）"})
    return rows
