"""The per-theme evidence of tagged documents, the rows `document_themes` reads (migration 010).

For each (document, theme) with a counted mention: its counted sentences and mentions, those in
the summary or recommendations, the paragraphs (blocks) they sit in and the most in one
paragraph, plus the document's counted sentences of children's and adults' themes (its scope);
and the same per section. Computed here from the batch in memory, so loading stays O(batch);
statements/refresh_theme_evidence.sql computes exactly the same from stored tagging (the
re-tag swap and the migration use it; tests/warehouse/test_document_themes.py pins the two).
"""

from __future__ import annotations

import bisect
from collections import Counter, defaultdict
from collections.abc import Iterable
from itertools import accumulate

import pyarrow as pa

from pipeline.records import BLOCK_SEPARATOR, KEY_SECTIONS, TaggedDocument

TOTALS_SCHEMA = pa.schema(
    [(name, pa.string()) for name in ("sha256", "taxonomy_version", "theme")]
    + [
        (name, pa.int32())
        for name in (
            "sentences",
            "mentions",
            "key_sentences",
            "paragraphs",
            "paragraph_sentences",
            "children_sentences",
            "adults_sentences",
        )
    ]
)
SECTIONS_SCHEMA = pa.schema(
    [(name, pa.string()) for name in ("sha256", "taxonomy_version", "theme", "section")]
    + [(name, pa.int32()) for name in ("sentences", "mentions", "paragraphs", "paragraph_sentences")]
)
ParagraphKey = tuple[str, str, int]  # (theme, section, block number)
TOTAL_COUNTS = ("sentences", "mentions", "key_sentences", "paragraphs", "paragraph_sentences")


def _paragraph_counts(tagged: TaggedDocument) -> dict[ParagraphKey, list[int]]:
    """Return {(theme, section, block): [counted sentences, counted mentions]} of one document."""
    separator = len(BLOCK_SEPARATOR)
    starts = list(accumulate((len(block.text) + separator for block in tagged.document.blocks), initial=0))
    unit_starts = {unit.unit_no: unit.start for unit in tagged.units}
    per_sentence = Counter((m.theme, m.unit_no, m.section) for m in tagged.mentions if m.counted)
    paragraphs: dict[ParagraphKey, list[int]] = {}
    for (theme, unit_no, section), mentions in per_sentence.items():
        number = bisect.bisect_right(starts, unit_starts[unit_no]) - 1  # the block holding the sentence
        counts = paragraphs.setdefault((theme, section, number), [0, 0])
        counts[0] += 1
        counts[1] += mentions
    return paragraphs


def _section_rows(tagged: TaggedDocument, base: dict[str, str]) -> list[dict]:
    """Return the per-section rows of one document (theme_section_evidence)."""
    grouped: dict[tuple[str, str], list[list[int]]] = defaultdict(list)
    for (theme, section, _), counts in _paragraph_counts(tagged).items():
        grouped[(theme, section)].append(counts)
    return [
        {
            **base,
            "theme": theme,
            "section": section,
            "sentences": sum(c[0] for c in counts),
            "mentions": sum(c[1] for c in counts),
            "paragraphs": len(counts),
            "paragraph_sentences": max(c[0] for c in counts),
        }
        for (theme, section), counts in sorted(grouped.items())
    ]


def _total_rows(sections: list[dict], base: dict[str, str], scopes: dict[str, str]) -> list[dict]:
    """Return the per-theme totals of one document (theme_evidence), with the document's scope counts."""
    totals: dict[str, dict] = {}
    for row in sections:
        total = totals.setdefault(
            row["theme"], dict.fromkeys(TOTAL_COUNTS, 0) | {**base, "theme": row["theme"]}
        )
        for key in ("sentences", "mentions", "paragraphs"):
            total[key] += row[key]
        total["key_sentences"] += row["sentences"] if row["section"] in KEY_SECTIONS else 0
        total["paragraph_sentences"] = max(total["paragraph_sentences"], row["paragraph_sentences"])
    scope: Counter[str] = Counter()
    for theme, total in totals.items():
        scope[scopes.get(theme, "all_age")] += total["sentences"]
    for total in totals.values():
        total.update(children_sentences=scope["children"], adults_sentences=scope["adults"])
    return list(totals.values())


def evidence_tables(
    batch: Iterable[TaggedDocument], scopes: dict[str, dict[str, str]]
) -> tuple[pa.Table, pa.Table]:
    """Return the Arrow tables of theme_evidence and theme_section_evidence rows for a batch.

    Args:
        batch: tagged documents.
        scopes: {taxonomy version: {theme id: scope}} of the versions in the batch.
    """
    totals: list[dict] = []
    sections: list[dict] = []
    for tagged in batch:
        base = {"sha256": tagged.document.sha256, "taxonomy_version": tagged.taxonomy_version}
        document_sections = _section_rows(tagged, base)
        totals += _total_rows(document_sections, base, scopes.get(tagged.taxonomy_version, {}))
        sections += document_sections
    return (
        pa.Table.from_pylist(totals, schema=TOTALS_SCHEMA),
        pa.Table.from_pylist(sections, schema=SECTIONS_SCHEMA),
    )
