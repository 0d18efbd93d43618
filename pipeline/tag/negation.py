"""Negation, hedging and boilerplate cues around a theme match.

The cues are data (the ``[matching]`` table of the codebook); this module only
compiles them and answers three questions about a match inside a sentence:
is it negated ("no evidence of self-neglect", "exploitation was ruled out"),
is it hedged ("possible coercive control"), and does it sit inside statutory
boilerplate ("abuse or neglect (including self-neglect)").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import regex
from spacy.attrs import IDX, IS_PUNCT, LENGTH
from spacy.tokens import Doc, Span

from pipeline.tag.prefilter import Prefilter
from pipeline.tag.regex_check import bounded_finditer, bounded_regex
from pipeline.tag.taxonomy import MatchingRules


def phrase_regex(phrases: tuple[str, ...]) -> re.Pattern[str] | None:
    """Compile lower-case phrases into one word-bounded regex; a trailing ``*`` matches any word ending.

    Args:
        phrases: phrases such as ``"no evidence of"`` or ``"fire and rescue service*"``.

    Returns:
        The compiled pattern, or None when there are no phrases.
    """
    if not phrases:
        return None
    parts = []
    for phrase in sorted(set(phrases), key=len, reverse=True):
        words = phrase.lower()
        suffix = r"\w*" if words.endswith("*") else r"(?!\w)"
        parts.append(re.escape(words.rstrip("*")).replace(r"\ ", r"\s+") + suffix)
    return re.compile(r"(?<!\w)(?:" + "|".join(parts) + ")", re.IGNORECASE)


@dataclass
class CueChecker:
    """Compiled negation, hedge and boilerplate cues of one taxonomy."""

    negation_before: re.Pattern[str] | None
    negation_after: re.Pattern[str] | None
    hedge_before: re.Pattern[str] | None
    boilerplate: regex.Pattern[str] | None
    window: int
    boilerplate_filter: Prefilter | None = None

    @classmethod
    def from_rules(cls, rules: MatchingRules) -> CueChecker:
        """Compile the ``[matching]`` table of a taxonomy."""
        boilerplate = "|".join(f"(?:{pattern})" for pattern in rules.boilerplate)
        return cls(
            negation_before=phrase_regex(rules.negation_cues),
            negation_after=phrase_regex(rules.negation_after_cues),
            hedge_before=phrase_regex(rules.hedge_cues),
            boilerplate=bounded_regex(boilerplate, regex.IGNORECASE | regex.DOTALL) if boilerplate else None,
            window=rules.window,
            boilerplate_filter=Prefilter(
                [bounded_regex(pattern, regex.IGNORECASE | regex.DOTALL) for pattern in rules.boilerplate],
                flags=re.DOTALL,
                screened=True,
            ),
        )

    def is_negated(self, tokens: BlockTokens, sent: Span, start: int, end: int) -> bool:
        """Return whether a negation cue sits within the window before or after tokens ``start:end``."""
        before = tokens.window_before(sent.start, start, self.window)
        if self.negation_before is not None and self.negation_before.search(before):
            return True
        after = tokens.window_after(sent.end, end, self.window)
        return self.negation_after is not None and self.negation_after.search(after) is not None

    def is_hedged(self, tokens: BlockTokens, sent: Span, start: int) -> bool:
        """Return whether a hedge cue ("possible", "suspected") sits within the window before ``start``."""
        if self.hedge_before is None:
            return False
        return self.hedge_before.search(tokens.window_before(sent.start, start, self.window)) is not None

    def boilerplate_spans(self, text: str, offset: int) -> list[tuple[int, int]]:
        """Return the character spans (shifted by ``offset``) of statutory boilerplate in a sentence."""
        if self.boilerplate is None:
            return []
        prefilter = self.boilerplate_filter
        if prefilter is not None and prefilter.complete and not prefilter.may_match(text):
            return []  # most sentences: no bounded scan needed
        matches = bounded_finditer(self.boilerplate, text, "the [matching] boilerplate list")
        return [(offset + m.start(), offset + m.end()) for m in matches]


@dataclass(frozen=True)
class BlockTokens:
    """Where each token of a doc starts and ends in its text, and which are punctuation (no Token objects)."""

    text: str  # the doc's text
    starts: list[int]
    ends: list[int]
    punct: list[int]

    @classmethod
    def of(cls, doc: Doc, text: str) -> BlockTokens:
        """Read the arrays of a doc whose text is ``text``."""
        starts, lengths, punct = doc.to_array([IDX, LENGTH, IS_PUNCT]).T.tolist()
        ends = [start + length for start, length in zip(starts, lengths, strict=True)]
        return cls(text, starts, ends, punct)

    def _text(self, first: int, last: int) -> str:
        """Return the text of tokens ``first:last`` (as ``doc[first:last].text``)."""
        return self.text[self.starts[first] : self.ends[last - 1]] if first < last else ""

    def window_before(self, sent_start: int, start: int, window: int) -> str:
        """Return the lower-cased text of up to ``window`` words before token ``start`` in the sentence.

        Punctuation does not use up the window, so "no evidence of self-neglect or hoarding" reaches "no".
        """
        first, words = start, 0
        while first > sent_start and words < window:
            first -= 1
            words += not self.punct[first]
        return self._text(first, start).lower()

    def window_after(self, sent_end: int, end: int, window: int) -> str:
        """Return the lower-cased text of up to ``window`` words after token ``end`` in the sentence."""
        last, words = end, 0
        while last < sent_end and words < window:
            words += not self.punct[last]
            last += 1
        return self._text(end, last).lower()


def overlaps(start: int, end: int, spans: list[tuple[int, int]]) -> bool:
    """Return whether ``[start, end)`` overlaps any of the spans."""
    return any(s < end and start < e for s, e in spans)
