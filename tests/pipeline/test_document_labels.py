"""The document-level labels (corpus/labelled/documents.jsonl) and the decisions scored against them.

The file checks run everywhere; scoring re-derives the texts from ../shared (skipped without it):
it ingests the 37 labelled reports with the default tagging and reads `document_themes`, as
benchmarks/eval_documents.py does. The floors were set about 0.03 below the scores of codebook
1.0+adf232a4 (held out discussed 0.926, prominent 0.863; calibration, 28 reports, 0.944 and 0.881);
the model retrained on the third sentence round scores 0.904 / 0.866 held out and 0.952 / 0.884 on
calibration, so the held-out discussed floor now sits only 0.004 below. A tagger, section or
settings change that loses document-level quality fails here.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from benchmarks.build_document_labels import merge_rounds
from benchmarks.document_labels import (
    QuoteFinder,
    labelled_pairs,
    quote_ref,
    read_labels,
    score,
    shared_available,
)
from benchmarks.eval_documents import build_warehouse, decided_pairs, quote_checks, split_scores
from pipeline.tag.taxonomy import load_taxonomy
from warehouse.db import connect_write

ROWS = read_labels()
MIN_F1 = {
    ("held_out", "discussed"): 0.90,
    ("held_out", "prominent"): 0.83,
    ("calibration", "discussed"): 0.91,
    ("calibration", "prominent"): 0.85,
}
MIN_QUOTES_FOUND = 0.95
HEX = re.compile(r"^[0-9a-f]+$")


def test_every_report_is_labelled_once_per_theme_and_split_28_to_9() -> None:
    themes = {theme.id for theme in load_taxonomy().themes}
    assert all(row["theme"] in themes for row in ROWS)
    assert len({(row["file"], row["theme"]) for row in ROWS}) == len(ROWS)
    splits = Counter(split for _, split in {(row["file"], row["split"]) for row in ROWS})
    assert splits == {"calibration": 28, "held_out": 9}
    assert all(row["discussed"] or not row["prominent"] for row in ROWS)  # prominent implies discussed
    assert all(bool(row["quotes"]) == row["discussed"] for row in ROWS)


def test_no_report_text_is_stored_only_offsets_and_hashes() -> None:
    for row in ROWS:
        for ref in (*row["quotes"], *row["prominent_quotes"]):
            assert set(ref) == {"by", "start", "end", "sha256", "prefix"}
            assert HEX.match(ref["sha256"]) and HEX.match(ref["prefix"]) and ref["end"] > ref["start"]


def test_a_quote_is_found_by_its_offsets_or_by_its_hash_when_the_text_moved() -> None:
    text = "Intro. Fathers were not seen by the health visitor. End."
    ref = quote_ref(text, 7, 51)
    assert QuoteFinder(text).find(ref) == (7, 51)
    moved = "A new heading.\n\n" + text
    assert QuoteFinder(moved).find(ref) == (7 + 16, 51 + 16)
    assert QuoteFinder(text.replace("Fathers", "Mothers")).find(ref) is None


def test_a_new_labelling_round_adds_reports_and_replaces_the_ones_it_labels_again() -> None:
    themes = ["self_neglect", "hoarding", "mental_capacity"]
    earlier = [
        {"file": "a.pdf", "theme": "hoarding", "round": 1},
        {"file": "b.pdf", "theme": "self_neglect", "round": 1},
        {"file": "b.pdf", "theme": "mental_capacity", "round": 1},
    ]
    this_round = [
        {"file": "c.pdf", "theme": "self_neglect", "round": 2},
        {"file": "b.pdf", "theme": "hoarding", "round": 2},
    ]
    merged = merge_rounds(earlier, this_round, themes)
    assert [(row["file"], row["theme"], row["round"]) for row in merged] == [
        ("a.pdf", "hoarding", 1),
        ("b.pdf", "hoarding", 2),
        ("c.pdf", "self_neglect", 2),
    ]
    assert merge_rounds(earlier, [], themes) == sorted(
        earlier, key=lambda row: (row["file"], themes.index(row["theme"]))
    )


@pytest.fixture(scope="module")
def labelled_warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The 37 labelled reports ingested by the real pipeline into a fresh warehouse."""
    path = tmp_path_factory.mktemp("labelled") / "labelled.duckdb"
    build_warehouse(ROWS, path)
    return path


@pytest.mark.shared
@pytest.mark.slow
@pytest.mark.skipif(not shared_available(ROWS), reason="../shared (the labelled reports) is absent")
def test_document_decisions_score_above_their_floors(labelled_warehouse: Path) -> None:
    con = connect_write(labelled_warehouse)
    try:
        found, total, _, _ = quote_checks(con, ROWS)
        decided = decided_pairs(con, {row["sha256"]: row["file"] for row in ROWS})
    finally:
        con.close()
    assert found >= MIN_QUOTES_FOUND * total
    for (split, key), floor in MIN_F1.items():
        scores = split_scores(ROWS, decided, key, split)
        assert scores.f1 >= floor, f"{split} {key}: {scores}"
    # Prominence beats reading any counted mention as prominent (the 0.77) by a margin
    # (0.045 since the lone-weak-hit veto, which cleans "any counted mention" as well: 0.803 -> 0.818).
    held_out = {row["file"] for row in ROWS if row["split"] == "held_out"}
    any_mention = {pair for pair in decided["any mention"] if pair[0] in held_out}
    baseline = score(any_mention, labelled_pairs(ROWS, "prominent", "held_out")).f1
    assert split_scores(ROWS, decided, "prominent", "held_out").f1 >= baseline + 0.03
