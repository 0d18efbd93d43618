"""Nightly ingestion never loses or duplicates data: kills, overlaps, bad files, reruns.

These tests run the real CLI in subprocesses against a real DuckDB file, over
PDFs from the bundled sample corpus.
"""

from __future__ import annotations

import json
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "corpus" / "sample"
KILL_TRIALS = 10
KILL_SEED = 20261122
SUBSET_SIZE = 8
READER_ATTEMPTS = 5
# Kill in the part of a run that does work, not during interpreter start-up.
KILL_WINDOW_START = 0.4

pytestmark = pytest.mark.slow


# A private copy of the codebook, so an edit to models/taxonomy during a run cannot change versions.
_taxonomy: list[Path] = []


def _cli(db: Path, *args: str) -> list[str]:
    taxonomy = ["--taxonomy", str(_taxonomy[0])] if _taxonomy else []
    return [sys.executable, str(ROOT / "run_pipeline.py"), "--db", str(db), *taxonomy, "-q", *args]


def _run(db: Path, *args: str, timeout: float = 300) -> subprocess.CompletedProcess:
    return subprocess.run(_cli(db, *args), capture_output=True, text=True, timeout=timeout, cwd=ROOT)


@pytest.fixture(scope="module")
def inbox(tmp_path_factory) -> Path:
    pdfs = sorted(SAMPLE.glob("*.pdf"))[:SUBSET_SIZE]
    if len(pdfs) < SUBSET_SIZE:
        pytest.skip("the sample corpus has not been generated")
    folder = tmp_path_factory.mktemp("inbox")
    _taxonomy[:] = [tmp_path_factory.mktemp("codebook") / "taxonomy"]
    shutil.copytree(ROOT / "models" / "taxonomy", _taxonomy[0])
    for pdf in pdfs:
        shutil.copy2(pdf, folder / pdf.name)
    return folder


def _snapshot(db: Path) -> dict[str, tuple[int, int, int]]:
    """Return {sha256: (rows of that document, its sentences, its mentions)}."""
    with duckdb.connect(str(db), read_only=True) as con:
        rows = con.execute(
            """
            SELECT d.sha256, count(*) OVER (PARTITION BY d.sha256),
                   (SELECT count(*) FROM text_units u WHERE u.sha256 = d.sha256),
                   (SELECT count(*) FROM mentions m WHERE m.sha256 = d.sha256)
            FROM documents d
            """
        ).fetchall()
    return {sha: (n, units, mentions) for sha, n, units, mentions in rows}


def _documents_if_any(db: Path) -> int:
    """Return how many documents a killed run left (0 if it died before creating its tables)."""
    try:
        return len(_snapshot(db)) if db.exists() else 0
    except duckdb.Error:
        return 0


@pytest.fixture(scope="module")
def reference(inbox, tmp_path_factory) -> tuple[dict, float]:
    db = tmp_path_factory.mktemp("ref") / "ref.duckdb"
    started = time.monotonic()
    result = _run(db, "ingest", str(inbox))
    assert result.returncode == 0, result.stderr
    return _snapshot(db), time.monotonic() - started


def test_sigkill_at_random_points_then_rerun_leaves_every_document_exactly_once(inbox, reference, tmp_path):
    expected, duration = reference
    assert len(expected) == SUBSET_SIZE and all(n == 1 for n, _, _ in expected.values())
    rng = random.Random(KILL_SEED)
    loaded_before_rerun: list[int] = []
    for trial in range(KILL_TRIALS):
        db = tmp_path / f"kill-{trial}.duckdb"
        # Committing every document makes a kill land between (and inside) many commits.
        command = _cli(db, "ingest", str(inbox), "--commit-every", "1")
        process = subprocess.Popen(command, cwd=ROOT, stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(KILL_WINDOW_START * duration, duration))
        process.send_signal(signal.SIGKILL)
        process.wait()
        loaded_before_rerun.append(_documents_if_any(db))
        rerun = _run(db, "ingest", str(inbox))
        assert rerun.returncode == 0, f"trial {trial}: {rerun.stderr}"
        assert _snapshot(db) == expected, f"trial {trial}: warehouse differs after kill + rerun"
    print(f"documents committed when killed, per trial: {loaded_before_rerun}")
    assert any(0 < n < SUBSET_SIZE for n in loaded_before_rerun), "no kill landed in the middle of a run"


def test_two_ingests_at_once_load_everything_once(inbox, reference, tmp_path):
    expected, _ = reference
    db = tmp_path / "both.duckdb"
    first = subprocess.Popen(_cli(db, "ingest", str(inbox)), cwd=ROOT, stderr=subprocess.PIPE, text=True)
    second = subprocess.Popen(
        _cli(db, "ingest", str(inbox), "--wait", "300"), cwd=ROOT, stderr=subprocess.PIPE, text=True
    )
    assert first.wait(timeout=300) == 0, first.stderr.read()
    assert second.wait(timeout=300) == 0, second.stderr.read()
    assert _snapshot(db) == expected


def test_a_second_ingest_that_cannot_wait_exits_4_with_a_clear_message(inbox, tmp_path):
    from warehouse.db import writer_lock

    db = tmp_path / "busy.duckdb"
    with writer_lock(db, wait_s=1):  # what a running ingest holds
        second = _run(db, "ingest", str(inbox), "--wait", "0")
    assert second.returncode == 4
    assert "Another ingest" in second.stderr and "try again" in second.stderr


def test_readers_keep_working_during_an_ingest(tmp_path):
    db = tmp_path / "read.duckdb"
    ingest = subprocess.Popen(_cli(db, "ingest", str(SAMPLE)), cwd=ROOT, stderr=subprocess.DEVNULL)
    readings_during_ingest = 0
    try:
        while not db.exists() and ingest.poll() is None:  # a read never creates the warehouse
            time.sleep(0.05)
        for _ in range(READER_ATTEMPTS):
            if ingest.poll() is not None:
                break
            reader = _run(db, "documents", "--format", "json")
            assert reader.returncode == 0, reader.stderr
            readings_during_ingest += ingest.poll() is None
    finally:
        assert ingest.wait(timeout=300) == 0
    assert readings_during_ingest >= 1, "the ingest finished before any read could overlap it"


def test_a_no_op_rerun_skips_everything(inbox, tmp_path):
    db = tmp_path / "noop.duckdb"
    assert _run(db, "ingest", str(inbox)).returncode == 0
    rerun = _run(db, "ingest", str(inbox), "--format", "json")
    assert rerun.returncode == 0
    summary = json.loads(rerun.stdout)
    assert (summary["seen"], summary["skipped"], summary["new"]) == (SUBSET_SIZE, SUBSET_SIZE, 0)


def test_a_batch_with_bad_files_loads_the_good_ones_and_quarantines_the_rest(inbox, tmp_path):
    from tests.pipeline import pdf_factory

    batch = tmp_path / "batch"
    shutil.copytree(inbox, batch)
    pdf_factory.encrypted_pdf(batch / "locked.pdf")
    pdf_factory.truncated_pdf(batch / "truncated.pdf")
    pdf_factory.image_only_pdf(batch / "scanned.pdf")
    (batch / "empty.pdf").write_bytes(b"")
    (batch / "webpage.pdf").write_text("<!doctype html><html><body>Not found</body></html>", encoding="utf-8")
    quarantine = tmp_path / "quarantine"
    db = tmp_path / "bad.duckdb"
    result = _run(
        db,
        "ingest",
        str(batch),
        "--format",
        "json",
        "--quarantine-dir",
        str(quarantine),
        "--quarantine-action",
        "copy",
    )
    assert result.returncode == 3, result.stderr
    summary = json.loads(result.stdout)
    reasons = {Path(item["path"]).name: item["reason"] for item in summary["quarantined"]}
    assert reasons == {
        "locked.pdf": "encrypted",
        "truncated.pdf": "corrupt",
        "scanned.pdf": "no_text_layer",
        "empty.pdf": "empty_file",
        "webpage.pdf": "not_a_document",
    }
    assert summary["new"] == SUBSET_SIZE
    assert sorted(p.name for p in quarantine.iterdir()) == sorted(reasons)
    runs = json.loads(_run(db, "runs", "--format", "json").stdout)
    assert {Path(q["path"]).name for q in runs[0]["quarantined"]} == set(reasons)
    assert all(q["message"] for q in runs[0]["quarantined"])
