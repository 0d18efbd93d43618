"""Tag sentences with themes from the codebook, with evidence for every mention.

One spaCy pipeline is built per tagger: ``spacy.blank("en")``, the rule-based
sentencizer (plus a break after anonymised initials, "Ms D. Members") and a lookup
lemmatizer over lower-cased tokens (the spaCy lookup lemmatizer is case-sensitive,
so "Referrals" would stay as is). Rules come from the taxonomy only:

* ``terms`` -> PhraseMatcher on LEMMA (plurals and verb forms match), with
  hyphen/space/joined and possessive variants generated here, and on LOWER for
  the written forms and their plurals;
* ``exact`` -> PhraseMatcher on LOWER; ``abbreviations`` -> PhraseMatcher on ORTH;
* terms ending in ``*`` -> Matcher with a prefix regex on the last token;
* ``regex`` -> Python regexes (case-insensitive) over the text.

A match then counts unless its block is in an uncounted section (contents,
glossary, references), it overlaps statutory boilerplate, it overlaps a theme
exclusion or lacks a required context word (wrong sense), or it is negated.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

import spacy
from spacy.language import Language
from spacy.lookups import load_lookups
from spacy.matcher import Matcher, PhraseMatcher
from spacy.tokens import Doc, Span

from pipeline.records import (
    BLOCK_SEPARATOR,
    UNCOUNTED_SECTIONS,
    ExtractedDocument,
    Mention,
    TaggedDocument,
    TextUnit,
)
from pipeline.tag.negation import CueChecker, overlaps, phrase_regex
from pipeline.tag.taxonomy import RuleSet, Taxonomy, Theme

DEFAULT_BATCH_SIZE = 256
DEFAULT_PAGE = 0
DEFAULT_SECTION = "body"
LEMMATIZER_NAME = "lower_lookup_lemmatizer"
INITIAL_BREAKS_NAME = "initial_sentence_breaks"
# Reviews name people "Ms D", "Child C": "... involving Ms D. Members of the family ..." is two sentences,
# but the tokenizer keeps "D." whole, so the sentencizer sees no full stop there.
NAME_TITLES = ["mr", "mrs", "ms", "miss", "dr", "child", "baby", "adult", "sibling", "person"]
INITIAL_BREAK_PATTERN: list[dict[str, Any]] = [
    {"LOWER": {"IN": NAME_TITLES}},
    {"ORTH": {"IN": [f"{letter}." for letter in "ABCDEFGHIJKLMNOPQRSTUVWXYZ"]}},
    {"IS_TITLE": True},
]
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
PREFIX_MARK = "*"
TWO_PLAIN_WORDS = re.compile(r"[a-z]+ [a-z]+")  # terms also matched hyphenated

REASON_BOILERPLATE = "boilerplate"
REASON_WRONG_SENSE = "wrong_sense"
REASON_NEGATED = "negated"
REASON_HEDGED = "hedged"

# Characters replaced one for one before matching (offsets are unchanged):
# curly quotes, non-breaking and typographic hyphens, no-break space.
MATCH_NORMALISATION = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u2010": "-",
        "\u2011": "-",
        "\u2012": "-",
        "\u2013": "-",
        "\u00a0": " ",
        "\u00ad": "-",
    }
)


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

    def __call__(self, doc: Doc) -> Doc:
        """Mark the word after "Ms D." as a sentence start."""
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


def normalise_for_matching(text: str) -> str:
    """Return the text with quotes and hyphens unified, same length so offsets still hold."""
    return text.translate(MATCH_NORMALISATION)


def themes_of(mentions: Iterable[Mention]) -> list[str]:
    """Return the sorted ids of the themes with at least one counted mention."""
    return sorted({mention.theme for mention in mentions if mention.counted})


@dataclass(frozen=True)
class _Rule:
    """What a matcher key stands for."""

    rule_id: str
    theme: Theme
    rule_set: RuleSet


@dataclass(frozen=True)
class _Candidate:
    """A raw match before its counted status is decided."""

    rule: _Rule
    start: int  # character offsets in the spaCy doc text
    end: int
    token_start: int
    token_end: int
    sent: Span


@dataclass
class _SentenceContext:
    """What the status checks need about one sentence, computed once per sentence with a match."""

    text: str
    boilerplate: list[tuple[int, int]] = field(default_factory=list)


def term_variants(term: str) -> list[str]:
    """Return spelling variants of a term: hyphen as space or joined, possessive dropped.

    Two plain words are also matched hyphenated ("information sharing" = "information-sharing").

    Args:
        term: a lower-case phrase such as ``"co-sleeping"``, ``"information sharing"`` or
            ``"carer's assessment"``.

    Returns:
        The term and its variants, without duplicates.
    """
    variants = [term]
    if "-" in term:
        variants += [term.replace("-", " "), term.replace("-", "")]
    elif TWO_PLAIN_WORDS.fullmatch(term):
        variants.append(term.replace(" ", "-"))
    if "'s " in term or term.endswith("'s"):
        variants.append(term.replace("'s", ""))
        variants.append(term.replace("'s", "s'"))
    return list(dict.fromkeys(variant.strip() for variant in variants if variant.strip()))


def plural_variants(phrases: list[str]) -> list[str]:
    """Return each phrase with a regular plural on its last word ("briefing" -> "briefings")."""
    plurals = []
    for phrase in phrases:
        if phrase[-1:].isalpha() and not phrase.endswith("s"):
            plurals.append(phrase + ("es" if phrase.endswith(("ch", "sh", "x")) else "s"))
    return plurals


class _CompiledRules:
    """The matchers and regexes built from a taxonomy, keyed back to their rules."""

    def __init__(self, nlp: Language, taxonomy: Taxonomy) -> None:
        """Compile every rule set of every theme."""
        self.nlp = nlp
        self.lemma_matcher = PhraseMatcher(nlp.vocab, attr="LEMMA")
        self.lower_matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.orth_matcher = PhraseMatcher(nlp.vocab, attr="ORTH")
        self.prefix_matcher = Matcher(nlp.vocab)
        self.rules: dict[int, _Rule] = {}
        self.regexes: list[tuple[_Rule, re.Pattern[str]]] = []
        self.exclusions: dict[tuple[str, str], re.Pattern[str] | None] = {}
        self.requires: dict[tuple[str, str], re.Pattern[str] | None] = {}
        for theme in taxonomy.themes:
            for rule_set in theme.rule_sets:
                self._compile(theme, rule_set)
        all_matchers = (self.lemma_matcher, self.lower_matcher, self.orth_matcher, self.prefix_matcher)
        self.matchers = [matcher for matcher in all_matchers if len(matcher)]

    def _key(self, theme: Theme, rule_set: RuleSet, kind: str, text: str) -> tuple[str, _Rule]:
        """Register and return the matcher key (the rule id) of one rule."""
        rule = _Rule(f"{theme.id}/{rule_set.name}/{kind}:{text}", theme, rule_set)
        self.rules[self.nlp.vocab.strings.add(rule.rule_id)] = rule
        return rule.rule_id, rule

    def _compile(self, theme: Theme, rule_set: RuleSet) -> None:
        """Add one rule set's terms, exact phrases, abbreviations and regexes to the matchers."""
        for term in rule_set.terms:
            if term.endswith(PREFIX_MARK):
                key, _ = self._key(theme, rule_set, "prefix", term)
                self.prefix_matcher.add(key, [self._prefix_pattern(term)])
                continue
            key, _ = self._key(theme, rule_set, "term", term)
            variants = term_variants(term.lower())
            self.lemma_matcher.add(key, list(self.nlp.pipe(variants)))
            # The lookup table is not always consistent ("briefing" -> "brief", "briefings" -> "briefing"),
            # so the written forms and their plurals are matched on LOWER as well.
            self.lower_matcher.add(key, [self.nlp.make_doc(v) for v in variants + plural_variants(variants)])
        for phrase in rule_set.exact:
            key, _ = self._key(theme, rule_set, "exact", phrase)
            self.lower_matcher.add(key, [self.nlp.make_doc(v) for v in term_variants(phrase.lower())])
        for abbreviation in rule_set.abbreviations:
            key, _ = self._key(theme, rule_set, "abbr", abbreviation)
            self.orth_matcher.add(key, [self.nlp.make_doc(abbreviation)])
        for pattern in rule_set.regex:
            _, rule = self._key(theme, rule_set, "regex", pattern)
            self.regexes.append((rule, re.compile(pattern, re.IGNORECASE)))
        scope = (theme.id, rule_set.name)
        self.exclusions[scope] = phrase_regex(theme.exclusions + rule_set.exclusions)
        self.requires[scope] = phrase_regex(rule_set.requires)

    def _prefix_pattern(self, term: str) -> list[dict]:
        """Return a Matcher pattern: lemmas for the leading words, a prefix regex for the last."""
        words = self.nlp(term.lower().rstrip(PREFIX_MARK))
        pattern: list[dict] = [{"LEMMA": token.lemma_} for token in words[:-1]]
        pattern.append({"LOWER": {"REGEX": "^" + re.escape(words[-1].lower_)}})
        return pattern

    def candidates(self, doc: Doc) -> list[_Candidate]:
        """Return every raw match in the doc, minus matches nested inside a longer one of the same theme."""
        sents = list(doc.sents)
        sent_of = [0] * len(doc)
        for number, sent in enumerate(sents):
            sent_of[sent.start : sent.end] = [number] * len(sent)
        found: list[_Candidate] = []
        for matcher in self.matchers:
            for key, start, end in matcher(doc):
                span = doc[start:end]
                sent = sents[sent_of[start]]
                found.append(_Candidate(self.rules[key], span.start_char, span.end_char, start, end, sent))
        token_starts = [token.idx for token in doc]
        text = doc.text  # built from the tokens on every access: read it once
        for rule, pattern in self.regexes:
            for match in pattern.finditer(text):
                start = max(0, bisect_right(token_starts, match.start()) - 1)
                end = max(start + 1, bisect_left(token_starts, match.end()))
                sent = sents[sent_of[start]]
                found.append(_Candidate(rule, match.start(), match.end(), start, end, sent))
        return _drop_nested(found)


def sentence_spans(doc: Doc, text: str, offset: int, first_unit: int) -> dict[int, tuple[int, int, int]]:
    """Map each non-blank sentence of a doc to its unit number and its span in ``text``.

    Args:
        doc: the spaCy doc of ``text[offset:]`` (one block or one string).
        text: the text offsets refer to.
        offset: where the doc's text starts in ``text``.
        first_unit: the unit number of the doc's first sentence.

    Returns:
        ``{first token of the sentence: (unit_no, start, end)}``, spans trimmed of whitespace.
    """
    spans: dict[int, tuple[int, int, int]] = {}
    for sent in doc.sents:
        start, end = offset + sent.start_char, offset + sent.end_char
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if start < end:
            spans[sent.start] = (first_unit + len(spans), start, end)
    return spans


def _drop_explained(mentions: list[Mention]) -> list[Mention]:
    """Drop wrong-sense matches inside a counted match of another theme ("neglect" in "self-neglect")."""
    counted = [(m.start, m.end, m.theme) for m in mentions if m.counted]
    return [
        m
        for m in mentions
        if m.reason != REASON_WRONG_SENSE
        or not any(s <= m.start and m.end <= e and theme != m.theme for s, e, theme in counted)
    ]


def _drop_nested(candidates: list[_Candidate]) -> list[_Candidate]:
    """Drop matches contained in a longer match of the same theme (keep the most specific rule)."""
    ordered = sorted(candidates, key=lambda c: (c.rule.theme.id, c.start, -c.end, c.rule.rule_id))
    kept: list[_Candidate] = []
    for candidate in ordered:
        last = kept[-1] if kept else None
        if (
            last is not None
            and last.rule.theme.id == candidate.rule.theme.id
            and last.start <= candidate.start
            and candidate.end <= last.end
        ):
            continue
        kept.append(candidate)
    return sorted(kept, key=lambda c: (c.start, c.rule.theme.id))


class ThemeTagger:
    """Tag texts and extracted documents with the themes of one taxonomy."""

    def __init__(self, taxonomy: Taxonomy, *, batch_size: int = DEFAULT_BATCH_SIZE) -> None:
        """Build the spaCy pipeline and compile the taxonomy's rules once."""
        self.taxonomy = taxonomy
        self.version = taxonomy.version
        self.batch_size = batch_size
        self.nlp = build_nlp()
        self.rules = _CompiledRules(self.nlp, taxonomy)
        self.cues = CueChecker.from_rules(taxonomy.matching)
        self.negatable_groups = set(taxonomy.matching.negatable_groups)

    def tag_texts(self, texts: list[str]) -> list[list[Mention]]:
        """Tag plain strings.

        Args:
            texts: the strings to tag.

        Returns:
            For each string, its mentions (offsets into that string, ``unit_no`` =
            sentence ordinal, page 0, section "body").
        """
        results = []
        for text, doc in zip(texts, self._pipe(texts), strict=True):
            sentences = sentence_spans(doc, text, 0, 0)
            results.append(self._mentions(doc, text, 0, sentences, DEFAULT_PAGE, DEFAULT_SECTION))
        return results

    def tag_document(self, document: ExtractedDocument) -> TaggedDocument:
        """Tag an extracted document block by block (sentences never span blocks).

        Args:
            document: the extracted document; offsets refer to ``document.text``.

        Returns:
            The document with its sentences as text units and its mentions; matches
            in uncounted sections (contents, glossary, references) are kept with
            ``counted=False`` and the section name as reason.
        """
        text = document.text
        units: list[TextUnit] = []
        mentions: list[Mention] = []
        offset = 0
        blocks = document.blocks
        for block, doc in zip(blocks, self._pipe([block.text for block in blocks]), strict=True):
            sentences = sentence_spans(doc, text, offset, len(units))
            for unit_no, start, end in sentences.values():
                units.append(
                    TextUnit(unit_no, start, end, block.page, block.section, block.kind, text[start:end])
                )
            mentions += self._mentions(doc, text, offset, sentences, block.page, block.section)
            offset += len(block.text) + len(BLOCK_SEPARATOR)
        return TaggedDocument(
            document=document, units=units, mentions=mentions, taxonomy_version=self.version
        )

    def _pipe(self, texts: list[str]) -> Iterator[Doc]:
        """Run the spaCy pipeline over normalised texts in batches."""
        normalised = (normalise_for_matching(text) for text in texts)
        return self.nlp.pipe(normalised, batch_size=self.batch_size)

    def _mentions(
        self,
        doc: Doc,
        text: str,
        offset: int,
        sentences: dict[int, tuple[int, int, int]],
        page: int,
        section: str,
    ) -> list[Mention]:
        """Turn the candidates of one doc into mentions with counted status and reason."""
        contexts: dict[int, _SentenceContext] = {}
        mentions = []
        for candidate in self.rules.candidates(doc):
            sent = candidate.sent
            if sent.start not in contexts:
                contexts[sent.start] = self._sentence_context(sent)
            reason = self._reason(doc, candidate, contexts[sent.start], section)
            hedged = self.cues.is_hedged(doc, sent, candidate.token_start)
            if reason is None and hedged and not self.taxonomy.matching.hedged_counts:
                reason = REASON_HEDGED
            start, end = offset + candidate.start, offset + candidate.end
            unit_no, sentence_start, sentence_end = sentences[sent.start]
            mentions.append(
                Mention(
                    theme=candidate.rule.theme.id,
                    start=start,
                    end=end,
                    text=text[start:end],
                    sentence=text[sentence_start:sentence_end],
                    unit_no=unit_no,
                    page=page,
                    section=section,
                    rule_id=candidate.rule.rule_id,
                    counted=reason is None,
                    reason=reason,
                    hedged=hedged,
                )
            )
        return _drop_explained(mentions)

    def _sentence_context(self, sent: Span) -> _SentenceContext:
        """Return the sentence text and the spans of statutory boilerplate in it."""
        return _SentenceContext(sent.text, self.cues.boilerplate_spans(sent.text, sent.start_char))

    def _reason(self, doc: Doc, candidate: _Candidate, context: _SentenceContext, section: str) -> str | None:
        """Return why a candidate is not counted, or None when it counts."""
        if section in UNCOUNTED_SECTIONS:
            return section
        if overlaps(candidate.start, candidate.end, context.boilerplate):
            return REASON_BOILERPLATE
        if self._wrong_sense(candidate, context):
            return REASON_WRONG_SENSE
        theme = candidate.rule.theme
        negatable = theme.negatable and theme.group in self.negatable_groups
        if negatable and self.cues.is_negated(
            doc, candidate.sent, candidate.token_start, candidate.token_end
        ):
            return REASON_NEGATED
        return None

    def _wrong_sense(self, candidate: _Candidate, context: _SentenceContext) -> bool:
        """Return whether an exclusion overlaps the match or a required context word is missing."""
        scope = (candidate.rule.theme.id, candidate.rule.rule_set.name)
        base = candidate.sent.start_char
        exclusion = self.rules.exclusions[scope]
        if exclusion is not None:
            spans = [(base + m.start(), base + m.end()) for m in exclusion.finditer(context.text)]
            if overlaps(candidate.start, candidate.end, spans):
                return True
        requires = self.rules.requires[scope]
        if requires is None:
            return False
        # The context word must lie outside the match itself ("pressure" does not vouch for "pressure").
        spans = [(base + m.start(), base + m.end()) for m in requires.finditer(context.text)]
        return not any(not overlaps(candidate.start, candidate.end, [span]) for span in spans)
