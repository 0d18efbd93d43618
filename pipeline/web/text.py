"""Cut highlighted snippets out of untrusted report text.

These functions only split strings into pieces, some marked as matches; the
templates escape every piece, so report text is never trusted as HTML.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

CONTEXT_CHARS = 180
ELLIPSIS = "…"
PARAGRAPH_BREAK = "\n\n"


@dataclass(frozen=True)
class Piece:
    """A run of text; `marked` runs are matches (`counted` False: a match that is not counted)."""

    text: str
    marked: bool = False
    counted: bool = True


@dataclass
class Segment:
    """A run of a block's text with the themes of the counted mentions covering it (empty: plain)."""

    text: str
    themes: list[str] = field(default_factory=list)
    anchors: list[int] = field(default_factory=list)  # start offsets of the mentions beginning here


def mark_spans(text: str, spans: Sequence[dict[str, Any]]) -> list[Piece]:
    """Split text into plain and marked pieces; spans are {start, end[, counted]} code-point offsets.

    Overlapping or out-of-range spans are clipped, so a bad offset never loses text.
    """
    pieces, position = [], 0
    for span in sorted(spans, key=lambda s: s["start"]):
        start, end = max(span["start"], position), min(span["end"], len(text))
        if start >= end:
            continue
        if start > position:
            pieces.append(Piece(text[position:start]))
        pieces.append(Piece(text[start:end], marked=True, counted=span.get("counted", True)))
        position = end
    if position < len(text):
        pieces.append(Piece(text[position:]))
    return pieces


def find_match(sentence: str, terms: Sequence[str]) -> list[Piece]:
    """Mark every case-insensitive occurrence of each search term in a sentence."""
    if not terms:
        return [Piece(sentence)]
    pattern = "|".join(re.escape(term) for term in sorted(terms, key=len, reverse=True))
    found = re.finditer(pattern, sentence, flags=re.IGNORECASE)
    return mark_spans(sentence, [{"start": m.start(), "end": m.end()} for m in found])


def _before(text: str, start: int, chars: int) -> str:
    left = max(start - chars, text.rfind(PARAGRAPH_BREAK, 0, start) + len(PARAGRAPH_BREAK), 0)
    before = text[left:start]
    if left == 0 or text[left - len(PARAGRAPH_BREAK) : left] == PARAGRAPH_BREAK:
        return before
    space = before.find(" ")
    return ELLIPSIS + before[space + 1 :] if space >= 0 else before


def _after(text: str, end: int, chars: int) -> str:
    stop = text.find(PARAGRAPH_BREAK, end)
    right = min(end + chars, stop if stop >= 0 else len(text))
    after = text[end:right]
    if right in (len(text), stop):
        return after
    space = after.rfind(" ")
    return after[:space] + ELLIPSIS if space > 0 else after


def in_context(text: str, start: int, end: int, *, chars: int = CONTEXT_CHARS) -> list[Piece]:
    """Cut a mention with up to `chars` characters each side, within its paragraph, at word boundaries."""
    return [
        Piece(_before(text, start, chars)),
        Piece(text[start:end], marked=True),
        Piece(_after(text, end, chars)),
    ]


def mark_segments(text: str, start: int, end: int, mentions: Sequence[dict[str, Any]]) -> list[Segment]:
    """Split text[start:end] into segments at every mention boundary, noting each segment's themes.

    Args:
        text: the whole document text.
        start: the block's start offset.
        end: the block's end offset.
        mentions: rows with theme, start_offset and end_offset (document offsets).
    """
    inside = [m for m in mentions if m["start_offset"] < end and m["end_offset"] > start]
    cuts = sorted(
        {start, end}
        | {min(max(m[key], start), end) for m in inside for key in ("start_offset", "end_offset")}
    )
    segments = []
    for left, right in zip(cuts, cuts[1:], strict=False):
        covering = [m for m in inside if m["start_offset"] < right and m["end_offset"] > left]
        segments.append(
            Segment(
                text=text[left:right],
                themes=sorted({m["theme"] for m in covering}),
                anchors=sorted({m["start_offset"] for m in inside if m["start_offset"] == left}),
            )
        )
    return segments
