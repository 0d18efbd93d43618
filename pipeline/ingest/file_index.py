"""Hash each file once: reuse the stored hash when size and mtime are unchanged, then skip known files."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pyarrow as pa

from pipeline.hashing import sha256_file
from pipeline.ingest.inbox import ManifestRow
from pipeline.ingest.outcomes import QuarantinedFile, SourceFile
from warehouse.db import run_query, run_statement


def hash_files(
    con: duckdb.DuckDBPyConnection, paths: list[Path], manifests: dict[Path, ManifestRow]
) -> tuple[list[SourceFile], list[QuarantinedFile]]:
    """Hash every file, reusing the stored hash when size and mtime are unchanged."""
    index = {
        row["path"]: (row["size"], row["mtime_ns"], row["sha256"]) for row in run_query(con, "file_index")
    }
    sources, unreadable, hashed = [], [], []
    for path in paths:
        try:
            stat = path.stat()
            cached = index.get(str(path))
            if cached and cached[0] == stat.st_size and cached[1] == stat.st_mtime_ns:
                sha256 = cached[2]
            else:
                sha256 = sha256_file(path)
                hashed.append((str(path), stat.st_size, stat.st_mtime_ns, sha256))
        except OSError as error:
            message = f"The file could not be read ({error.strerror}); check its permissions."
            unreadable.append(QuarantinedFile(str(path), None, "unreadable", message))
            continue
        sources.append(SourceFile(path, sha256, manifests.get(path)))
    _remember_hashes(con, hashed)
    return sources, unreadable


def _remember_hashes(con: duckdb.DuckDBPyConnection, hashed: list[tuple[str, int, int, str]]) -> None:
    if not hashed:
        return
    rows = pa.table(
        {
            "path": [row[0] for row in hashed],
            "size": [row[1] for row in hashed],
            "mtime_ns": [row[2] for row in hashed],
            "sha256": [row[3] for row in hashed],
        }
    )
    con.register("hashed_files", rows)
    try:
        run_statement(con, "upsert_file_index")
    finally:
        con.unregister("hashed_files")


def split_known(con: duckdb.DuckDBPyConnection, sources: list[SourceFile]) -> tuple[list[SourceFile], int]:
    """Return the files not yet in the warehouse (first of identical copies) and the count skipped."""
    known = {row["sha256"] for row in run_query(con, "stored_sha256s")}
    todo, skipped = [], 0
    for source in sources:
        if source.sha256 in known:
            skipped += 1
            continue
        known.add(source.sha256)
        todo.append(source)
    return todo, skipped
