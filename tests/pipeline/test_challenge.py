"""Regression guard: micro-F1 of the rule tagger on challenge set B (SAR/DHR/CSPR sentences).

Set B (``data/challenge_check.jsonl``) was written and labelled before any tagger output was
seen and was never used to tune the codebook; see "Generalisation check" in models/README.md.
The floor is the set-B score of the codebook when the check was made (0.845) minus 0.05, so a
codebook edit that loses adult-review vocabulary shows up here.
"""

from __future__ import annotations

import json
from pathlib import Path

from pipeline.tag.rules import ThemeTagger, themes_of
from pipeline.tag.taxonomy import load_taxonomy

CHECK_SET = Path(__file__).parent / "data" / "challenge_check.jsonl"
RECORDED_F1 = 0.845
MIN_F1 = RECORDED_F1 - 0.05


def micro_scores(gold: list[set[str]], predicted: list[set[str]]) -> tuple[float, float, float]:
    """Return micro precision, recall and F1 over sentences' theme sets."""
    true_positive = sum(len(g & p) for g, p in zip(gold, predicted, strict=True))
    n_predicted = sum(len(p) for p in predicted)
    n_gold = sum(len(g) for g in gold)
    precision = true_positive / n_predicted if n_predicted else 0.0
    recall = true_positive / n_gold if n_gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def test_micro_scores_counts_sets() -> None:
    assert micro_scores([{"a", "b"}, set()], [{"a"}, {"c"}]) == (0.5, 0.5, 0.5)


def test_challenge_set_b_micro_f1_does_not_regress() -> None:
    rows = [json.loads(line) for line in CHECK_SET.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert len(rows) >= 100
    tagger = ThemeTagger(load_taxonomy())
    predicted = [set(themes_of(mentions)) for mentions in tagger.tag_texts([row["text"] for row in rows])]
    gold = [set(row["themes"]) for row in rows]
    precision, recall, f1 = micro_scores(gold, predicted)
    assert f1 >= MIN_F1, f"set B micro P={precision:.3f} R={recall:.3f} F1={f1:.3f} < {MIN_F1:.3f}"
