"""The literal screen: words a pattern cannot match without, tested before its alternation is searched."""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.tag.forms import FormRecogniser
from pipeline.tag.literals import ScreenedAlternation, required_literals
from pipeline.tag.taxonomy import load_taxonomy

FORM_PATTERNS_BY_NAME = dict(load_taxonomy().matching.not_findings)
FORM_PATTERNS = [pattern for patterns in FORM_PATTERNS_BY_NAME.values() for pattern in patterns]


@pytest.mark.parametrize(
    ("pattern", "literals"),
    [
        (r"\bdefin(?:es|ed) (?:[\w\-']+\s){0,6}as\b", {"defines ", "defined "}),
        (r"\b[Tt]he (?:statutory )?definition of\b", {"definition of"}),  # the longest run wins
        (r"[Tt]erms", {"Terms", "terms"}),
        (r"\bdoi:\s*10\.\d{4,}|\bISBN\b", {"doi:", "ISBN"}),
        (r"ab(?:cd)+", {"ab"}),  # a repeat at least once is required too
        (r"(?=Vol\.)\w+", {"Vol."}),  # so is a lookahead
        (r"(?!Note)\w+: x", {": x"}),  # a negative lookahead proves nothing
        (r"Under (?i:section) \d+", {"Under "}),  # a case-insensitive group is skipped
    ],
)
def test_required_literals(pattern: str, literals: set[str]) -> None:
    assert required_literals(pattern) == literals


@pytest.mark.parametrize(
    "pattern",
    [
        r"(?i)terms of reference",  # case-insensitive throughout
        r"(?:abc){0,3}",  # may match without the literal
        r"a|\d+",  # one branch needs no literal
        r"[A-Z]{2,8}\s*$",
        r"(unclosed",
    ],
)
def test_no_literals_when_none_is_required(pattern: str) -> None:
    assert required_literals(pattern) is None


@pytest.mark.parametrize("pattern", FORM_PATTERNS)
@settings(  # derandomized: the same draws in every run, so CI cannot flake on a rare one
    max_examples=60,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
@given(data=st.data())
def test_every_match_of_a_codebook_form_holds_one_of_its_literals(pattern: str, data: st.DataObject) -> None:
    literals = required_literals(pattern)
    if literals is None:
        return
    text = data.draw(st.from_regex(re.compile(pattern)))
    assert re.search(pattern, text) and any(literal in text for literal in literals)


def test_the_codebook_form_patterns_are_mostly_screened() -> None:
    """Guards the speed: a pattern edit that loses its literals makes every sentence search it."""
    screened = [pattern for pattern in FORM_PATTERNS if required_literals(pattern)]
    assert len(screened) >= 0.9 * len(FORM_PATTERNS)


SENTENCES = [
    "Smith, J. (2019) Working with self-neglect. London: Publisher.",
    "Self-neglect is defined as a lack of self-care.",
    "The terms of reference asked whether agencies shared information.",
    "Agencies submitted individual management reviews.",
    "Attendance at board meetings was 92%.",
    "Practitioners did not see the child alone.",
    "The review was commissioned under section 44 of the Care Act 2014.",
    "Mrs B's home was cluttered and she declined help.",
    "",
]


def test_screened_alternation_finds_what_the_plain_alternation_finds() -> None:
    patterns = [*FORM_PATTERNS, r"(?i:attendance)", r"\d{2}%"]
    plain = re.compile("|".join(f"(?:{pattern})" for pattern in patterns))
    screened = ScreenedAlternation(patterns)
    texts = [*SENTENCES, *(sentence.upper() for sentence in SENTENCES), *(s.lower() for s in SENTENCES)]
    assert [screened.search(text) for text in texts] == [plain.search(text) is not None for text in texts]
    assert any(screened.search(text) for text in texts) and not all(screened.search(text) for text in texts)


def test_superstring_literals_are_dropped() -> None:
    screened = ScreenedAlternation([r"\bdefined\b", r"is defined as", r"\bISBN"])
    assert sorted(screened.literals) == ["ISBN", "defined"]


def test_form_recognition_is_unchanged_by_the_screen() -> None:
    forms = FormRecogniser(FORM_PATTERNS_BY_NAME)
    unscreened = FormRecogniser(forms.patterns)
    unscreened._quick = None  # every sentence then goes to the full, bounded search
    unscreened._quick_start = None
    unscreened._bounded = unscreened._compiled
    texts = [*SENTENCES, *(sentence.upper() for sentence in SENTENCES)]
    assert [forms.form_of(text) for text in texts] == [unscreened.form_of(text) for text in texts]
    assert {forms.form_of(text) for text in texts} >= {"reference_entry", "statutory_definition", None}
