"""Which folders an ingest scans: the ones named, else the ones this warehouse was fed before.

The warehouse remembers every folder it was fed (`ingest_folders`), so a bare `ingest`
(or the nightly job) scans them again and nothing else. The bundled sample corpus (40
fictional reports) only ever goes into a warehouse of its own: `run` uses it on an
empty warehouse or one made for it, and no ingest mixes it with real reports.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from pipeline.errors import UsageError
from pipeline.paths import SAMPLE_CORPUS
from warehouse.db import run_query, run_statement

SAMPLE_NOTE = "the bundled sample corpus (40 fictional reports)"


def is_sample(path: Path) -> bool:
    """Return whether `path` is the bundled sample corpus or inside it."""
    return path.resolve().is_relative_to(SAMPLE_CORPUS.resolve())


def remembered_folders(con: duckdb.DuckDBPyConnection) -> list[Path]:
    """Return the folders (and files) this warehouse was fed before, oldest first."""
    return [Path(row["path"]) for row in run_query(con, "ingest_folders")]


def _holdings(con: duckdb.DuckDBPyConnection) -> tuple[int, int]:
    """Return (sample documents, other documents) stored, by where their files were."""
    row = run_query(con, "sample_document_counts", sample_prefix=str(SAMPLE_CORPUS.resolve()) + "/")[0]
    return int(row["sample"]), int(row["other"])


def _for_sample_only(con: duckdb.DuckDBPyConnection) -> bool:
    """Return whether the warehouse holds nothing, or only the sample (it was made for the sample)."""
    _, other = _holdings(con)
    return other == 0 and all(is_sample(folder) for folder in remembered_folders(con))


def _refuse_mixing(con: duckdb.DuckDBPyConnection, folders: list[Path], db_path: Path) -> None:
    """Refuse to put the sample and real reports in one warehouse, either way round."""
    sample_asked = any(is_sample(folder) for folder in folders)
    real_asked = any(not is_sample(folder) for folder in folders)
    if sample_asked and (real_asked or not _for_sample_only(con)):
        raise UsageError(
            f"{db_path} holds your own reports, so {SAMPLE_NOTE} is not added to it. "
            "Try the sample in a warehouse of its own: run_pipeline.py --db warehouse/sample.duckdb run"
        )
    sample, _ = _holdings(con)
    if real_asked and sample:
        raise UsageError(
            f"{db_path} holds {SAMPLE_NOTE}, loaded by `run`; your reports would be counted with them. "
            "Give your reports a warehouse of their own (--db ~/reviews/themes.duckdb, or "
            f"export THEMES_DB=...), or delete {db_path} and ingest again."
        )


def choose_folders(
    con: duckdb.DuckDBPyConnection,
    named: tuple[Path, ...],
    *,
    db_path: Path,
    retag: bool = False,
    sample_if_new: bool = False,
) -> list[Path]:
    """Return the folders to scan: those named, else those fed before (none for a bare --retag).

    Args:
        con: a writer connection.
        named: the folders (or files) given on the command line.
        db_path: the warehouse, for messages.
        retag: a re-tag, which scans only folders named explicitly.
        sample_if_new: `run` without folders: the sample corpus, when the warehouse is
            empty or holds only the sample.

    Raises:
        UsageError: no folder named and none remembered, or the sample would be mixed
            with real reports.
    """
    if named:
        folders = [Path(path) for path in named]
    elif retag:
        return []
    elif sample_if_new and _for_sample_only(con):
        folders = [SAMPLE_CORPUS]
    else:
        folders = remembered_folders(con)
        if not folders:
            raise UsageError(
                f"Name the folder to ingest, e.g. run_pipeline.py ingest ~/reviews: {db_path} has not been "
                "fed any folder yet (the next ingest without a folder scans the ones named before). "
                f"`run` loads {SAMPLE_NOTE} into an empty warehouse."
            )
    _refuse_mixing(con, folders, db_path)
    return folders


def remember_folders(con: duckdb.DuckDBPyConnection, folders: list[Path], run_id: int) -> None:
    """Remember the folders scanned, so the next ingest without a folder scans them again."""
    for folder in folders:
        if folder.exists():
            path, sample = str(folder.resolve()), is_sample(folder)
            run_statement(con, "remember_ingest_folder", path=path, is_sample=sample, run_id=run_id)
