"""The theme page's cache of whole-warehouse results lasts exactly as long as the warehouse is unchanged."""

from __future__ import annotations

from pathlib import Path

from pipeline.web.cache import StateCache


def test_a_value_is_computed_once_per_warehouse_state(tmp_path: Path) -> None:
    db = tmp_path / "themes.duckdb"
    db.write_bytes(b"v1")
    cache, calls = StateCache(db), []

    def compute() -> int:
        calls.append(1)
        return len(calls)

    assert cache.get("rising", compute) == 1
    assert cache.get("rising", compute) == 1
    (tmp_path / "themes.duckdb.wal").write_bytes(b"a committed batch")
    assert cache.get("rising", compute) == 2
    db.write_bytes(b"checkpointed v2")
    assert cache.get("rising", compute) == 3
    assert cache.get("cooccurrence", compute) == 4
