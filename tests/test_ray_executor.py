"""`ingest --executor ray` on a local Ray instance of 2 CPUs equals `--workers 2`, byte for byte."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest
from click.testing import CliRunner

from pipeline.cli import cli
from pipeline.hashing import sha256_file
from pipeline.ingest.outcomes import QuarantinedFile, SourceFile
from pipeline.paths import SAMPLE_CORPUS
from pipeline.records import TaggedDocument
from pipeline.tag.taxonomy import load_taxonomy

ray = pytest.importorskip("ray", reason="the [cluster] extra (Ray) is not installed")
FILES = 8  # a slice of the sample: Ray's start-up dominates a test


def _ingest(db: Path, folder: Path, *options: str) -> bytes:
    result = CliRunner().invoke(cli, ["-q", "--db", str(db), "ingest", str(folder), *options], obj={})
    assert result.exit_code == 0, result.output
    trends = CliRunner().invoke(cli, ["--db", str(db), "trends", "--format", "json"], obj={})
    assert trends.exit_code == 0, trends.output
    return trends.stdout_bytes


def _contents(db: Path) -> tuple[list, list]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        docs = con.execute(
            "SELECT sha256, title, doc_type, area, year, pages, words, extractor_version, tagged_version "
            "FROM documents ORDER BY sha256"
        ).fetchall()
        mentions = con.execute(
            "SELECT * EXCLUDE (taxonomy_version) FROM mentions ORDER BY sha256, start_offset, theme, rule_id"
        ).fetchall()
    finally:
        con.close()
    return docs, mentions


def test_ray_executor_equals_processes(tmp_path: Path) -> None:
    folder = tmp_path / "reports"
    folder.mkdir()
    for path in sorted(SAMPLE_CORPUS.glob("*.pdf"))[:FILES]:
        shutil.copy(path, folder / path.name)
    trends_processes = _ingest(tmp_path / "p.duckdb", folder, "--workers", "2")
    trends_ray = _ingest(tmp_path / "r.duckdb", folder, "--executor", "ray", "--workers", "2")
    trends_sent = _ingest(
        tmp_path / "s.duckdb", folder, "--executor", "ray", "--workers", "2", "--send-bytes"
    )
    assert trends_ray == trends_processes
    assert trends_sent == trends_processes
    docs_p, mentions_p = _contents(tmp_path / "p.duckdb")
    for db in ("r.duckdb", "s.duckdb"):
        docs_r, mentions_r = _contents(tmp_path / db)
        assert len(docs_r) == FILES and mentions_r
        assert docs_r == docs_p
        assert mentions_r == mentions_p


SENT = 2  # files, fewer than the pool's slots: each is deleted as soon as it is sent


def _sent_then_deleted(folder: Path):
    """Tasks whose file is deleted as soon as the pool has sent it (asks for the next task)."""
    for original in sorted(SAMPLE_CORPUS.glob("*.pdf"))[:SENT]:
        path = folder / original.name
        shutil.copy(original, path)
        yield SourceFile(path, sha256_file(path), None)
        path.unlink()


def test_sent_bytes_are_read_by_the_worker_where_the_path_is_gone(tmp_path: Path) -> None:
    from pipeline.ingest.ray_pool import RayPool

    folder = tmp_path / "driver-only"
    folder.mkdir()
    with RayPool(SENT + 1, load_taxonomy(), None, send_bytes=True) as pool:
        sent = [outcome for _, outcome in pool.map_unordered(_sent_then_deleted(folder))]
        pool.send_bytes = False  # the control: by path, the workers find nothing
        by_path = [outcome for _, outcome in pool.map_unordered(_sent_then_deleted(folder))]
    assert len(sent) == SENT and all(isinstance(outcome, TaggedDocument) for outcome in sent)
    names = [p.name for p in sorted(SAMPLE_CORPUS.glob("*.pdf"))[:SENT]]
    assert sorted(outcome.document.path for outcome in sent) == [folder / name for name in names]
    assert all(outcome.mentions for outcome in sent)
    assert all(isinstance(outcome, QuarantinedFile) for outcome in by_path)
    assert [(outcome.reason, "cannot be read" in outcome.message) for outcome in by_path] == [
        ("corrupt", True)
    ] * SENT


def test_ray_task_failure_quarantines_the_file(tmp_path: Path) -> None:
    folder = tmp_path / "reports"
    folder.mkdir()
    shutil.copy(sorted(SAMPLE_CORPUS.glob("*.pdf"))[0], folder / "good.pdf")
    (folder / "bad.pdf").write_bytes(b"%PDF-1.4\n garbage")
    db = tmp_path / "r.duckdb"
    result = CliRunner().invoke(
        cli, ["-q", "--db", str(db), "ingest", str(folder), "--executor", "ray", "--workers", "2"], obj={}
    )
    assert result.exit_code == 3, result.output
    assert "bad.pdf" in result.output and "good.pdf" not in result.output


def test_a_file_another_machine_cannot_see_stops_the_run_and_names_send_bytes(tmp_path: Path) -> None:
    from pipeline.errors import UsageError
    from pipeline.ingest.ray_pool import RayPool, _run_task

    missing = SourceFile(tmp_path / "on-the-driver-only.pdf", "0" * 64, None)
    with RayPool(1, load_taxonomy(), None) as pool:
        as_if_remote = ray.remote(max_retries=0)(_run_task)  # the driver's node named as another one's
        ref = as_if_remote.remote(load_taxonomy(), None, None, missing, None, "another-node")
        with pytest.raises(UsageError, match="--send-bytes"):
            pool._outcome(ref, missing)
        same_node = ray.get_runtime_context().get_node_id()
        ref = as_if_remote.remote(load_taxonomy(), None, None, missing, None, same_node)
        assert pool._outcome(ref, missing).reason == "corrupt"  # here: a file gone since it was hashed
