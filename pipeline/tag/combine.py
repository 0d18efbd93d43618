"""How the learned model's decisions combine with the rules' mentions.

Combination, per sentence (`combine`):
- a sentence the "any theme" gate rejects gets no theme;
- a counted rule hit whose theme's probability is under the veto level is kept with
  ``counted=False`` and reason ``classifier_veto``, unless its rule was unknown when the
  model was trained (a codebook edit after training still adds hits, no retraining needed);
- a theme the model finds that no rule matched is added as a sentence-long mention
  (source ``classifier``), except in contents, glossary and reference sections and in a
  sentence whose rule hits were not counted for its form (a reference entry, by default:
  ``uncounted_forms`` in the codebook); a theme
  the rules matched and excluded (negated, boilerplate, wrong sense) stays excluded;
- themes the model has no column for (a theme added to the codebook later) keep the
  rules' decisions.

Per document (`apply_to_document`, never for the separate strings of `tag_texts`): a theme's
only counted sentence in a long document (``lone_min_units`` sentences or more) is kept with
``counted=False`` and reason ``classifier_lone`` when its probability is under ``lone_below``.
In a report of hundreds of sentences one weak passing hit is more often noise than a theme
the report discusses; these two levels were chosen on the calibration reports of
corpus/labelled/documents.jsonl (models/README.md, "Document themes").
"""

from __future__ import annotations

from collections.abc import Sequence
from collections.abc import Set as AbstractSet
from dataclasses import replace

import numpy as np

from pipeline.records import UNCOUNTED_SECTIONS, Mention, TaggedDocument, TextUnit
from pipeline.tag.forms import FORMS
from pipeline.tag.learned import LearnedTagger

SOURCE_CLASSIFIER = "classifier"
REASON_VETO = "classifier_veto"
REASON_LONE = "classifier_lone"


def _added_mention(unit: TextUnit, theme: str, model_name: str) -> Mention:
    return Mention(
        theme=theme,
        start=unit.start,
        end=unit.end,
        text=unit.text,
        sentence=unit.text,
        unit_no=unit.unit_no,
        page=unit.page,
        section=unit.section,
        rule_id=f"{SOURCE_CLASSIFIER}/{model_name}",
        counted=True,
        source=SOURCE_CLASSIFIER,
    )


def combine(
    unit: TextUnit,
    rule_mentions: Sequence[Mention],
    decision: tuple[AbstractSet[str], AbstractSet[str]],
    model: LearnedTagger,
) -> list[Mention]:
    """Combine one sentence's rule mentions with the model's decision for it (see module doc)."""
    assigned, rejected = decision
    combined = []
    for mention in rule_mentions:
        vetoed = mention.theme in rejected and mention.rule_id in model.known_rules
        if mention.counted and vetoed:
            mention = replace(mention, counted=False, reason=REASON_VETO)
        combined.append(mention)
    if unit.section in UNCOUNTED_SECTIONS or any(mention.reason in FORMS for mention in combined):
        return combined
    # The rules' exclusions (negated, boilerplate, wrong sense...) are codebook decisions: never overridden.
    decided = {mention.theme for mention in combined if mention.counted or mention.reason != REASON_VETO}
    combined += [_added_mention(unit, theme, model.name) for theme in sorted(assigned - decided)]
    return combined


def mentions_by_unit(units: Sequence[TextUnit], mentions: Sequence[Mention]) -> list[list[Mention]]:
    """Group mentions by the sentence they sit in (units in text order)."""
    index = {unit.unit_no: position for position, unit in enumerate(units)}
    grouped: list[list[Mention]] = [[] for _ in units]
    for mention in mentions:
        grouped[index[mention.unit_no]].append(mention)
    return grouped


def apply_to_document(
    tagged: TaggedDocument, model: LearnedTagger, *, one_document: bool = True
) -> TaggedDocument:
    """Return the tagged document with its mentions decided by the model, sentence by sentence.

    `one_document` False: the blocks are separate strings (`tag_texts`), so no decision is
    taken over the document as a whole (`veto_lone_weak_hits`).
    """
    if not tagged.units:
        return tagged
    grouped = mentions_by_unit(tagged.units, tagged.mentions)
    probabilities, open_gate = model.probabilities([unit.text for unit in tagged.units], grouped)
    decisions = model.decisions(probabilities, open_gate)
    mentions = [
        mention
        for unit, unit_mentions, decision in zip(tagged.units, grouped, decisions, strict=True)
        for mention in combine(unit, unit_mentions, decision, model)
    ]
    if one_document:
        mentions = veto_lone_weak_hits(tagged.units, mentions, probabilities, model)
    return replace(tagged, mentions=sorted(mentions, key=lambda m: (m.start, m.theme, m.source)))


def veto_lone_weak_hits(
    units: Sequence[TextUnit], mentions: list[Mention], probabilities: np.ndarray, model: LearnedTagger
) -> list[Mention]:
    """Veto each theme whose only counted sentence in a long document the model finds weak (module doc).

    A theme counted through a rule unknown to the model (a codebook edit since training) is kept.
    """
    if model.lone_below is None or len(units) < model.lone_min_units:
        return mentions
    counted_in: dict[str, set[int]] = {}
    for mention in mentions:
        if mention.counted:
            counted_in.setdefault(mention.theme, set()).add(mention.unit_no)
    row_of = {unit.unit_no: row for row, unit in enumerate(units)}
    column_of = {theme: column for column, theme in enumerate(model.themes)}
    weak = {
        theme
        for theme, unit_nos in counted_in.items()
        if len(unit_nos) == 1
        and theme in column_of
        and probabilities[row_of[next(iter(unit_nos))], column_of[theme]] < model.lone_below
    }
    unknown_rule = {
        m.theme
        for m in mentions
        if m.counted and m.source != SOURCE_CLASSIFIER and m.rule_id not in model.known_rules
    }
    vetoed = weak - unknown_rule
    return [
        replace(m, counted=False, reason=REASON_LONE) if m.counted and m.theme in vetoed else m
        for m in mentions
    ]
