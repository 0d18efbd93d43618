"""The rule tagger on three review samples of real report sentences (skipped when ../shared is absent).

`data/review_samples_real.jsonl` holds 1,200 sentences of ../shared/corpus/real, taken in
`review list`'s fair random order from rule hits and labelled by four annotators who
read only ../shared/eval/GUIDE.md (models/README.md, "Review-driven refinements").
Only each sentence's source file, a sha256 of its text and its themes are stored, not
the text: the test extracts and tags the reports and finds the sentences by hash.

Rounds 1 and 2 were used to refine the codebook, so their scores are not independent;
round 2's first measurement (precision 0.774, F1 0.836) was taken before its own
refinements, and round 3 (precision 0.754, F1 0.816 on codebook 1.0+ada32c1f) was
measured before its single edit (the Equality and Human Rights Commission exclusion).
The floors sit 0.05 below the scores at the time of writing (F1 0.839, 0.844 and 0.818),
so a codebook or tagger change that loses real-text quality fails here.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from pathlib import Path

import pytest

from benchmarks.bench_extract import DEFAULT_CORPUS
from pipeline.extract.document import extract_document
from pipeline.tag.evaluation import summary
from pipeline.tag.rules import ThemeTagger
from pipeline.tag.taxonomy import load_taxonomy

pytestmark = [
    pytest.mark.shared,
    pytest.mark.slow,
    pytest.mark.skipif(
        not (DEFAULT_CORPUS / "MANIFEST.tsv").exists(), reason="../shared/corpus/real is absent"
    ),
]
SAMPLES = Path(__file__).parent / "data" / "review_samples_real.jsonl"
MIN_F1 = {1: 0.789, 2: 0.794, 3: 0.768}
MIN_FOUND = 0.9  # sentences still found by hash (extraction changes alter some: issue 18 changed 3.5%)


def _read_samples() -> list[dict]:
    return [json.loads(line) for line in SAMPLES.read_text(encoding="utf-8").splitlines() if line]


def _text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _counted_themes_by_sentence(sources: Iterable[str]) -> dict[tuple[str, str], set[str]]:
    """Extract and tag each source report; return (source, sentence hash) -> counted themes."""
    tagger = ThemeTagger(load_taxonomy())
    found: dict[tuple[str, str], set[str]] = {}
    for source in sorted(set(sources)):
        tagged = tagger.tag_document(extract_document(DEFAULT_CORPUS / source))
        by_unit: dict[int, set[str]] = {}
        for mention in tagged.mentions:
            if mention.counted:
                by_unit.setdefault(mention.unit_no, set()).add(mention.theme)
        for unit in tagged.units:
            found[(source, _text_hash(unit.text))] = by_unit.get(unit.unit_no, set())
    return found


@pytest.fixture(scope="module")
def scored() -> dict[int, dict[str, float]]:
    samples = _read_samples()
    predicted = _counted_themes_by_sentence(row["source"] for row in samples)
    scores = {}
    for round_no in MIN_F1:
        rows = [row for row in samples if row["round"] == round_no]
        matched = [row for row in rows if (row["source"], row["text_sha256"]) in predicted]
        found = f"round {round_no}: {len(matched)} of {len(rows)} sentences found"
        assert len(matched) >= MIN_FOUND * len(rows), found
        scores[round_no] = summary(
            [set(row["themes"]) for row in matched],
            [predicted[(row["source"], row["text_sha256"])] for row in matched],
        )["micro"]
    return scores


@pytest.mark.parametrize("round_no", sorted(MIN_F1))
def test_real_text_quality_holds(scored: dict[int, dict[str, float]], round_no: int) -> None:
    assert scored[round_no]["f1"] >= MIN_F1[round_no], scored[round_no]
