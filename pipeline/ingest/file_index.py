"""Hash each file once, decide what to read, and record where each stored document is on disk.

- The file index reuses a stored hash while size, mtime, ctime and inode are unchanged
  (an edit that restores size and mtime still changes ctime).
- A file whose content is stored is skipped, and its path recorded (`document_paths`),
  so a copy or a rename never loads twice and never drops the content it holds.
- A file quarantined before with the same content (or, unreadable, the same size and
  mtime) is not read or reported again until it changes, unless asked to retry.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path

import duckdb
import pyarrow as pa

from pipeline.hashing import sha256_file
from pipeline.ingest.inbox import ManifestRow
from pipeline.ingest.outcomes import QuarantinedFile, SourceFile
from warehouse.db import run_query, run_statement


@dataclass
class Plan:
    """What a run reads: new files, with how many were skipped and why."""

    todo: list[SourceFile] = field(default_factory=list)
    known: list[SourceFile] = field(default_factory=list)  # content stored: only the path is recorded
    still_quarantined: int = 0
    retag: bool = False  # re-tag stored documents first (asked for, or a killed re-tag to resume)

    @property
    def skipped(self) -> int:
        """Return how many files were not read."""
        return len(self.known) + self.still_quarantined


def _stat_key(stat: os.stat_result) -> tuple[int, int, int, int]:
    return stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino


def hash_files(
    con: duckdb.DuckDBPyConnection, paths: list[Path], manifests: dict[Path, ManifestRow]
) -> tuple[list[SourceFile], list[QuarantinedFile]]:
    """Hash every file, reusing the stored hash while size, mtime, ctime and inode are unchanged."""
    index = {
        row["path"]: ((row["size"], row["mtime_ns"], row["ctime_ns"], row["inode"]), row["sha256"])
        for row in run_query(con, "file_index")
    }
    sources, unreadable, hashed = [], [], []
    for path in paths:
        try:
            key = _stat_key(path.stat())
            cached = index.get(str(path))
            if cached and cached[0] == key:
                sha256 = cached[1]
            else:
                sha256 = sha256_file(path)
                hashed.append((str(path), *key, sha256))
        except OSError as error:
            message = f"The file could not be read ({error.strerror}); check its permissions."
            unreadable.append(QuarantinedFile(str(path), None, "unreadable", message))
            continue
        sources.append(SourceFile(path, sha256, manifests.get(path)))
    _remember_hashes(con, hashed)
    return sources, unreadable


def _remember_hashes(con: duckdb.DuckDBPyConnection, hashed: list[tuple]) -> None:
    if not hashed:
        return
    names = ("path", "size", "mtime_ns", "ctime_ns", "inode", "sha256")
    rows = pa.table({name: [row[i] for row in hashed] for i, name in enumerate(names)})
    con.register("hashed_files", rows)
    try:
        run_statement(con, "upsert_file_index")
    finally:
        con.unregister("hashed_files")


def plan_sources(
    con: duckdb.DuckDBPyConnection, sources: list[SourceFile], *, version: str, retry_quarantined: bool
) -> Plan:
    """Split the files into new ones to read (identical copies folded into one) and ones to skip."""
    stored = {row["sha256"] for row in run_query(con, "stored_sha256s")}
    held = set() if retry_quarantined else {
        row["sha256"] for row in run_query(con, "quarantined_files", version=version) if row["sha256"]
    }
    plan = Plan()
    firsts: dict[str, int] = {}
    for source in sources:
        if source.sha256 in stored:
            plan.known.append(source)
        elif source.sha256 in held:
            plan.still_quarantined += 1
        elif source.sha256 in firsts:  # the same content at two paths: one document, both paths
            index = firsts[source.sha256]
            plan.todo[index] = replace(plan.todo[index], also_at=(*plan.todo[index].also_at, source.path))
        else:
            firsts[source.sha256] = len(plan.todo)
            plan.todo.append(source)
    return plan


def new_unreadable(
    con: duckdb.DuckDBPyConnection, unreadable: list[QuarantinedFile], *, retry_quarantined: bool
) -> list[QuarantinedFile]:
    """Return the unreadable files not already quarantined with the same size and mtime."""
    if retry_quarantined:
        return unreadable
    seen = {
        (row["path"], row["size"], row["mtime_ns"])
        for row in run_query(con, "quarantined_files", version="")
        if row["sha256"] is None
    }
    fresh = []
    for item in unreadable:
        try:
            stat = Path(item.path).stat()
        except OSError:
            fresh.append(item)
            continue
        if (item.path, stat.st_size, stat.st_mtime_ns) not in seen:
            fresh.append(item)
    return fresh


def record_paths(con: duckdb.DuckDBPyConnection, sources: list[SourceFile], roots: list[Path]) -> None:
    """Record the path of every scanned file whose content is stored, and forget moved files' old paths."""
    scanned = pa.table(
        {"path": [str(s.path) for s in sources], "sha256": [s.sha256 for s in sources]},
        schema=pa.schema([("path", pa.string()), ("sha256", pa.string())]),
    )
    folders = pa.table(
        {"root": [str(root.resolve()) for root in roots]}, schema=pa.schema([("root", pa.string())])
    )
    con.register("scanned_files", scanned)
    con.register("scan_roots", folders)
    try:
        run_statement(con, "record_document_paths")
    finally:
        con.unregister("scanned_files")
        con.unregister("scan_roots")
