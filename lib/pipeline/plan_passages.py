"""Stage 2: the plan's text as numbered passages, for full-text search.

One passage per non-blank line of the snapshot (a paragraph, a heading or a
table cell in the export), with its raw-file line number and the nearest
surviving headings above it (``PlanText.headings_for_line``: ``source``, and in
Chinese words ``section``), so a search hit can name where it stands and open the
surrounding lines.
"""
from __future__ import annotations

from lib.domain.citations import cite
from lib.domain.i18n import DEFAULT_LANG
from lib.pipeline.snapshot import PlanText


def plan_lines(plan: PlanText) -> list[dict]:
    """Every non-blank line as ``{line, section, text, source_ref, source}``; text is stripped of
    indentation. ``source`` is the headings (the row is the line); ``source_ref`` adds the line."""
    rows = []
    for number, text in enumerate(plan.lines, start=1):
        if text.strip():
            headings = plan.headings_for_line(number)
            at_line = [*headings[:-1], {**headings[-1], "line": number}]
            rows.append({"line": number, "section": cite(headings, DEFAULT_LANG), "text": text.strip(),
                         "source_ref": cite(at_line, DEFAULT_LANG), "source": headings})
    return rows
