"""Compile a codebook into spaCy matchers and regexes, and find candidate matches in a parsed text."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass

import regex
from spacy.attrs import IDX, LENGTH
from spacy.language import Language
from spacy.matcher import Matcher, PhraseMatcher
from spacy.tokens import Doc, Span

from pipeline.tag.negation import phrase_regex
from pipeline.tag.prefilter import Prefilter
from pipeline.tag.regex_check import bounded_finditer, bounded_regex
from pipeline.tag.taxonomy import RuleSet, Taxonomy, Theme

PREFIX_MARK = "*"
TWO_PLAIN_WORDS = re.compile(r"[a-z]+ [a-z]+")  # terms also matched hyphenated


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
        parsed_variants = self._parse_variants(taxonomy)
        for theme in taxonomy.themes:
            for rule_set in theme.rule_sets:
                self._compile(theme, rule_set, parsed_variants)
        all_matchers = (self.lemma_matcher, self.lower_matcher, self.orth_matcher, self.prefix_matcher)
        self.matchers = [matcher for matcher in all_matchers if len(matcher)]
        self.prefilter = Prefilter([pattern for _, pattern in self.regexes])

    def _parse_variants(self, taxonomy: Taxonomy) -> dict[str, Doc]:
        """Run the pipeline once over every term variant (one call per term costs twice as much)."""
        variants = {
            variant: None
            for theme in taxonomy.themes
            for rule_set in theme.rule_sets
            for term in rule_set.terms
            if not term.endswith(PREFIX_MARK)
            for variant in term_variants(term.lower())
        }
        return dict(zip(variants, self.nlp.pipe(list(variants)), strict=True))

    def _key(self, theme: Theme, rule_set: RuleSet, kind: str, text: str) -> tuple[str, _Rule]:
        """Register and return the matcher key (the rule id) of one rule."""
        rule = _Rule(f"{theme.id}/{rule_set.name}/{kind}:{text}", theme, rule_set)
        self.rules[self.nlp.vocab.strings.add(rule.rule_id)] = rule
        return rule.rule_id, rule

    def _compile(self, theme: Theme, rule_set: RuleSet, parsed_variants: dict[str, Doc]) -> None:
        """Add one rule set's terms, exact phrases, abbreviations and regexes to the matchers.

        ``parsed_variants`` holds the parsed doc of every term variant (see `_parse_variants`).
        """
        for term in rule_set.terms:
            if term.endswith(PREFIX_MARK):
                key, _ = self._key(theme, rule_set, "prefix", term)
                self.prefix_matcher.add(key, [self._prefix_pattern(term)])
                continue
            key, _ = self._key(theme, rule_set, "term", term)
            variants = term_variants(term.lower())
            self.lemma_matcher.add(key, [parsed_variants[variant] for variant in variants])
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
            self.regexes.append((rule, bounded_regex(pattern, regex.IGNORECASE)))
        scope = (theme.id, rule_set.name)
        self.exclusions[scope] = phrase_regex(theme.exclusions + rule_set.exclusions)
        self.requires[scope] = phrase_regex(rule_set.requires)

    def _prefix_pattern(self, term: str) -> list[dict]:
        """Return a Matcher pattern: lemmas for the leading words, a prefix regex for the last."""
        words = self.nlp(term.lower().rstrip(PREFIX_MARK))
        pattern: list[dict] = [{"LEMMA": token.lemma_} for token in words[:-1]]
        pattern.append({"LOWER": {"REGEX": "^" + re.escape(words[-1].lower_)}})
        return pattern

    def candidates(self, doc: Doc, sents: list[Span], text: str) -> list[_Candidate]:
        """Return every raw match in the doc, minus matches nested inside a longer one of the same theme.

        ``sents`` are the doc's sentences and ``text`` its text (``doc.text``, which spaCy would
        rebuild from the tokens on every access).
        """
        sent_of = [0] * len(doc)
        for number, sent in enumerate(sents):
            sent_of[sent.start : sent.end] = [number] * len(sent)
        found: list[_Candidate] = []
        token_starts: list[int] = []
        token_ends: list[int] = []
        for matcher in self.matchers:
            matches = matcher(doc)
            if matches and not token_starts:
                token_starts, token_ends = _token_offsets(doc)
            for key, start, end in matches:
                sent = sents[sent_of[start]]
                rule = self.rules[key]
                found.append(_Candidate(rule, token_starts[start], token_ends[end - 1], start, end, sent))
        regexes = self._regexes_to_run(text)
        if regexes and not token_starts:
            token_starts, token_ends = _token_offsets(doc)
        for rule, pattern in regexes:
            for match in bounded_finditer(pattern, text, f"theme {rule.theme.id} ({rule.theme.source})"):
                start = max(0, bisect_right(token_starts, match.start()) - 1)
                end = max(start + 1, bisect_left(token_starts, match.end()))
                sent = sents[sent_of[start]]
                found.append(_Candidate(rule, match.start(), match.end(), start, end, sent))
        return _drop_nested(found)

    def _regexes_to_run(self, text: str) -> list[tuple[_Rule, regex.Pattern[str]]]:
        """Return the regexes that can match in the text: all of them only if the prefilter finds one."""
        if self.prefilter.may_match(text):
            return self.regexes
        return [self.regexes[index] for index in self.prefilter.unfiltered]


def _token_offsets(doc: Doc) -> tuple[list[int], list[int]]:
    """Return where each token starts and ends in the doc's text (as ``Span.start_char``/``end_char``)."""
    starts, lengths = doc.to_array([IDX, LENGTH]).T.tolist()
    return starts, [start + length for start, length in zip(starts, lengths, strict=True)]


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
