"""The spaCy pipeline the tagger runs, and sentence spans.

Blank English, the sentencizer plus a break after anonymised initials, and lookup
lemmas of lower-cased tokens.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import spacy
from spacy.attrs import ORTH
from spacy.language import Language
from spacy.lookups import load_lookups
from spacy.matcher import Matcher
from spacy.tokens import Doc, Span

LEMMATIZER_NAME = "lower_lookup_lemmatizer"


INITIAL_BREAKS_NAME = "initial_sentence_breaks"


# Reviews name people "Ms D", "Child C": "... involving Ms D. Members of the family ..." is two sentences,
# but the tokenizer keeps "D." whole, so the sentencizer sees no full stop there.
NAME_TITLES = ["mr", "mrs", "ms", "miss", "dr", "child", "baby", "adult", "sibling", "person"]


# Entries of the lookup table that would merge words with other meanings: the possessive "'s" is
# looked up as "have" (so "parent's capacity" would match "has capacity"), "as" as "a", "number" as "numb".
LEMMA_OVERRIDES = {
    "'s": "'s",
    "as": "as",
    "number": "number",
    "data": "data",
    "best": "best",
    "better": "better",
}


INITIALS = [f"{letter}." for letter in "ABCDEFGHIJKLMNOPQRSTUVWXYZ"]
INITIAL_BREAK_PATTERN: list[dict[str, Any]] = [
    {"LOWER": {"IN": NAME_TITLES}},
    {"ORTH": {"IN": INITIALS}},
    {"IS_TITLE": True},
]


class LowerLookupLemmatizer:
    """Set each token's lemma from spacy-lookups-data's English table, looked up lower-cased."""

    def __init__(self, nlp: Language) -> None:
        """Load the lemma lookup table once."""
        self.table = load_lookups("en", ["lemma_lookup"]).get_table("lemma_lookup")
        self.overrides = LEMMA_OVERRIDES
        self.strings = nlp.vocab.strings
        self.cache: dict[int, int] = {}

    def __call__(self, doc: Doc) -> Doc:
        """Set ``token.lemma`` for every token of the doc."""
        cache = self.cache
        for token in doc:
            lemma = cache.get(token.lower)
            if lemma is None:
                lower = token.lower_
                lemma = self.strings.add(self.overrides.get(lower) or self.table.get(lower, lower))
                cache[token.lower] = lemma
            token.lemma = lemma
        return doc


@Language.factory(LEMMATIZER_NAME)
def make_lower_lookup_lemmatizer(nlp: Language, name: str) -> LowerLookupLemmatizer:
    """Build the lower-case lookup lemmatizer (a spaCy factory)."""
    return LowerLookupLemmatizer(nlp)


class InitialSentenceBreaks:
    """Start a sentence after a full-stop initial of an anonymised name ("Ms D. Members ...")."""

    def __init__(self, nlp: Language) -> None:
        """Build the token matcher once (a Python loop over every token would cost more)."""
        self.matcher = Matcher(nlp.vocab)
        self.matcher.add(INITIAL_BREAKS_NAME, [INITIAL_BREAK_PATTERN])
        self.initials = frozenset(nlp.vocab.strings.add(initial) for initial in INITIALS)

    def __call__(self, doc: Doc) -> Doc:
        """Mark the word after "Ms D." as a sentence start."""
        if self.initials.isdisjoint(doc.to_array(ORTH).tolist()):
            return doc  # most blocks: no initial, so the pattern cannot match
        for _, _, end in self.matcher(doc):
            doc[end - 1].is_sent_start = True
        return doc


@Language.factory(INITIAL_BREAKS_NAME)
def make_initial_sentence_breaks(nlp: Language, name: str) -> InitialSentenceBreaks:
    """Build the initial-breaks component (a spaCy factory)."""
    return InitialSentenceBreaks(nlp)


def build_nlp() -> Language:
    """Return the blank English pipeline: tokenizer, sentencizer, initial breaks, lower-case lookup lemmas."""
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    nlp.add_pipe(INITIAL_BREAKS_NAME)
    nlp.add_pipe(LEMMATIZER_NAME)
    return nlp


def sentence_spans(
    sents: Sequence[Span], text: str, offset: int, first_unit: int
) -> dict[int, tuple[int, int, int]]:
    """Map each non-blank sentence of a doc to its unit number and its span in ``text``.

    Args:
        sents: the sentences of the spaCy doc of ``text[offset:]`` (one block or one string).
        text: the text offsets refer to.
        offset: where the doc's text starts in ``text``.
        first_unit: the unit number of the doc's first sentence.

    Returns:
        ``{first token of the sentence: (unit_no, start, end)}``, spans trimmed of whitespace.
    """
    spans: dict[int, tuple[int, int, int]] = {}
    for sent in sents:
        start, end = offset + sent.start_char, offset + sent.end_char
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if start < end:
            spans[sent.start] = (first_unit + len(spans), start, end)
    return spans
