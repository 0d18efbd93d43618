"""Codebook regexes: refused on load if they could hang tagging or count empty mentions; matched with a bound.

Two checks on the parsed pattern (Python's own regex parser):
- it must not match the empty string (`x*`, `\\b`): every counted mention must hold text;
- it must not repeat, without a bound, a part that itself repeats without a bound and
  can split the same text in more than one way (`(a+)+$`, `(\\w+\\s?)*;`): such patterns
  take exponential time on a sentence that nearly matches. A repeated part with a
  mandatory separator its inner repetition cannot match (`(?:\\w+\\s+)*`,
  `(?:the\\s+|of\\s+)*`) splits text one way only and is accepted.
Matching still runs with a time bound (`tag.matcher`), for slow patterns no check foresees.
"""

from __future__ import annotations

import string
from collections.abc import Iterator
from typing import Any

import regex

from pipeline.errors import RegexTimeoutError

try:  # Python 3.11+
    from re import _constants as sre  # type: ignore[attr-defined]
    from re import _parser as sre_parse  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - older Pythons
    import sre_constants as sre  # type: ignore[no-redef]
    import sre_parse  # type: ignore[no-redef]

# The time one codebook regex may take over one block of text (at most 50,000 characters,
# see extract.limits): a sane pattern takes well under a millisecond there.
REGEX_TIMEOUT_S = 2.0


def bounded_regex(pattern: str, flags: int) -> regex.Pattern[str]:
    """Compile a codebook regex with the `regex` module, which can stop a match after a timeout."""
    return regex.compile(pattern, flags | regex.VERSION0)


def bounded_finditer(pattern: regex.Pattern[str], text: str, where: str) -> Iterator[regex.Match[str]]:
    """Yield the matches of a codebook regex, stopping it after REGEX_TIMEOUT_S.

    Raises:
        RegexTimeoutError: the pattern took longer (it names the pattern and `where` it is defined).
    """
    try:
        yield from pattern.finditer(text, timeout=REGEX_TIMEOUT_S)
    except TimeoutError:
        raise RegexTimeoutError(
            f"The codebook regex {pattern.pattern!r} of {where} took more than {REGEX_TIMEOUT_S:.0f} s "
            "on one passage of this file, so the file was not tagged. Simplify the pattern "
            "(nested repetition such as (a+)+ is the usual cause) and run ingest again."
        ) from None


def anchored_at_start(pattern: str) -> bool:
    """Return whether Python's engine can match the pattern only at the start of the text (a leading ``^``).

    Then ``search`` and ``match`` agree, and ``match`` never tries the other positions.
    """
    parsed = sre_parse.parse(pattern)
    if parsed.state.flags & sre.SRE_FLAG_MULTILINE:
        return False
    return bool(parsed.data) and parsed.data[0] == (sre.AT, sre.AT_BEGINNING)


REPEATS = (sre.MAX_REPEAT, sre.MIN_REPEAT)
SAMPLE_CHARS = string.printable + "\u00a0\u00e9\u2019\u2013"
CATEGORY_TESTS = {
    sre.CATEGORY_DIGIT: str.isdigit,
    sre.CATEGORY_SPACE: str.isspace,
    sre.CATEGORY_WORD: lambda ch: ch.isalnum() or ch == "_",
}


def regex_problem(pattern: str, *, may_match_empty: bool = False) -> str | None:
    """Return why a (valid) pattern is refused, or None when it is accepted.

    Args:
        pattern: the regular expression.
        may_match_empty: accept patterns that can match the empty string (boilerplate
            spans may; a theme's mentions may not).
    """
    parsed = sre_parse.parse(pattern)
    if not may_match_empty and parsed.getwidth()[0] == 0:
        return "can match the empty string (every mention must hold some text)"
    if _ambiguous_repeat(list(parsed)):
        return (
            "repeats a part that itself repeats (as in (a+)+ or (\\w+\\s?)*), which can take "
            "exponential time on one sentence; give the inner part a separator or a bound"
        )
    return None


def slow_without_bounds(pattern: str) -> bool:
    """Return whether a pattern would be refused if its bounded repeats had no bound ({1,99} as +).

    Such a pattern (``(?:a{1,9}){1,99}b``) can still take very long within its bounds, so it is
    only ever matched with the time bound, never by a faster unbounded engine.
    """
    parsed = sre_parse.parse(pattern)
    return _ambiguous_repeat(_without_bounds(list(parsed), parsed.state))


def _without_bounds(items: list[Any], state: Any) -> list[Any]:
    """Return a copy of parsed items whose repeats have no upper bound."""

    def body(sub: Any) -> Any:
        return sre_parse.SubPattern(state, _without_bounds(list(sub), state))

    copied = []
    for op, av in items:
        if op in REPEATS:  # an optional part (at most once) cannot multiply: it keeps its bound
            av = (av[0], sre.MAXREPEAT if av[1] > 1 else av[1], body(av[2]))
        elif op is sre.SUBPATTERN:
            av = (*av[:-1], body(av[-1]))
        elif op is sre.BRANCH:
            av = (av[0], [body(branch) for branch in av[1]])
        elif op in (sre.ASSERT, sre.ASSERT_NOT):
            av = (av[0], body(av[1]))
        copied.append((op, av))
    return copied


def _ambiguous_repeat(items: list[Any]) -> bool:
    """Return whether any unbounded repeat in `items` has a body that splits text ambiguously."""
    for op, av in items:
        if op in REPEATS and av[1] == sre.MAXREPEAT and _body_is_ambiguous(list(av[2])):
            return True
        if any(_ambiguous_repeat(child) for child in _children(op, av)):
            return True
    return False


def _children(op: Any, av: Any) -> list[list[Any]]:
    """Return the item lists nested in one item (a repeat's body, a group, branches, a lookaround)."""
    if op in REPEATS:
        return [list(av[2])]
    if op is sre.SUBPATTERN:
        return [list(av[-1])]
    if op is sre.BRANCH:
        return [list(branch) for branch in av[1]]
    if op in (sre.ASSERT, sre.ASSERT_NOT):
        return [list(av[1])]
    return []


def _body_is_ambiguous(items: list[Any]) -> bool:
    """Return whether a repeated body holds an unbounded repeat and no separator that breaks it."""
    alternatives = _alternatives(items)
    return any(_alternative_is_ambiguous(alternative) for alternative in alternatives)


def _alternatives(items: list[Any]) -> list[list[Any]]:
    """Split a body made of one group or one branch into its alternatives."""
    if len(items) == 1:
        op, av = items[0]
        if op is sre.SUBPATTERN:
            return _alternatives(list(av[-1]))
        if op is sre.BRANCH:
            return [flat for branch in av[1] for flat in _alternatives(list(branch))]
    return [items]


def _alternative_is_ambiguous(items: list[Any]) -> bool:
    """Return whether some unbounded inner repeat has no mandatory neighbour it cannot match."""
    for index, (op, av) in enumerate(items):
        inner = _unbounded_chars(op, av) if op in REPEATS else []
        if op is sre.SUBPATTERN:
            inner = _nested_unbounded(list(av[-1]))
        for chars in inner:
            others = [item for j, item in enumerate(items) if j != index and _is_mandatory(*item)]
            if not any(not (_chars([other]) & chars) for other in others):
                return True
    return False


def _unbounded_chars(op: Any, av: Any) -> list[frozenset[str]]:
    low, high, body = av
    if high == sre.MAXREPEAT:
        return [_chars(list(body))]
    return _nested_unbounded(list(body))


def _nested_unbounded(items: list[Any]) -> list[frozenset[str]]:
    found: list[frozenset[str]] = []
    for op, av in items:
        if op in REPEATS:
            found += _unbounded_chars(op, av)
        elif op is sre.SUBPATTERN:
            found += _nested_unbounded(list(av[-1]))
        elif op is sre.BRANCH:
            for branch in av[1]:
                found += _nested_unbounded(list(branch))
    return found


def _is_mandatory(op: Any, av: Any) -> bool:
    """Return whether an item always consumes at least one character."""
    if op in REPEATS:
        return av[0] >= 1 and _width(list(av[2])) > 0
    if op is sre.SUBPATTERN:
        return _width(list(av[-1])) > 0
    return op in (sre.LITERAL, sre.NOT_LITERAL, sre.IN, sre.ANY)


def _width(items: list[Any]) -> int:
    return sre_parse.SubPattern(sre_parse.State(), items).getwidth()[0]


def _chars(items: list[Any]) -> frozenset[str]:
    """Return the sample characters any atom of `items` can match (case-insensitively)."""
    found: set[str] = set()
    for op, av in items:
        if op in REPEATS:
            found |= _chars(list(av[2]))
        elif op is sre.SUBPATTERN:
            found |= _chars(list(av[-1]))
        elif op is sre.BRANCH:
            for branch in av[1]:
                found |= _chars(list(branch))
        elif op in (sre.LITERAL, sre.NOT_LITERAL, sre.IN, sre.ANY):
            found |= {ch for ch in SAMPLE_CHARS if _atom_matches(op, av, ch)}
    return frozenset(found)


def _atom_matches(op: Any, av: Any, ch: str) -> bool:
    if op is sre.ANY:
        return ch != "\n"
    if op is sre.LITERAL:
        return ch.lower() == chr(av).lower()
    if op is sre.NOT_LITERAL:
        return ch.lower() != chr(av).lower()
    negate = any(item_op is sre.NEGATE for item_op, _ in av)
    hit = any(_set_item_matches(item_op, item_av, ch) for item_op, item_av in av if item_op is not sre.NEGATE)
    return hit != negate


def _set_item_matches(op: Any, av: Any, ch: str) -> bool:
    if op is sre.LITERAL:
        return ch.lower() == chr(av).lower()
    if op is sre.RANGE:
        return av[0] <= ord(ch.lower()) <= av[1] or av[0] <= ord(ch.upper()) <= av[1]
    if op is sre.CATEGORY:
        name = str(av)
        for category, test in CATEGORY_TESTS.items():
            if name == str(category):
                return bool(test(ch))
            if name == str(category).replace("CATEGORY_", "CATEGORY_NOT_"):
                return not test(ch)
    return True  # anything unforeseen: assume it overlaps (refusing is the safe side)
