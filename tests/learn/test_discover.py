"""Discovery: the planted gambling theme rises from 2023 and surfaces first, with its evidence."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from pipeline.analysis.discover import DiscoverSettings, discover, rise_score
from pipeline.errors import UsageError
from warehouse.db import connect_read


def test_rise_score_prefers_new_phrases_over_wobbles() -> None:
    new, wobble = rise_score(np.array([5, 5]), 15, np.array([0, 3]), 25)
    assert new > wobble > 0
    assert rise_score(np.array([0]), 10, np.array([5]), 10)[0] < 0


def test_discover_surfaces_the_emerging_theme_first(warehouse: Path) -> None:
    with connect_read(warehouse) as con:
        candidates = discover(con, DiscoverSettings(topics=2))
    top = candidates[0]
    vocabulary = {top["term"], *top["related"]}
    assert "gambling" in vocabulary and "betting" in vocabulary
    assert top["since"] == 2023 and top["share_earlier"] == 0.0 and top["coverage"] == 0.0
    assert top["examples"] and all(e["year"] >= 2023 for e in top["examples"])
    assert len(top["documents"]) == 6
    assert [c["rank"] for c in candidates] == list(range(1, len(candidates) + 1))


def test_phrases_the_codebook_covers_say_so_and_rank_lower(warehouse: Path) -> None:
    with connect_read(warehouse) as con:
        candidates = discover(con, DiscoverSettings(topics=0, limit=50))
    covered = [c for c in candidates if c["coverage"] == 1.0]
    assert covered and all(c["covered_by"] for c in covered)
    assert all(c["score"] < candidates[0]["score"] for c in covered)


def test_a_fixed_split_year_and_bad_settings(warehouse: Path) -> None:
    with connect_read(warehouse) as con:
        candidates = discover(con, DiscoverSettings(since=2024, topics=0))
    assert {c["since"] for c in candidates} == {2024}
    with pytest.raises(UsageError):
        DiscoverSettings(limit=0)
