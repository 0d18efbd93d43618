"""One fast pass that tells whether any of a set of case-insensitive codebook regexes can match a text.

Codebook regexes run case-insensitively in the ``regex`` module, with a time bound
(``regex_check``). Python's own engine without IGNORECASE runs an alternation of all of
them over lower-cased text about six times faster than the ``regex`` module runs them one by
one, and the great majority of passages match none: so a passage is searched once that
way, and only if something matches are the patterns themselves run. It never changes a
result: a pattern joins the alternation only if lower-casing the text is exactly what its
IGNORECASE does (its source is ASCII and lower-case; the few characters that fold to an
ASCII letter without lower-casing to it are translated), it has no back-reference or named
group (numbers and names would clash), Python's engine reads it the same way, and it could
never be slow even with its repeats unbounded (the alternation has no time bound). The
other patterns are always run.
"""

from __future__ import annotations

import re

import regex

from pipeline.tag.literals import literals_of, required_literals
from pipeline.tag.regex_check import slow_without_bounds

ESCAPES = re.compile(r"\\.")
BACKREFERENCE = re.compile(r"\\[1-9]")
# The only characters that match an ASCII letter case-insensitively but do not lower-case to it
# (checked over every code point in the tests); "İ" lower-cases to two characters instead.
CASE_FOLD_FIXES = str.maketrans({"\u0131": "i", "\u017f": "s"})


class Prefilter:
    """The alternation of the patterns that can be prefiltered, and the indices of the others."""

    def __init__(self, patterns: list[regex.Pattern[str]], *, flags: int = 0, screened: bool = False) -> None:
        """Join the eligible patterns (``flags``: other flags they all share, such as DOTALL).

        `screened`: search the alternation only in texts holding a word one of the patterns needs
        (`literals`), when every eligible pattern has such words. It pays for long, rare phrases
        (statutory boilerplate: 3% of sentences hold one of its words) and not for short common
        ones (the codebook's regexes need words such as "on" and "care", in 87% of blocks).
        """
        eligible = [index for index, pattern in enumerate(patterns) if prefilter_safe(pattern)]
        self.unfiltered = [index for index in range(len(patterns)) if index not in set(eligible)]
        alternation = "|".join(f"(?:{patterns[index].pattern})" for index in eligible)
        self.pattern = re.compile(alternation, flags) if eligible else None
        literal_sets = [required_literals(patterns[index].pattern) for index in eligible]
        every_set = screened and bool(eligible) and all(literal_sets)
        self.literals = literals_of(literal_sets) if every_set else None

    @property
    def complete(self) -> bool:
        """Return whether every pattern is in the alternation (a miss then rules out all of them)."""
        return self.pattern is not None and not self.unfiltered

    def may_match(self, text: str) -> bool:
        """Return whether an eligible pattern may match the text (True whenever it cannot tell)."""
        if self.pattern is None:
            return True
        lowered = text.lower()
        if len(lowered) != len(text):  # offsets would not line up: no shortcut
            return True
        folded = lowered.translate(CASE_FOLD_FIXES)
        if self.literals is not None and not any(literal in folded for literal in self.literals):
            return False
        return self.pattern.search(folded) is not None


def prefilter_safe(pattern: regex.Pattern[str]) -> bool:
    """Return whether a case-insensitive pattern can join a prefilter (see the module doc)."""
    plain = ESCAPES.sub("", pattern.pattern)
    no_references = not BACKREFERENCE.search(pattern.pattern) and "(?P" not in pattern.pattern
    lowercase = bool(pattern.flags & regex.IGNORECASE) and plain.isascii() and plain == plain.lower()
    if not (lowercase and no_references):
        return False
    try:
        re.compile(pattern.pattern)
    except re.error:
        return False
    return not slow_without_bounds(pattern.pattern)
