"""Metadata you can correct after the first ingest (issue 19, item 2).

Before: a manifest.csv added later was ignored (`seen 1, new 0, skipped 1`, still
`inferred`), `--retag` did not apply it, a manifest in a subfolder and a row naming a
missing file were ignored silently, `SAR` and `2018-19` were refused.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from pipeline.cli import cli

REPORT = (
    "Learning from Mr K\n\nNorthmoor Safeguarding Adults Board.\n\n"
    "Practitioners showed little professional curiosity about the hoarding in his flat."
)


def cli_run(db: Path, *args: str) -> Result:
    return CliRunner().invoke(cli, ["--db", str(db), *args], obj={})


def json_out(db: Path, *args: str) -> dict | list:
    result = cli_run(db, *args, "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


@pytest.fixture
def inbox(tmp_path: Path) -> Path:
    folder = tmp_path / "reviews" / "2019"
    folder.mkdir(parents=True)
    (folder / "sar-k.txt").write_text(REPORT, encoding="utf-8")
    return tmp_path / "reviews"


def _document(db: Path) -> dict:
    (row,) = json_out(db, "documents")
    return row


def _write_manifest(path: Path, line: str, *, mtime: float | None = None) -> None:
    path.write_text(f"file,title,doc_type,area,year\n{line}\n", encoding="utf-8")
    if mtime is not None:
        os.utime(path, (mtime, mtime))


def test_a_manifest_added_later_in_a_subfolder_corrects_the_stored_document(
    inbox: Path, tmp_path: Path
) -> None:
    db = tmp_path / "w.duckdb"
    json_out(db, "ingest", str(inbox))
    before = _document(db)
    assert (before["area"], before["doc_type"], before["metadata_source"]) == ("Northmoor", "sar", "inferred")
    row = "sar-k.txt,Safeguarding Adult Review: Mr K,SAR,St. Helens,2018-19"
    _write_manifest(inbox / "2019" / "manifest.csv", row)
    summary = json_out(db, "ingest")
    # title, area and year change; SAR reads as the sar inferred already
    assert (summary["seen"], summary["new"], summary["skipped"], summary["corrected"]) == (1, 0, 1, 3)
    after = _document(db)
    assert (after["title"], after["doc_type"], after["area"], after["year"]) == (
        "Safeguarding Adult Review: Mr K",
        "sar",
        "St. Helens",
        2019,
    )
    assert after["metadata_source"] == "manifest"
    changes = json_out(db, "documents", "changes")
    assert {(c["field"], c["new_value"], c["source"]) for c in changes} >= {
        ("area", "St. Helens", "manifest"),
        ("year", "2019", "manifest"),
    }
    assert all(c["note"].endswith("manifest.csv:2") for c in changes)
    trends = json_out(db, "trends", "--by", "area", "--theme", "hoarding", "--area", "st helens")
    assert [(row["bucket"], row["documents"]) for row in trends] == [("St. Helens", 1)]


def test_retag_applies_an_explicit_manifest(inbox: Path, tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    json_out(db, "ingest", str(inbox))
    manifest = tmp_path / "corrections.csv"
    _write_manifest(manifest, f"{inbox / '2019' / 'sar-k.txt'},,dhr,,2022/23")
    summary = json_out(db, "ingest", "--retag", "--manifest", str(manifest))
    assert (summary["seen"], summary["corrected"]) == (0, 2)
    assert (_document(db)["doc_type"], _document(db)["year"]) == ("dhr", 2023)


def test_a_row_naming_a_missing_file_is_a_warning_that_names_it(inbox: Path, tmp_path: Path) -> None:
    _write_manifest(inbox / "manifest.csv", "2019/sar-x.pdf,,sar,,")
    result = cli_run(tmp_path / "w.duckdb", "ingest", str(inbox))
    assert result.exit_code == 0, result.output
    assert "warning:" in result.output
    assert "manifest.csv:2: the manifest names sar-x.pdf, which is not there" in result.output


def test_a_bad_manifest_cell_names_file_line_and_the_nearest_type(inbox: Path, tmp_path: Path) -> None:
    _write_manifest(inbox / "manifest.csv", "2019/sar-k.txt,,SRA,,")
    result = cli_run(tmp_path / "w.duckdb", "ingest", str(inbox))
    assert result.exit_code == 2
    assert "manifest.csv:2: Unknown document type 'SRA'. Did you mean sar" in result.stderr


def test_documents_set_records_who_and_when_and_a_stale_manifest_does_not_undo_it(
    inbox: Path, tmp_path: Path
) -> None:
    db = tmp_path / "w.duckdb"
    manifest = inbox / "2019" / "manifest.csv"
    _write_manifest(manifest, "sar-k.txt,,,Northmoor,", mtime=time.time() - 3600)
    json_out(db, "ingest", str(inbox))
    ref = _document(db)["ref"]
    changed = json_out(
        db, "documents", "set", ref, "--area", "West Northamptonshire", "--year", "2022-23", "--by", "Jo Lead"
    )
    assert {(c["field"], c["new_value"]) for c in changed} == {
        ("area", "West Northamptonshire"),
        ("year", 2023),
    }
    json_out(db, "ingest")  # the manifest is older than the hand edit: the edit stays
    assert _document(db)["area"] == "West Northamptonshire"
    (latest, *_) = json_out(db, "documents", "changes", ref)
    assert (latest["changed_by"], latest["source"]) == ("Jo Lead", "documents set") and latest["changed_at"]
    _write_manifest(manifest, "sar-k.txt,,,Eastshire,")  # edited after: the manifest wins again
    json_out(db, "ingest")
    assert _document(db)["area"] == "Eastshire"


def test_documents_set_refuses_unknown_documents_and_values(inbox: Path, tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    json_out(db, "ingest", str(inbox))
    ref = _document(db)["ref"]
    assert "No document 'ffffffff'" in cli_run(db, "documents", "set", "ffffffff", "--area", "X").stderr
    assert cli_run(db, "documents", "set", ref, "--year", "soon").exit_code == 2
    assert "Did you mean sar" in cli_run(db, "documents", "set", ref, "--doc-type", "sra").stderr
    by_path = cli_run(db, "documents", "set", str(inbox / "2019" / "sar-k.txt"), "--doc-type", "SCR")
    assert by_path.exit_code == 0, by_path.output
    assert _document(db)["doc_type"] == "cspr"
