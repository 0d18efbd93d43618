"""Cut highlighted snippets out of untrusted report text.

These functions only split strings into pieces (before / match / after, or marked
segments); the templates escape every piece, so no report text is ever trusted as HTML.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

CONTEXT_CHARS = 220
ELLIPSIS = "…"


@dataclass(frozen=True)
class Snippet:
    """A match with the text on either side of it."""

    before: str
    match: str
    after: str


@dataclass
class Segment:
    """A run of text with the themes of the counted mentions covering it (empty: plain text)."""

    text: str
    themes: list[str] = field(default_factory=list)
    anchors: list[int] = field(default_factory=list)  # start offsets of mentions beginning here


def split_match(sentence: str, start: int | None, end: int | None) -> Snippet:
    """Split a sentence around a match given by code-point offsets (no match: all `before`)."""
    if start is None or end is None or not 0 <= start <= end <= len(sentence):
        return Snippet(sentence, "", "")
    return Snippet(sentence[:start], sentence[start:end], sentence[end:])


def find_match(sentence: str, needle: str | None) -> Snippet:
    """Split a sentence around the first case-insensitive occurrence of `needle`."""
    found = re.search(re.escape(needle), sentence, flags=re.IGNORECASE) if needle else None
    return split_match(sentence, found.start(), found.end()) if found else Snippet(sentence, "", "")


def _trim_left(text: str) -> str:
    space = text.find(" ")
    return ELLIPSIS + text[space + 1 :] if 0 <= space < len(text) - 1 else text


def _trim_right(text: str) -> str:
    space = text.rfind(" ")
    return text[:space] + ELLIPSIS if space > 0 else text


def in_context(text: str, start: int, end: int, *, chars: int = CONTEXT_CHARS) -> Snippet:
    """Cut a mention with about `chars` characters of context each side, at word boundaries."""
    left, right = max(start - chars, 0), min(end + chars, len(text))
    before, after = text[left:start], text[end:right]
    return Snippet(
        _trim_left(before) if left > 0 else before,
        text[start:end],
        _trim_right(after) if right < len(text) else after,
    )


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
