"""Choosing and cutting evidence sentences so they read well as quotes for a board.

Extraction sometimes leaves table rows, glossary runs ("ASD – Autism ...") or very
long run-on sentences; these are still evidence but poor quotes, so they come last.
warehouse/queries/cell_evidence.sql applies the same rules in SQL (keep them in step).
"""

from __future__ import annotations

from typing import Any

MAX_QUOTE_CHARS = 320
QUOTE_CONTEXT_CHARS = 140
MIN_QUOTE_CHARS = 40
QUOTE_SECTIONS = ("body", "summary", "recommendations")
TABLE_MARK = "|"  # table rows are extracted with cells separated by " | "
LIST_DASH = " – "  # glossary-like runs of "TERM – meaning"
MAX_LIST_DASHES = 2
ELLIPSIS = "…"


def quotable(row: dict[str, Any]) -> bool:
    """Return True for a sentence that reads well as a quote (prose, not a table row or a list of terms)."""
    sentence = row["sentence"]
    return (
        MIN_QUOTE_CHARS <= len(sentence) <= MAX_QUOTE_CHARS
        and TABLE_MARK not in sentence
        and row.get("section", "body") in QUOTE_SECTIONS
        and sentence.count(LIST_DASH) < MAX_LIST_DASHES
    )


def trim_quote(row: dict[str, Any]) -> dict[str, Any]:
    """Return the row with `before`, `match` and `after`: the sentence cut to about MAX_QUOTE_CHARS."""
    sentence, start, end = row["sentence"], row["match_start"], row["match_end"]
    if len(sentence) <= MAX_QUOTE_CHARS:
        return {**row, "before": sentence[:start], "match": sentence[start:end], "after": sentence[end:]}
    left = max(0, start - QUOTE_CONTEXT_CHARS)
    right = min(len(sentence), end + QUOTE_CONTEXT_CHARS)
    before = (ELLIPSIS if left else "") + sentence[left:start]
    after = sentence[end:right] + (ELLIPSIS if right < len(sentence) else "")
    return {**row, "before": before, "match": sentence[start:end], "after": after}


def pick_quotes(rows: list[dict[str, Any]], count: int) -> list[dict[str, Any]]:
    """Pick up to `count` rows, one per document: quotable ones from distinct years first."""
    picked: list[dict[str, Any]] = []
    documents: set[str] = set()
    years: set[Any] = set()
    passes = (
        lambda row: quotable(row) and row["year"] not in years,
        quotable,
        lambda row: True,
    )
    for accept in passes:
        for row in rows:
            if len(picked) == count:
                return picked
            if row["sha256"] not in documents and accept(row):
                documents.add(row["sha256"])
                years.add(row["year"])
                picked.append(row)
    return picked
