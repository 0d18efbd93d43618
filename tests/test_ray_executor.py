"""`ingest --executor ray` on a local Ray instance of 2 CPUs equals `--workers 2`, byte for byte."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest
from click.testing import CliRunner

from pipeline.cli import cli
from pipeline.paths import SAMPLE_CORPUS

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
    assert trends_ray == trends_processes
    docs_p, mentions_p = _contents(tmp_path / "p.duckdb")
    docs_r, mentions_r = _contents(tmp_path / "r.duckdb")
    assert len(docs_r) == FILES and mentions_r
    assert docs_r == docs_p
    assert mentions_r == mentions_p


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
