"""The sample stays out of real warehouses (issue 19, item 1): ingest scans what it is told or was fed.

Each test failed before: a bare `ingest` (and `ingest --retag`) scanned corpus/sample
(`seen 40, new 40`) and put the fictional Eastvale and Kestrel Bay into a real warehouse.
"""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest
from click.testing import CliRunner, Result

from pipeline.cli import cli
from pipeline.paths import SAMPLE_CORPUS

REPORT = (
    "Safeguarding Adults Review: Mr K. Northmoor Safeguarding Adults Board.\n\n"
    "Practitioners showed little professional curiosity about the hoarding in his flat."
)


def ingest(db: Path, *args: str) -> Result:
    return CliRunner().invoke(cli, ["--db", str(db), "ingest", *args, "--format", "json"], obj={})


def summary(result: Result) -> dict:
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


@pytest.fixture
def reviews(tmp_path: Path) -> Path:
    folder = tmp_path / "reviews"
    folder.mkdir()
    for name in ("sar-k.txt", "sar-l.txt"):
        (folder / name).write_text(REPORT.replace("Mr K", f"Mr {name[4].upper()}"), encoding="utf-8")
    return folder


def _areas(db: Path) -> set[str]:
    with duckdb.connect(str(db), read_only=True) as con:
        return {row[0] for row in con.execute("SELECT DISTINCT area FROM documents").fetchall()}


def test_a_bare_ingest_scans_the_folders_fed_before_and_never_the_sample(
    reviews: Path, tmp_path: Path
) -> None:
    db = tmp_path / "real.duckdb"
    assert summary(ingest(db, str(reviews)))["new"] == 2
    (reviews / "sar-m.txt").write_text(REPORT.replace("Mr K", "Mr M"), encoding="utf-8")
    again = summary(ingest(db))
    assert (again["seen"], again["new"], again["skipped"]) == (3, 1, 2)
    assert again["folders"] == [str(reviews.resolve())]
    assert _areas(db) == {"Northmoor"}  # no Eastvale, no Kestrel Bay


def test_retag_scans_nothing(reviews: Path, tmp_path: Path) -> None:
    db = tmp_path / "real.duckdb"
    summary(ingest(db, str(reviews)))
    retag = summary(ingest(db, "--retag"))
    assert (retag["seen"], retag["new"], retag["folders"]) == (0, 0, [])


def test_a_bare_ingest_on_a_new_warehouse_asks_for_a_folder(tmp_path: Path) -> None:
    result = ingest(tmp_path / "new.duckdb")
    assert result.exit_code == 2
    assert "Name the folder to ingest" in result.stderr


def test_run_without_a_folder_never_adds_the_sample_to_real_reports(reviews: Path, tmp_path: Path) -> None:
    db = tmp_path / "real.duckdb"
    summary(ingest(db, str(reviews)))
    result = CliRunner().invoke(cli, ["--db", str(db), "run", "--heatmap", str(tmp_path / "h.png")], obj={})
    assert result.exit_code == 0, result.output
    assert "seen 2, new 0, skipped 2" in result.output
    assert _areas(db) == {"Northmoor"}


def test_the_sample_is_refused_in_a_real_warehouse(reviews: Path, tmp_path: Path) -> None:
    db = tmp_path / "real.duckdb"
    summary(ingest(db, str(reviews)))
    result = ingest(db, str(SAMPLE_CORPUS))
    assert result.exit_code == 2
    assert "holds your own reports" in result.stderr and "--db warehouse/sample.duckdb" in result.stderr


def test_real_reports_are_refused_in_the_sample_warehouse(reviews: Path, tmp_path: Path) -> None:
    db = tmp_path / "sample.duckdb"
    sample_files = sorted(SAMPLE_CORPUS.glob("*.pdf"))[:2]
    if not sample_files:
        pytest.skip("the sample corpus has not been generated")
    assert summary(ingest(db, *map(str, sample_files)))["new"] == 2
    result = ingest(db, str(reviews))
    assert result.exit_code == 2
    assert "holds the bundled sample corpus" in result.stderr and "a warehouse of their own" in result.stderr
