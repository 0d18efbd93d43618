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
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from spacy.tokens import Doc, Span

from pipeline.records import (
    BLOCK_SEPARATOR,
    UNCOUNTED_SECTIONS,
    ExtractedDocument,
    Mention,
    TaggedDocument,
    TextUnit,
)
from pipeline.tag.forms import FormRecogniser
from pipeline.tag.matcher import _Candidate, _CompiledRules
from pipeline.tag.negation import BlockTokens, CueChecker, overlaps
from pipeline.tag.sentences import build_nlp, sentence_spans
from pipeline.tag.taxonomy import Taxonomy

DEFAULT_BATCH_SIZE = 256
DEFAULT_PAGE = 0
DEFAULT_SECTION = "body"

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


def normalise_for_matching(text: str) -> str:
    """Return the text with quotes and hyphens unified, same length so offsets still hold."""
    return text.translate(MATCH_NORMALISATION)


def themes_of(mentions: Iterable[Mention]) -> list[str]:
    """Return the sorted ids of the themes with at least one counted mention."""
    return sorted({mention.theme for mention in mentions if mention.counted})


@dataclass
class _SentenceContext:
    """What the status checks need about one sentence, computed once per sentence with a match."""

    text: str
    boilerplate: list[tuple[int, int]] = field(default_factory=list)
    spans: dict[tuple[str, str, str], list[tuple[int, int]]] = field(default_factory=dict)  # per rule scope


# Forms that count no theme are looked for in blocks this short: a block is then one entry (a list
# item, a footnote, a line of a reference list) and all its sentences share its form; the
# sentencizer cuts "Haworth J, Pemberton L. Hoarding and fire deaths. Age Soc Care. 2021;12:44."
# into four sentences, none of which looks like a reference on its own. Longer blocks are running
# text (searching each of their sentences cost 6% of tagging time and found no entry in
# ../shared/corpus/real outside its reference sections).
MAX_FORM_BLOCK_CHARS = 400


@dataclass(frozen=True)
class _Block:
    """One parsed block (or text): its doc and sentences, its normalised text, where it sits."""

    doc: Doc
    sents: list[Span]
    matched: str  # the normalised text the doc was made from (== doc.text)
    offset: int
    page: int
    section: str


def _drop_explained(mentions: list[Mention]) -> list[Mention]:
    """Drop wrong-sense matches inside a counted match of another theme ("neglect" in "self-neglect")."""
    counted = [(m.start, m.end, m.theme) for m in mentions if m.counted]
    return [
        m
        for m in mentions
        if m.reason != REASON_WRONG_SENSE
        or not any(s <= m.start and m.end <= e and theme != m.theme for s, e, theme in counted)
    ]


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
        uncounted = set(taxonomy.matching.uncounted_forms)
        # Only the uncounting forms are searched for (all five, in every sentence: a quarter of tagging time).
        self.uncounted_forms = FormRecogniser(
            {form: patterns for form, patterns in taxonomy.matching.not_findings if form in uncounted}
        )

    def tag_texts(self, texts: list[str]) -> list[list[Mention]]:
        """Tag plain strings.

        Args:
            texts: the strings to tag.

        Returns:
            For each string, its mentions (offsets into that string, ``unit_no`` =
            sentence ordinal, page 0, section "body").
        """
        results = []
        for text, (matched, doc) in zip(texts, self._pipe(texts), strict=True):
            sents = list(doc.sents)
            sentences = sentence_spans(sents, text, 0, 0)
            block = _Block(doc, sents, matched, 0, DEFAULT_PAGE, DEFAULT_SECTION)
            results.append(self._mentions(block, text, sentences))
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
        for block, (matched, doc) in zip(blocks, self._pipe([block.text for block in blocks]), strict=True):
            sents = list(doc.sents)
            sentences = sentence_spans(sents, text, offset, len(units))
            for unit_no, start, end in sentences.values():
                units.append(
                    TextUnit(unit_no, start, end, block.page, block.section, block.kind, text[start:end])
                )
            parsed = _Block(doc, sents, matched, offset, block.page, block.section)
            mentions += self._mentions(parsed, text, sentences)
            offset += len(block.text) + len(BLOCK_SEPARATOR)
        return TaggedDocument(
            document=document, units=units, mentions=mentions, taxonomy_version=self.version
        )

    def _pipe(self, texts: list[str]) -> Iterator[tuple[str, Doc]]:
        """Run the spaCy pipeline over normalised texts in batches; yield each with its doc."""
        normalised = [normalise_for_matching(text) for text in texts]
        return zip(normalised, self.nlp.pipe(normalised, batch_size=self.batch_size), strict=True)

    def _mentions(
        self, block: _Block, text: str, sentences: dict[int, tuple[int, int, int]]
    ) -> list[Mention]:
        """Turn the candidates of one block into mentions with counted status and reason."""
        contexts: dict[int, _SentenceContext] = {}
        mentions = []
        doc, offset, section = block.doc, block.offset, block.section
        candidates = self.rules.candidates(doc, block.sents, block.matched)
        if not candidates:
            return []
        tokens = BlockTokens.of(doc, block.matched)
        form = self._uncounted_form(text[offset : offset + len(block.matched)])
        for candidate in candidates:
            sent = candidate.sent
            if sent.start not in contexts:
                contexts[sent.start] = self._sentence_context(sent, block.matched)
            reason = self._reason(tokens, candidate, contexts[sent.start], section, form)
            hedged = self.cues.is_hedged(tokens, sent, candidate.token_start)
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
                    page=block.page,
                    section=section,
                    rule_id=candidate.rule.rule_id,
                    counted=reason is None,
                    reason=reason,
                    hedged=hedged,
                )
            )
        return _drop_explained(mentions)

    def _sentence_context(self, sent: Span, doc_text: str) -> _SentenceContext:
        """Return the sentence text and the spans of statutory boilerplate in it."""
        text = doc_text[sent.start_char : sent.end_char]  # == sent.text
        return _SentenceContext(text, self.cues.boilerplate_spans(text, sent.start_char))

    def _uncounted_form(self, block_text: str) -> str | None:
        """Return the block's form when it is one whose sentences count no theme (short blocks only)."""
        return self.uncounted_forms.form_of(block_text) if len(block_text) <= MAX_FORM_BLOCK_CHARS else None

    def _reason(
        self,
        tokens: BlockTokens,
        candidate: _Candidate,
        context: _SentenceContext,
        section: str,
        block_form: str | None,
    ) -> str | None:
        """Return why a candidate is not counted, or None when it counts (`block_form`: an uncounted form)."""
        if section in UNCOUNTED_SECTIONS:
            return section
        if block_form is not None:
            return block_form
        if overlaps(candidate.start, candidate.end, context.boilerplate):
            return REASON_BOILERPLATE
        if self._wrong_sense(candidate, context):
            return REASON_WRONG_SENSE
        theme = candidate.rule.theme
        negatable = theme.negatable and theme.group in self.negatable_groups
        if negatable and self.cues.is_negated(
            tokens, candidate.sent, candidate.token_start, candidate.token_end
        ):
            return REASON_NEGATED
        return None

    def _wrong_sense(self, candidate: _Candidate, context: _SentenceContext) -> bool:
        """Return whether an exclusion overlaps the match or a required context word is missing."""
        scope = (candidate.rule.theme.id, candidate.rule.rule_set.name)
        base = candidate.sent.start_char
        exclusion = self.rules.exclusions[scope]
        if exclusion is not None:
            spans = _spans(context, ("exclusion", *scope), exclusion, base)
            if overlaps(candidate.start, candidate.end, spans):
                return True
        requires = self.rules.requires[scope]
        if requires is None:
            return False
        # The context word must lie outside the match itself ("pressure" does not vouch for "pressure").
        spans = _spans(context, ("requires", *scope), requires, base)
        return not any(not overlaps(candidate.start, candidate.end, [span]) for span in spans)


def _spans(
    context: _SentenceContext, key: tuple[str, str, str], pattern: re.Pattern[str], base: int
) -> list[tuple[int, int]]:
    """Return (and remember for the sentence's other matches) where a rule's phrase pattern matches."""
    spans = context.spans.get(key)
    if spans is None:
        spans = context.spans[key] = [
            (base + m.start(), base + m.end()) for m in pattern.finditer(context.text)
        ]
    return spans
