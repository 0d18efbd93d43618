"""The words people type for document types and years, read the way they mean them.

A leaf shared by the manifest reader, `documents set`, the CLI options and the
dashboard: `SAR`, `sar` and `Safeguarding Adult Review` are one document type,
and a reporting period such as `2022-23` is its end year, 2023.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Sequence

from pipeline.errors import UsageError
from pipeline.records import DOC_TYPES

# Names and abbreviations people use for each doc_type (compared in lower case, with
# spaces, hyphens and underscores treated alike).
DOC_TYPE_ALIASES = {
    "annual_report": ("annual", "annual report", "yearly report", "ar"),
    "sar": ("safeguarding adult review", "safeguarding adults review", "sar"),
    "cspr": (
        "child safeguarding practice review",
        "lcspr",
        "local child safeguarding practice review",
        "scr",
        "serious case review",
        "cspr",
    ),
    "rapid_review": ("rapid review", "rr"),
    "dhr": (
        "domestic homicide review",
        "dardr",
        "dadr",
        "domestic abuse related death review",
        "dhr",
    ),
    "learning_review": (
        "learning review",
        "thematic review",
        "lr",
        "learning briefing",
        "7 minute briefing",
        "slr",
        "safeguarding learning review",
    ),
    "inspection": (
        "inspection",
        "jtai",
        "ilacs",
        "ofsted",
        "focused visit",
        "joint targeted area inspection",
    ),
    "evaluation": ("evaluation", "research", "independent review"),
    "other": ("other", "guidance", "strategy"),
}
SEPARATORS = re.compile(r"[\s_\-]+")
YEAR_TEXT = re.compile(r"^\s*((?:19|20)\d\d)\s*(?:(?:-|–|/|to)\s*((?:19|20)?\d\d))?\s*$")
MIN_YEAR, MAX_YEAR = 1900, 2100
SUGGESTIONS = 3
SUGGESTION_CUTOFF = 0.6


def _key(text: str) -> str:
    return SEPARATORS.sub(" ", text.strip().lower())


ALIAS_TO_DOC_TYPE = {
    _key(alias): doc_type
    for doc_type in DOC_TYPES
    for alias in (doc_type, doc_type.replace("_", " "), *DOC_TYPE_ALIASES.get(doc_type, ()))
}


def _similarity(value: str, option: str) -> float:
    """Return how alike two lower-case strings are; a transposition ("sra" for "sar") scores high."""
    score = difflib.SequenceMatcher(None, value, option).ratio()
    if sorted(value) == sorted(option):
        score += 0.3
    return score + (0.1 if value[:1] == option[:1] else 0.0)


def nearest(value: str, choices: Iterable[str], *, count: int = SUGGESTIONS) -> list[str]:
    """Return the valid choices closest to `value` (case-insensitive), best first."""
    needle = value.strip().lower()
    options = list(dict.fromkeys(choices))
    scores = {option: _similarity(needle, option.lower()) for option in options}
    ranked = sorted(options, key=lambda option: -scores[option])
    return [option for option in ranked if scores[option] >= SUGGESTION_CUTOFF][:count]


def did_you_mean(value: str, choices: Sequence[str]) -> str:
    """Return " Did you mean X or Y?" for the nearest choices, or "" when none is close."""
    found = nearest(value, choices)
    if not found:
        return ""
    return " Did you mean " + " or ".join(found) + "?"


def normalise_doc_type(value: str) -> str:
    """Return the doc_type code for a name or abbreviation (`SAR`, `Serious Case Review`, `dhr`).

    Raises:
        UsageError: the value names no document type (the message lists them and the nearest).
    """
    found = ALIAS_TO_DOC_TYPE.get(_key(value))
    if found is None:
        close = [ALIAS_TO_DOC_TYPE[alias] for alias in nearest(_key(value), list(ALIAS_TO_DOC_TYPE))]
        hint = f" Did you mean {' or '.join(dict.fromkeys(close))}?" if close else ""
        raise UsageError(
            f"Unknown document type {value.strip()!r}.{hint} Use one of {', '.join(DOC_TYPES)} "
            "(common names such as SAR, CSPR, SCR, DHR, DARDR, LCSPR are understood)."
        )
    return found


def parse_year(value: str) -> int:
    """Return the year of `2023`, or the end year of a reporting period: `2022-23`, `2022/23`, `2022-2023`.

    Raises:
        UsageError: the text is neither a year nor a period of one or two years.
    """
    match = YEAR_TEXT.match(value)
    if not match:
        raise UsageError(
            f"{value.strip()!r} is not a year: write 2023, or a reporting period such as 2022-23 "
            "(its end year counts)."
        )
    start, end = int(match.group(1)), match.group(2)
    year = start if end is None else int(end) if len(end) == 4 else start // 100 * 100 + int(end)
    if end is not None and len(end) == 2 and year <= start:  # 1999-00: the next century
        year += 100
    if end is not None and not start < year <= start + 2:
        raise UsageError(f"{value.strip()!r} is not a reporting period: the end year must follow the start.")
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise UsageError(f"{value.strip()!r}: the year must be between {MIN_YEAR} and {MAX_YEAR}.")
    return year
