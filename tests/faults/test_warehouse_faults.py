"""Items 8 and 9 of issue 17: readers and the writer do not shut each other out; a full disk is one message.

Real subprocesses against a real DuckDB file; the full disk is a small tmpfs (skipped where it
cannot be mounted).
"""

from __future__ import annotations

import contextlib
import json
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.faults.helpers import copy_codebook, query, run, sample_inbox, snapshot

pytestmark = pytest.mark.slow
HOLD_READER = """
import sys, time, duckdb
con = duckdb.connect(sys.argv[1], read_only=True)
print("open", flush=True)
time.sleep(float(sys.argv[2]))
"""
READER_HOLD_S = 12


@pytest.fixture(scope="module")
def setup(tmp_path_factory):
    base = tmp_path_factory.mktemp("warehouse")
    inbox = sample_inbox(base / "inbox", 12)
    taxonomy = copy_codebook(base)
    reference = base / "reference.duckdb"
    assert run(reference, "ingest", str(inbox), taxonomy=taxonomy).returncode == 0
    return inbox, taxonomy, snapshot(reference)


def test_a_long_reader_delays_the_writer_but_never_fails_the_run(setup, tmp_path):
    inbox, taxonomy, expected = setup
    db = tmp_path / "w.duckdb"
    assert run(db, "ingest", str(inbox / "2018_eastvale_sar_mr_k.pdf"), taxonomy=taxonomy).returncode == 0
    reader = subprocess.Popen(
        [sys.executable, "-c", HOLD_READER, str(db), str(READER_HOLD_S)], stdout=subprocess.PIPE, text=True
    )
    assert reader.stdout.readline().strip() == "open"
    started = time.monotonic()
    result = run(db, "ingest", str(inbox), "--wait", "5", "--format", "json", taxonomy=taxonomy)
    reader.wait()
    assert result.returncode == 0, result.stderr
    assert time.monotonic() - started >= READER_HOLD_S - 2  # it waited for the reader ...
    assert json.loads(result.stdout)["new"] == len(expected) - 1  # ... and committed everything
    assert snapshot(db) == expected
    assert query(db, "SELECT status FROM runs ORDER BY run_id") == [("ok",), ("ok",)]


@contextlib.contextmanager
def small_disk(folder: Path, megabytes: int):
    folder.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={megabytes}m", "tmpfs", str(folder)])
    if mounted.returncode != 0:
        pytest.skip("cannot mount a small tmpfs here (needs root)")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)


def test_a_full_disk_stops_with_one_message_quarantines_nothing_and_the_rerun_completes(setup, tmp_path):
    inbox, taxonomy, expected = setup
    with small_disk(tmp_path / "disk", 24) as disk:
        db = disk / "w.duckdb"
        filler = disk / "filler"
        filler.write_bytes(b"\0" * (21 * 1024 * 1024 - 200_000))  # about 3 MB left: fills mid-run
        full = run(db, "ingest", str(inbox), "--commit-every", "1", taxonomy=taxonomy)
        assert full.returncode == 1, full.stdout + full.stderr
        assert "could not be written" in full.stderr and "free some space" in full.stderr
        assert "Traceback" not in full.stderr and len(full.stderr.strip().splitlines()) == 1
        assert not (disk / "logs").exists() or not list((disk / "logs").iterdir())
        filler.unlink()
        rerun = run(db, "ingest", str(inbox), "--format", "json", taxonomy=taxonomy)
        assert rerun.returncode == 0, rerun.stderr
        assert json.loads(rerun.stdout)["quarantined"] == []
        assert snapshot(db) == expected
        assert query(db, "SELECT count(*) FROM quarantine") == [(0,)]
