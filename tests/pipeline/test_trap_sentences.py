"""Word-sense traps: sentences holding a theme word in a sense the research taxonomy says must not count.

`data/trap_sentences.jsonl` holds 330 sentences written for the tests (2026-12-04, by a writer who
saw only ../shared/reference/taxonomy-research.yaml, never the codebook or the tagger): three per
`false_positives` entry that names a use which must NOT get the theme ("poverty of information",
"PIE CHART", a traffic accident, "NFA" as no further action, "the violence escalated"...). The
entries the guide still labels ("tag as activity", "keep polarity") were left out. Some of them
were used to write codebook exclusions, so they guard against regressions; they are not an
independent measurement. At codebook 1.0+adf232a4, 62 of them get their trapped theme with the
rules alone (89 before those exclusions) and 32 with the default tagging (29 with the model
before its retraining of 2026-12-04, 55 before the exclusions).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipeline.tag.switch import classifier_path
from pipeline.tag.tagger import VersionedTagger
from pipeline.tag.taxonomy import load_taxonomy

TRAPS = [
    json.loads(line)
    for line in (Path(__file__).parent / "data" / "trap_sentences.jsonl")
    .read_text(encoding="utf-8")
    .splitlines()
]
MAX_TRAPPED = {"default": 0.10, "rules": 0.21}


def _trapped_share(tagger: VersionedTagger) -> float:
    tagged = tagger.tag_texts([row["text"] for row in TRAPS])
    trapped = [
        row
        for row, mentions in zip(TRAPS, tagged, strict=True)
        if any(m.counted and m.theme == row["theme"] for m in mentions)
    ]
    return len(trapped) / len(TRAPS)


def test_every_trap_names_a_codebook_theme() -> None:
    themes = set(load_taxonomy().theme_ids)
    assert len(TRAPS) >= 300
    assert all(row["theme"] in themes and row["text"] and row["trap"] for row in TRAPS)


@pytest.mark.parametrize("tagging", ["default", "rules"])
def test_few_trap_sentences_get_their_trapped_theme(tagging: str) -> None:
    model = classifier_path() if tagging == "default" else None
    share = _trapped_share(VersionedTagger(load_taxonomy(), model))
    assert share <= MAX_TRAPPED[tagging], f"{share:.1%} of trap sentences get their trapped theme"
