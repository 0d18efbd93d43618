"""Benchmark the warehouse: load rates and warm query latencies on a synthetic warehouse.

Builds 10,000 synthetic documents with >= 1,000,000 mentions into the real schema
(the real migrations), then times the library functions the CLI calls.

Two load rates are reported, both timed from the records to the commit (drawing
the synthetic records is not timed):
- group commit: `pipeline.ingest.load.load_documents`, what the ingest writer does
  (Arrow appends of every table, many documents per transaction); the warehouse
  is built this way. The mentions-table append alone is shown beside it;
- per document: `pipeline.ingest.load.load_document` (one transaction per document),
  on the first documents only; its per-commit cost dominates.
Latencies are medians of warm runs (one untimed run first).

Run:
    .venv/bin/python -m benchmarks.bench_warehouse
    .venv/bin/python -m benchmarks.bench_warehouse --documents 1000 --keep /tmp/bench.duckdb
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import statistics
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
from rich.console import Console
from rich.table import Table

from pipeline.analysis import queries
from pipeline.analysis.cooccurrence import cooccurrence
from pipeline.analysis.filters import TrendFilters
from pipeline.ingest.load import block_offsets, load_document, load_documents, mentions_table
from pipeline.records import Block, DocumentMetadata, ExtractedDocument, Mention, TaggedDocument, TextUnit
from warehouse.db import connect_read, connect_write, run_statement

DEFAULT_DOCUMENTS = 10_000
MENTIONS_PER_DOCUMENT = 105
UNITS_PER_DOCUMENT = 200
WORDS_PER_SENTENCE = 16
SENTENCE_POOL = 5_000
THEME_COUNT = 50
YEARS = tuple(range(2015, 2025))
DOC_TYPES = ("sar", "cspr", "dhr", "learning_review", "annual_report")
SECTIONS = ("body", "body", "body", "recommendations", "front_matter")
COUNTED_RATE = 0.9
MAX_BASE_PRESENCE = 0.6
MAX_YEARLY_DRIFT = 0.04
WARM_RUNS = 15
BULK_BATCH = 500
DEFAULT_PER_DOCUMENT = 300
SEED = 42
VERSION = "bench+00000000"
TARGET_LOAD_RATE = 200_000
TARGETS_MS = {"trends": 100.0, "evidence": 50.0}
SIZE_TABLES = ("documents", "mentions", "text_units")

THEMES = tuple(f"theme_{number:02d}" for number in range(THEME_COUNT))


class Corpus:
    """A seeded generator of synthetic tagged documents whose theme shares drift by year."""

    def __init__(self, seed: int = SEED) -> None:
        """Draw the sentence pool and each theme's base presence and yearly drift."""
        self.rng = random.Random(seed)
        words = [f"w{number}" for number in range(2_000)]
        self.sentences = [
            " ".join(self.rng.choices(words, k=WORDS_PER_SENTENCE)) + "." for _ in range(SENTENCE_POOL)
        ]
        self.presence = {t: self.rng.uniform(0.02, MAX_BASE_PRESENCE) for t in THEMES}
        self.drift = {t: self.rng.uniform(-MAX_YEARLY_DRIFT, MAX_YEARLY_DRIFT) for t in THEMES}

    def _themes(self, year: int) -> list[str]:
        offset = year - YEARS[0]
        chosen = [t for t in THEMES if self.rng.random() < self.presence[t] + self.drift[t] * offset]
        return chosen or [self.rng.choice(THEMES)]

    def _mention(self, theme: str, unit: TextUnit) -> Mention:
        counted = self.rng.random() < COUNTED_RATE
        return Mention(
            theme=theme,
            start=unit.start,
            end=unit.start + 3,
            text=unit.text[:3],
            sentence=unit.text,
            unit_no=unit.unit_no,
            page=unit.page,
            section=unit.section,
            rule_id=f"{theme}:core:0",
            counted=counted,
            reason=None if counted else "negated",
        )

    def document(self, number: int) -> TaggedDocument:
        """Return synthetic document `number`: 200 sentences, 105 mentions."""
        year = self.rng.choice(YEARS)
        blocks = [
            Block(page=1 + i // 20, text=self.rng.choice(self.sentences), section=self.rng.choice(SECTIONS))
            for i in range(UNITS_PER_DOCUMENT)
        ]
        units = [
            TextUnit(i, start, end, block.page, block.section, "paragraph", block.text)
            for i, (block, (start, end)) in enumerate(zip(blocks, block_offsets(blocks), strict=True))
        ]
        themes = self._themes(year)
        mentions = [
            self._mention(self.rng.choice(themes), self.rng.choice(units))
            for _ in range(MENTIONS_PER_DOCUMENT)
        ]
        metadata = DocumentMetadata(
            f"Review {number}", self.rng.choice(DOC_TYPES), f"area_{number % 40}", year
        )
        document = ExtractedDocument(
            path=Path(f"/bench/review-{number:05d}.pdf"),
            sha256=hashlib.sha256(f"review {number}".encode()).hexdigest(),  # random order, as real hashes
            metadata=metadata,
            pages=blocks[-1].page,
            blocks=blocks,
            extractor_version="bench",
        )
        return TaggedDocument(document=document, units=units, mentions=mentions, taxonomy_version=VERSION)

    def documents(self, count: int) -> Iterator[TaggedDocument]:
        """Yield `count` synthetic documents."""
        for number in range(count):
            yield self.document(number)


def _register_taxonomy(con: Any) -> int:
    codebook = [
        {"id": t, "label": t, "scope": "all_age", "group": "practice", "definition": t} for t in THEMES
    ]
    run_statement(
        con, "register_taxonomy", version=VERSION, human_version="bench", themes=json.dumps(codebook)
    )
    run_statement(con, "activate_taxonomy", version=VERSION)
    (run_id,) = run_statement(
        con, "start_run", command="bench", workers=1, taxonomy_version=VERSION, extractor_version="bench"
    )[0]
    return run_id


def load_bulk(con: duckdb.DuckDBPyConnection, batch: list[TaggedDocument], run_id: int) -> dict[str, float]:
    """Load a batch through `load_documents`, the ingest writer's group commit; return its seconds."""
    started = time.perf_counter()
    load_documents(con, batch, run_id=run_id)
    return {BULK: time.perf_counter() - started}


def time_mentions_append(batch: list[TaggedDocument]) -> float:
    """Return seconds to append one batch's mentions alone, into a scratch in-memory table."""
    shas = [t.document.sha256 for t in batch for _ in t.mentions]
    rows = mentions_table(shas, [m for t in batch for m in t.mentions], VERSION)
    with duckdb.connect() as scratch:
        scratch.register("rows", rows)
        scratch.execute("CREATE TABLE m AS SELECT * FROM rows LIMIT 0")
        started = time.perf_counter()
        scratch.execute("INSERT INTO m SELECT * FROM rows")
        return time.perf_counter() - started


PER_DOCUMENT = "per document: load_document (the ingest path)"
BULK = f"load_documents, {BULK_BATCH} documents a transaction (ingest's group commit), all tables"
BULK_MENTIONS = "Arrow append of the mentions table alone"


@dataclass
class LoadStats:
    """Mentions loaded and seconds spent loading them, per way of measuring."""

    mentions: dict[str, int] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)

    def add(self, path: str, batch: list[TaggedDocument], seconds: float) -> None:
        """Count one timed load of `batch` measured as `path`."""
        self.mentions[path] = self.mentions.get(path, 0) + sum(len(tagged.mentions) for tagged in batch)
        self.seconds[path] = self.seconds.get(path, 0.0) + seconds

    @property
    def total_mentions(self) -> int:
        """Return the mentions in the warehouse."""
        return self.mentions.get(BULK, 0) + self.mentions.get(PER_DOCUMENT, 0)


def _load_all(con: duckdb.DuckDBPyConnection, documents: int, per_document: int, stats: LoadStats) -> None:
    run_id = _register_taxonomy(con)
    corpus = Corpus()
    for number in range(min(per_document, documents)):
        tagged = corpus.document(number)
        started = time.perf_counter()
        load_document(con, tagged, run_id=run_id)
        stats.add(PER_DOCUMENT, [tagged], time.perf_counter() - started)
    for first in range(per_document, documents, BULK_BATCH):
        batch = [corpus.document(number) for number in range(first, min(first + BULK_BATCH, documents))]
        for path, seconds in load_bulk(con, batch, run_id).items():
            stats.add(path, batch, seconds)
        stats.add(BULK_MENTIONS, batch, time_mentions_append(batch))


def build_warehouse(path: Path, documents: int, per_document: int) -> LoadStats:
    """Load `documents` synthetic documents into a new warehouse at `path`.

    The first `per_document` go through load_document, the rest in bulk batches.
    """
    stats = LoadStats()
    con = connect_write(path)
    try:
        _load_all(con, documents, per_document, stats)
        con.execute("CHECKPOINT")
    finally:
        con.close()
    return stats


@dataclass(frozen=True)
class Timing:
    """Warm latencies of one query, in ms."""

    median: float
    best: float
    cpu: float  # median process CPU time, summed over DuckDB's threads


def time_call(call: Callable[[], Any], runs: int = WARM_RUNS) -> Timing:
    """Time `runs` calls after one untimed warm-up call.

    CPU time is reported beside wall time: other processes on a shared machine inflate it much less.
    """
    call()
    walls, cpus = [], []
    for _ in range(runs):
        wall, cpu = time.perf_counter(), time.process_time()
        call()
        walls.append((time.perf_counter() - wall) * 1000)
        cpus.append((time.process_time() - cpu) * 1000)
    return Timing(statistics.median(walls), min(walls), statistics.median(cpus))


def time_queries(path: Path) -> dict[str, Timing]:
    """Return the warm latencies of each query, through pipeline.analysis.queries as the CLI calls it."""
    con = connect_read(path)
    try:
        calls: dict[str, Callable[[], Any]] = {
            "trends": lambda: queries.trends(con),
            "trends --section recommendations": lambda: queries.trends(
                con, TrendFilters(sections=("recommendations",))
            ),
            "evidence": lambda: queries.evidence(con, theme=THEMES[7]),
            "evidence --search": lambda: queries.evidence(con, theme=THEMES[7], search="w12"),
            "recurring": lambda: queries.recurring(con),
            "rising": lambda: queries.rising(con, include_all=True),
            "cooccurrence": lambda: cooccurrence(con, limit=None),
        }
        return {name: time_call(call) for name, call in calls.items()}
    finally:
        con.close()


def _load_table(stats: LoadStats) -> Table:
    table = Table(title=f"Load: {stats.total_mentions:,} mentions")
    for column in ("path", "mentions/s", "target", "ok"):
        table.add_column(column)
    for path, mentions in stats.mentions.items():
        rate = mentions / stats.seconds[path]
        verdict = "yes" if rate >= TARGET_LOAD_RATE else "NO"
        table.add_row(path, f"{rate:,.0f}", f">= {TARGET_LOAD_RATE:,}", verdict)
    return table


def _query_table(timings: dict[str, Timing]) -> Table:
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    table = Table(title=f"Warm query latencies, ms ({os.cpu_count()} CPUs, load average {load})")
    for column in ("query", "median", "best", "CPU (median)", "target", "ok"):
        table.add_column(column)
    for name, timing in timings.items():
        target = TARGETS_MS.get(name)
        verdict = "" if target is None else "yes" if timing.median < target else "NO"
        table.add_row(
            name,
            f"{timing.median:.1f}",
            f"{timing.best:.1f}",
            f"{timing.cpu:.1f}",
            f"< {target:.0f}" if target else "",
            verdict,
        )
    return table


def warehouse_size(path: Path) -> str:
    """Describe the warehouse: how many documents, mentions and sentences."""
    con = connect_read(path)
    try:
        # table names are this module's constants
        counts = [con.execute(f"SELECT count(*) FROM {table}").fetchone()[0] for table in SIZE_TABLES]
    finally:
        con.close()
    return ", ".join(f"{count:,} {table}" for table, count in zip(SIZE_TABLES, counts, strict=True))


def main() -> None:
    """Build the synthetic warehouse (unless --reuse), time the queries and print the tables."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=DEFAULT_DOCUMENTS)
    parser.add_argument(
        "--per-document",
        type=int,
        default=DEFAULT_PER_DOCUMENT,
        help="How many of the documents to load one transaction each through load_document.",
    )
    parser.add_argument(
        "--keep", type=Path, help="Build the warehouse here and keep it (default: a temp dir)."
    )
    parser.add_argument("--reuse", type=Path, help="Only time the queries, on a warehouse kept before.")
    args = parser.parse_args()
    console = Console()
    with tempfile.TemporaryDirectory() as folder:
        path = args.reuse or args.keep or Path(folder) / "bench.duckdb"
        if not args.reuse:
            path.unlink(missing_ok=True)
            console.print(_load_table(build_warehouse(path, args.documents, args.per_document)))
        console.print(f"Warehouse: {warehouse_size(path)}")
        console.print(_query_table(time_queries(path)))


if __name__ == "__main__":
    main()
