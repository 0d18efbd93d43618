"""Pure text normalisers: glyphs, hyphenation and running headers and footers.

Each ``str -> str`` function does one thing and is safe to apply twice.
"""

from __future__ import annotations

import gzip
import json
import re
from collections import Counter
from functools import lru_cache
from pathlib import Path

LIGATURES = {
    "\ufb00": "ff",
    "\ufb01": "fi",
    "\ufb02": "fl",
    "\ufb03": "ffi",
    "\ufb04": "ffl",
    "\ufb05": "st",
    "\ufb06": "st",
}
# Symbol-font (Private Use Area) and Unicode bullets, as PDFs deliver them.
BULLET_GLYPHS = (
    "\uf0b7\uf0a7\uf0d8\uf076\uf0fc\uf0a8\uf06e\uf0e0"
    "\u2022\u25aa\u25cf\u25e6\u2023\u2043\u25a0\u27a2\u2219\u25fc\u25fe\u25ba\u25b6\u27a4\u2713\u2714"
)
BULLET = "•"
SOFT_HYPHEN = "\u00ad"
PDFIUM_HYPHEN = "\ufffe"  # pdfium's mark for a hyphen at a line end
LINE_END_HYPHENS = ("-", "\u2010", SOFT_HYPHEN, PDFIUM_HYPHEN)
# Prefixes that keep their hyphen when a line breaks after them ("self-" + "neglect").
HYPHEN_PREFIXES = frozenset({"self", "multi", "non", "cross", "well", "ex", "all", "half", "anti", "semi"})
INNER_SOFT_HYPHEN = re.compile(SOFT_HYPHEN + r"(?!\s*$)")
SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b\u200c\u200d\u2060\ufeff\uffff]")
WORD_AT_END = re.compile(r"([A-Za-z]+)$")
WORD_AT_START = re.compile(r"^([a-z]+)")
DIGITS = re.compile(r"\d+")
LEXICON_FILE = "en_lemma_lookup.json.gz"


def normalise_glyphs(text: str) -> str:
    """Expand ligatures, unify bullets, drop control characters and soft hyphens.

    A soft hyphen at the very end is kept: it marks a word broken at a line end,
    which :func:`join_lines` rejoins.
    """
    if _GLYPHS.search(text):  # translate() looks up every character in Python: only when needed
        text = text.translate(_GLYPH_TABLE)
    text = CONTROL.sub("", text)
    return INNER_SOFT_HYPHEN.sub("", text) if SOFT_HYPHEN in text else text


_GLYPH_TABLE = str.maketrans({**LIGATURES, **dict.fromkeys(BULLET_GLYPHS, BULLET)})
_GLYPHS = re.compile("[" + re.escape("".join(map(chr, _GLYPH_TABLE))) + "]")  # what the table maps


def collapse_spaces(text: str) -> str:
    """Collapse runs of spaces (and no-break spaces) into one space and strip the ends."""
    return SPACES.sub(" ", text).strip()


def clean_text(text: str) -> str:
    """Apply every single-line normaliser: glyphs, then spaces; no soft hyphen survives."""
    return collapse_spaces(normalise_glyphs(text).replace(SOFT_HYPHEN, ""))


def join_lines(lines: list[str], vocabulary: frozenset[str] = frozenset()) -> str:
    """Join the lines of one paragraph with spaces, rejoining words hyphenated at line ends.

    Args:
        lines: The paragraph's lines, top to bottom.
        vocabulary: Lower-case words seen elsewhere in the document, used to tell
            "safe-" + "guarding" (rejoin) from "multi-" + "agency" (keep the hyphen).
    """
    text = ""
    for raw in lines:
        line = collapse_spaces(normalise_glyphs(raw))
        if not line:
            continue
        if text.endswith(SOFT_HYPHEN):
            text = text[:-1] + line
        elif text.endswith(LINE_END_HYPHENS) and WORD_AT_END.search(text[:-1]) and line[0].isalpha():
            # a capital after the break means a real hyphen ("South-" + "East"); hyphenation never does that
            joint = _hyphen_joint(text[:-1], line, vocabulary) if WORD_AT_START.match(line) else "-"
            text = text[:-1] + joint + line
        else:
            text = f"{text} {line}" if text else line
    return clean_text(text.replace(PDFIUM_HYPHEN, "-"))


def _hyphen_joint(before: str, after: str, vocabulary: frozenset[str]) -> str:
    """Return "-" when a line-end hyphen is a real one, "" when it only split a word.

    The caller has checked that ``before`` ends in letters and ``after`` starts with them.
    """
    left = WORD_AT_END.findall(before)[0].lower()
    right = WORD_AT_START.findall(after)[0]
    joined, hyphenated = left + right, f"{left}-{right}"
    if hyphenated in vocabulary and joined not in vocabulary:
        return "-"
    if joined in vocabulary or joined in _lexicon():
        return ""
    return "-" if left in HYPHEN_PREFIXES else ""


@lru_cache(maxsize=1)
def _lexicon() -> frozenset[str]:
    """Load the English word forms shipped with spacy-lookups-data (empty if it is absent)."""
    try:
        import spacy_lookups_data
    except ImportError:
        return frozenset()
    path = Path(spacy_lookups_data.__file__).parent / "data" / LEXICON_FILE
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        table = json.load(handle)
    return frozenset(word.lower() for pair in table.items() for word in pair)


def document_vocabulary(lines: list[str]) -> frozenset[str]:
    """Return the lower-case words (hyphenated ones included) that occur inside lines."""
    words: set[str] = set()
    for line in lines:
        for word in line.lower().split()[:-1]:  # the last word may be cut by a line-end hyphen
            words.add(word.strip(".,;:()[]'\"’‘“”!?"))
    return frozenset(words)


def edge_key(text: str) -> str:
    """Return a page-independent key for a header or footer line: lower case, digits as '#'."""
    return DIGITS.sub("#", collapse_spaces(normalise_glyphs(text)).lower())


def running_keys(page_edges: list[list[str]], *, min_pages: int) -> frozenset[str]:
    """Return the edge-line keys that repeat on at least ``min_pages`` pages.

    Args:
        page_edges: For each page, the texts of the lines nearest its top and bottom edges.
        min_pages: How many pages a line must appear on to count as a running header or footer.
    """
    counts: Counter[str] = Counter()
    for edges in page_edges:
        counts.update({edge_key(text) for text in edges})
    return frozenset(key for key, count in counts.items() if count >= min_pages)


def strip_bullet(text: str) -> str:
    """Remove a leading bullet glyph (or dash) and its space from a list item."""
    stripped = text.lstrip()
    if len(stripped) > 1 and stripped[1] == " " and not stripped[0].isalnum():
        return stripped[2:].lstrip()
    return text
