"""`ingest --ocr`: scans load with pages flagged (engine, confidence), shown in evidence and dashboard."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest
from click.testing import CliRunner, Result
from starlette.testclient import TestClient

from pipeline.cli import cli
from pipeline.extract.ocr import tesseract_version
from pipeline.web.app import create_app
from tests.pipeline.pdf_factory import column_pdf
from tests.pipeline.scan_factory import scanned_copy


def invoke(db: Path, *args: str) -> Result:
    return CliRunner().invoke(cli, ["-q", "--db", str(db), *args], obj={})


@pytest.fixture
def inbox(tmp_path: Path) -> Path:
    folder = tmp_path / "inbox"
    folder.mkdir()
    digital = column_pdf(tmp_path / "digital.pdf", pages=2, seed=3)
    scanned_copy(digital.path, folder / "scr-2019-scan.pdf", pages=[1])  # page 2 of 2 scanned
    scanned_copy(digital.path, folder / "sar-2018-all-scanned.pdf")
    return folder


def test_without_ocr_a_scan_is_quarantined_and_says_how_to_enable_ocr(tmp_path: Path, inbox: Path) -> None:
    db = tmp_path / "w.duckdb"
    result = invoke(db, "ingest", str(inbox))
    assert result.exit_code == 3, result.output
    assert "sar-2018-all-scanned.pdf" in result.output
    assert "needs OCR" in result.output and "--ocr" in result.output and "[ocr]" in result.output


@pytest.mark.skipif(tesseract_version() is None, reason="Tesseract is not installed")
def test_ingest_ocr_flags_pages_in_warehouse_evidence_and_dashboard(tmp_path: Path, inbox: Path) -> None:
    db = tmp_path / "w.duckdb"
    result = invoke(db, "ingest", str(inbox), "--ocr")
    assert result.exit_code == 0, result.output
    con = duckdb.connect(str(db), read_only=True)
    flags = con.execute(
        "SELECT d.path, o.page, o.engine, o.confidence FROM ocr_pages o JOIN documents d USING (sha256) "
        "ORDER BY d.path, o.page"
    ).fetchall()
    (theme,) = con.execute(
        "SELECT theme FROM current_mentions WHERE counted GROUP BY 1 ORDER BY count(*) DESC"
    ).fetchone()
    con.close()
    assert [(Path(path).name, page) for path, page, _, _ in flags] == [
        ("sar-2018-all-scanned.pdf", 1),
        ("sar-2018-all-scanned.pdf", 2),
        ("scr-2019-scan.pdf", 2),
    ]
    assert all(engine.startswith("tesseract ") and 0.5 < conf <= 1 for _, _, engine, conf in flags)
    rows = json.loads(invoke(db, "evidence", "--theme", theme, "--format", "json").stdout)
    assert {bool(row["ocr_engine"]) for row in rows} == {True, False}  # the digital page 1 is not OCR
    assert all(row["ocr_engine"] or row["page"] == 1 for row in rows)
    assert "tesseract" in invoke(db, "evidence", "--theme", theme).stdout
    with TestClient(create_app(db), base_url="http://localhost") as client:
        page = client.get(f"/evidence?theme={theme}")
    assert page.status_code == 200 and ">OCR</abbr>" in page.text
