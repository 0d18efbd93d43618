"""Literal strings a regex cannot match without, so most texts are ruled out by plain ``in`` tests.

A search with an alternation of many patterns tries every branch at every position of the
text, even where no branch could start. Most patterns name words they cannot match without
(``\\bdefin(?:es|ed) (?:\\w+\\s){0,6}as\\b`` needs "defines " or "defined "), and most texts hold
none of them; a substring test per word costs a fraction of that search (Hyperscan and RE2 prefilter
the same way). `required_literals` reads such a set from Python's own parse of a pattern; a
`ScreenedAlternation` searches its patterns only in texts holding one of their literals. The
screen never changes a result: a pattern with no set it can prove (case-insensitive ones, for
instance) is always searched.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any

try:  # Python 3.11+
    from re import _constants as sre  # type: ignore[attr-defined]
    from re import _parser as sre_parse  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - older Pythons
    import sre_constants as sre  # type: ignore[no-redef]
    import sre_parse  # type: ignore[no-redef]

# Alternative spellings one run of literals may multiply into ("[Tt]he [Cc]are" is 4 strings).
MAX_SPELLINGS = 16
# A set with more members than this costs more to test than the search it would save.
MAX_SET_SIZE = 40
CHARACTER_SET_LIMIT = 4  # [Tt] is two spellings; a bigger class is not worth spelling out
REPEATS = (sre.MAX_REPEAT, sre.MIN_REPEAT, getattr(sre, "POSSESSIVE_REPEAT", sre.MAX_REPEAT))

Literals = frozenset[str]
Parsed = list[tuple[Any, Any]]


def required_literals(pattern: str) -> Literals | None:
    """Return strings one of which every match of the pattern contains, or None when none is proven.

    Read case-sensitively, as Python's ``re`` without flags matches: a pattern case-insensitive
    throughout, or that does not parse, gets None; a case-insensitive group in it is skipped.
    """
    try:
        parsed = sre_parse.parse(pattern)
    except (re.error, RecursionError, OverflowError):
        return None
    if parsed.state.flags & sre.SRE_FLAG_IGNORECASE:
        return None
    return _sequence(list(parsed))


def _sequence(items: Parsed) -> Literals | None:
    """Return the most selective literal set among the parts a sequence must match, in order."""
    best: Literals | None = None
    run: list[str] | None = None  # the spellings of the literal run being read
    for op, av in items:
        characters = _characters(op, av)
        if characters is not None and run is not None and len(run) * len(characters) <= MAX_SPELLINGS:
            run = [spelling + character for spelling in run for character in characters]
            continue
        if run is not None:
            best = _more_selective(best, frozenset(run))
        run = sorted(characters) if characters is not None else None
        if characters is None:  # a group, an alternation, a repeat, an assertion...: ends the run
            best = _more_selective(best, _item(op, av))
    if run is not None:
        best = _more_selective(best, frozenset(run))
    return best


def _characters(op: Any, av: Any) -> set[str] | None:
    """Return the characters one parsed item matches, when it is a literal or a small set of them."""
    if op is sre.LITERAL:
        return {chr(av)}
    if op is sre.IN and len(av) <= CHARACTER_SET_LIMIT and all(kind is sre.LITERAL for kind, _ in av):
        return {chr(code) for _, code in av}
    return None


def _item(op: Any, av: Any) -> Literals | None:
    """Return the literal set of a group, an alternation or a repeat (None for anything else)."""
    if op is sre.SUBPATTERN:  # a case-insensitive group proves nothing read case-sensitively
        return None if av[1] & sre.SRE_FLAG_IGNORECASE else _sequence(list(av[3]))
    if op is sre.ASSERT:  # a lookahead or lookbehind must match too, inside the text
        return _sequence(list(av[1]))
    if op is getattr(sre, "ATOMIC_GROUP", None):
        return _sequence(list(av))
    if op in REPEATS:
        least, _, body = av
        return _sequence(list(body)) if least >= 1 else None
    if op is sre.BRANCH:
        union: set[str] = set()
        for branch in av[1]:
            literals = _sequence(list(branch))
            if literals is None:  # one branch can match without any literal
                return None
            union |= literals
        return frozenset(union) if len(union) <= MAX_SET_SIZE else None
    return None


def _more_selective(first: Literals | None, second: Literals | None) -> Literals | None:
    """Return the set a text is less likely to satisfy: longer shortest member, then fewer members."""
    if first is None or second is None:
        return first if second is None else second
    return second if _selectivity(second) > _selectivity(first) else first


def _selectivity(literals: Literals) -> tuple[int, int]:
    return min(map(len, literals)), -len(literals)


def literals_of(literal_sets: Iterable[Literals | None]) -> tuple[str, ...]:
    """Return the members of the sets, less every one that contains another (its text holds that one too)."""
    kept: list[str] = []
    every = {literal for literals in literal_sets if literals for literal in literals}
    for literal in sorted(every, key=lambda literal: (len(literal), literal)):  # the same order every run
        if not any(shorter in literal for shorter in kept):
            kept.append(literal)
    return tuple(kept)


class ScreenedAlternation:
    """Patterns searched as one alternation, but only in texts that hold one of their literals."""

    def __init__(self, patterns: Sequence[str]) -> None:
        """Split the patterns into those with a literal set (screened) and the others (always searched)."""
        literal_sets = [required_literals(pattern) for pattern in patterns]
        screened = [pattern for pattern, literals in zip(patterns, literal_sets, strict=True) if literals]
        always = [pattern for pattern, literals in zip(patterns, literal_sets, strict=True) if not literals]
        self.literals = literals_of(literal_sets)
        self._screened = _alternation(screened)
        self._always = _alternation(always)

    def search(self, text: str) -> bool:
        """Return whether any of the patterns matches in the text."""
        if self._always is not None and self._always.search(text) is not None:
            return True
        if self._screened is None or not any(literal in text for literal in self.literals):
            return False
        return self._screened.search(text) is not None


def _alternation(patterns: list[str]) -> re.Pattern[str] | None:
    return re.compile("|".join(f"(?:{pattern})" for pattern in patterns)) if patterns else None
