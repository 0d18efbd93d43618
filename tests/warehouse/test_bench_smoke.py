"""The warehouse benchmark still runs (on a tiny synthetic warehouse), so it cannot rot unnoticed."""

from __future__ import annotations

from pathlib import Path

from benchmarks.bench_warehouse import (
    MENTIONS_PER_DOCUMENT,
    PER_DOCUMENT,
    build_warehouse,
    time_queries,
    warehouse_size,
)

DOCUMENTS = 30
PER_DOCUMENT_LOADS = 5


def test_benchmark_builds_and_times_every_query(tmp_path: Path) -> None:
    path = tmp_path / "bench.duckdb"
    stats = build_warehouse(path, DOCUMENTS, PER_DOCUMENT_LOADS)
    assert stats.total_mentions == DOCUMENTS * MENTIONS_PER_DOCUMENT
    assert stats.mentions[PER_DOCUMENT] == PER_DOCUMENT_LOADS * MENTIONS_PER_DOCUMENT
    assert warehouse_size(path).startswith(f"{DOCUMENTS} documents")
    timings = time_queries(path)
    assert {"trends", "evidence", "recurring", "rising", "cooccurrence"} <= timings.keys()
    assert all(timing.best <= timing.median for timing in timings.values())
