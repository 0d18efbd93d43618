"""Workers are handed the largest files first, so no large report is left to finish alone."""

from __future__ import annotations

import random
from pathlib import Path

from pipeline.ingest.orchestrator import ingest, largest_first
from pipeline.ingest.outcomes import IngestSettings, SourceFile


def _source(path: Path) -> SourceFile:
    return SourceFile(path=path, sha256=path.name, manifest_row=None)


def test_files_are_ordered_largest_first_ties_and_unreadable_ones_kept_in_order(tmp_path: Path) -> None:
    sizes = {"a.pdf": 10, "b.pdf": 300, "c.pdf": 10, "d.pdf": 2_000}
    for name, size in sizes.items():
        (tmp_path / name).write_bytes(b"x" * size)
    names = ["a.pdf", "gone.pdf", "b.pdf", "c.pdf", "d.pdf", "also-gone.pdf"]
    ordered = largest_first([_source(tmp_path / name) for name in names])
    assert [source.path.name for source in ordered] == [
        "d.pdf",
        "b.pdf",
        "a.pdf",
        "c.pdf",
        "gone.pdf",
        "also-gone.pdf",
    ]


def test_ingest_hands_out_the_largest_file_first(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    # Binary junk is quarantined by the worker that reads it, so with one worker the summary lists
    # the files in the order they were handed out.
    for name, size in [("a-small.txt", 20_000), ("b-large.txt", 90_000), ("c-middle.txt", 50_000)]:
        (inbox / name).write_bytes(random.Random(size).randbytes(size))
    summary = ingest(IngestSettings(paths=(inbox,), db_path=tmp_path / "w.duckdb", workers=1))
    assert [Path(item.path).name for item in summary.quarantined] == [
        "b-large.txt",
        "c-middle.txt",
        "a-small.txt",
    ]


def test_a_retag_hands_out_the_longest_stored_documents_first() -> None:
    import duckdb

    from pipeline.ingest.load import load_document
    from tests.factories import make_tagged
    from warehouse.db import migrate, run_query

    con = duckdb.connect(":memory:")
    migrate(con)
    for sha256, sentences in [("short", 1), ("long", 9), ("middle", 4), ("also-middle", 4)]:
        tagged = make_tagged(sha256, sentences=[("Hoarding was severe in the flat.", [])] * sentences)
        load_document(con, tagged, run_id=1)
    todo = [row["sha256"] for row in run_query(con, "retag_todo", version="another+0002")]
    assert todo == ["long", "also-middle", "middle", "short"]
