"""Text that is not a finding, recognised by its form wherever it sits.

Reference-list entries, glossary and acronym lines, statutory definitions, terms of
reference and membership or attendance lists mention themes without being evidence that
a document discusses them. Their forms are regular enough to recognise by pattern; the
patterns are data (``[matching.not_findings]`` in the codebook's matching.toml), one list
per form. The learned tagger uses the form as a feature of every sentence.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import regex

from pipeline.tag.literals import ScreenedAlternation
from pipeline.tag.prefilter import BACKREFERENCE
from pipeline.tag.regex_check import anchored_at_start, bounded_finditer, bounded_regex, slow_without_bounds

FORMS = ("reference_entry", "glossary_line", "statutory_definition", "terms_of_reference", "membership_list")


@dataclass
class FormRecogniser:
    """Compiled form patterns: ``form_of(sentence)`` is the form found earliest in it, or None."""

    patterns: Mapping[str, Sequence[str]]
    _compiled: regex.Pattern[str] | None = field(init=False, repr=False)
    _quick_start: re.Pattern[str] | None = field(init=False, repr=False)
    _quick: ScreenedAlternation | None = field(init=False, repr=False)
    _bounded: regex.Pattern[str] | None = field(init=False, repr=False)

    def __post_init__(self) -> None:
        """Compile every form's patterns into one alternation of named groups (one search per sentence).

        Most sentences have no form, so a quick pass decides that first: the patterns that can
        never be slow, joined for Python's own engine (several times faster; those anchored at the
        start tried there only, the others only in a sentence holding a word they need, see
        `literals`), and the others, with the time bound. Only a sentence where one of them
        matches is searched for its form.
        """
        groups = [
            f"(?P<{name}>{'|'.join(f'(?:{p})' for p in patterns)})"
            for name, patterns in self.patterns.items()
            if patterns
        ]
        self._compiled = bounded_regex("|".join(groups), 0) if groups else None
        every = [pattern for patterns in self.patterns.values() for pattern in patterns]
        quick = [pattern for pattern in every if _quick_safe(pattern)]
        rest = [pattern for pattern in every if pattern not in quick]
        at_start = [pattern for pattern in quick if anchored_at_start(pattern)]
        anywhere = [pattern for pattern in quick if pattern not in at_start]
        self._quick_start = _alternation(at_start)
        self._quick = ScreenedAlternation(anywhere) if anywhere else None
        self._bounded = bounded_regex("|".join(f"(?:{p})" for p in rest), 0) if rest else None

    @property
    def names(self) -> tuple[str, ...]:
        """Return the form names, in the order they are tried."""
        return tuple(self.patterns)

    def form_of(self, sentence: str) -> str | None:
        """Return the form of a sentence (the form matching earliest in it), or None for running text."""
        if self._compiled is None or not self._may_have_form(sentence):
            return None
        match = next(bounded_finditer(self._compiled, sentence, "matching.not_findings"), None)
        return None if match is None else match.lastgroup

    def _may_have_form(self, sentence: str) -> bool:
        if self._quick_start is not None and self._quick_start.match(sentence) is not None:
            return True
        if self._quick is not None and self._quick.search(sentence):
            return True
        if self._bounded is None:
            return False
        return next(bounded_finditer(self._bounded, sentence, "matching.not_findings"), None) is not None

    def __getstate__(self) -> dict[str, object]:
        """Pickle the patterns only (compiled patterns are rebuilt on load)."""
        return {"patterns": {name: list(patterns) for name, patterns in self.patterns.items()}}

    def __setstate__(self, state: dict[str, object]) -> None:
        """Rebuild the compiled patterns after unpickling."""
        self.patterns = state["patterns"]  # type: ignore[assignment]
        self.__post_init__()


def _alternation(patterns: list[str]) -> re.Pattern[str] | None:
    return re.compile("|".join(f"(?:{p})" for p in patterns)) if patterns else None


def _quick_safe(pattern: str) -> bool:
    """Return whether Python's engine, with no time bound, can run a form pattern (see __post_init__)."""
    try:
        re.compile(pattern)
    except re.error:
        return False
    return "(?P" not in pattern and not BACKREFERENCE.search(pattern) and not slow_without_bounds(pattern)
