"""The regex prefilter: one case-sensitive pass over lower-cased text decides which blocks run the regexes."""

from __future__ import annotations

import re
import sys

import pytest
import regex

from pipeline.tag.prefilter import CASE_FOLD_FIXES, Prefilter
from pipeline.tag.regex_check import anchored_at_start
from pipeline.tag.rules import ThemeTagger
from pipeline.tag.taxonomy import load_taxonomy
from tests.pipeline.theme_examples import NEGATIVE, POSITIVE

ASCII_LETTERS = "abcdefghijklmnopqrstuvwxyz"


def test_lower_casing_matches_whatever_ignorecase_matches() -> None:
    """Every character an ASCII letter matches case-insensitively lower-cases (with the fixes) to it."""
    letters = {letter: regex.compile(letter, regex.IGNORECASE | regex.VERSION0) for letter in ASCII_LETTERS}
    misses = []
    for code in range(sys.maxunicode + 1):
        char = chr(code)
        lowered = char.lower()
        if len(lowered) != 1:  # the tagger does not filter such texts (offsets would move)
            continue
        folded = lowered.translate(CASE_FOLD_FIXES)
        misses += [
            (char, letter) for letter, rx in letters.items() if rx.fullmatch(char) and folded != letter
        ]
    assert misses == []


def test_patterns_that_cannot_be_lower_cased_always_run() -> None:
    sources = (r"\bcare\s+plan", r"\bGP\b", r"(a)\1", r"\bcafé", r"(?:a{1,9}){1,99}b", r"\bx\p{L}")
    patterns = [regex.compile(p, regex.IGNORECASE | regex.VERSION0) for p in sources]
    prefilter = Prefilter(patterns)
    assert prefilter.unfiltered == [1, 2, 3, 4, 5] and not prefilter.complete
    assert prefilter.may_match("the Care  Plan") and not prefilter.may_match("the care home")
    assert Prefilter(patterns[:1]).complete and Prefilter([]).may_match("anything")


@pytest.fixture(scope="module")
def tagger() -> ThemeTagger:
    return ThemeTagger(load_taxonomy())


def test_tagging_with_and_without_the_prefilter_is_identical(tagger: ThemeTagger) -> None:
    texts = [text for cases in (POSITIVE, NEGATIVE) for examples in cases.values() for text in examples]
    texts += [text.upper() for text in texts[:50]] + [
        "ſhe STOLE money from his purse",
        "İnspectors noted neglect",
    ]
    fast = tagger.tag_texts(texts)
    prefilters = tagger.rules.prefilter, tagger.cues.boilerplate_filter
    try:
        tagger.rules.prefilter, tagger.cues.boilerplate_filter = Prefilter([]), None
        assert tagger.tag_texts(texts) == fast
    finally:
        tagger.rules.prefilter, tagger.cues.boilerplate_filter = prefilters
    assert (
        all(p is not None and p.complete for p in prefilters) and sum(bool(m) for m in fast) > len(texts) / 2
    )


def test_only_patterns_that_must_start_at_the_start_are_anchored() -> None:
    anchored = [r"^\s*[A-Z]+:", r"^(?=.*,)x|^y", r"^(?:a|b)c"]
    not_anchored = [r"^a|b", r"(?m)^a", r"(?:^a)?b", r"a^", r"\bterms of reference\b"]
    assert [anchored_at_start(p) for p in anchored] == [True] * len(anchored)
    assert [anchored_at_start(p) for p in not_anchored] == [False] * len(not_anchored)


def test_a_screened_prefilter_searches_only_texts_holding_a_word_its_patterns_need() -> None:
    sources = (r"section 44 of the care act.*", r"(?:known or suspected|suspected or known) abuse")
    patterns = [regex.compile(p, regex.IGNORECASE | regex.VERSION0) for p in sources]
    screened = Prefilter(patterns, flags=re.DOTALL, screened=True)
    assert screened.literals == ("known or suspected", "suspected or known", "section 44 of the care act")
    assert screened.may_match("Under SECTION 44 of the Care Act 2014") and screened.may_match(
        "Suspected or known abuse"
    )
    assert not screened.may_match("section 44") and not screened.may_match("known or suspected neglect")
    assert Prefilter(patterns).literals is None  # not asked for
    wordless = regex.compile(r"\w{3,}\s+\d+", regex.IGNORECASE | regex.VERSION0)
    assert Prefilter([*patterns, wordless], screened=True).literals is None  # one pattern needs no word


def test_the_boilerplate_prefilter_is_screened(tagger: ThemeTagger) -> None:
    """Guards the speed: statutory wordings are rare, so most sentences skip the alternation."""
    boilerplate = tagger.cues.boilerplate_filter
    assert boilerplate is not None and boilerplate.literals and boilerplate.complete
