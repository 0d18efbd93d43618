"""Item 1 of issue 17: no process outlives a run, the lock dies with its holder, a dead run is marked.

Real subprocesses: `ingest --workers 2` is killed (SIGKILL, SIGTERM) while its workers run.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

import pytest

from tests.faults.helpers import (
    ROOT,
    alive_after,
    children_of,
    cli,
    copy_codebook,
    query,
    run,
    sample_inbox,
    snapshot,
    wait_for_children,
)

pytestmark = pytest.mark.slow
WORKERS_GONE_WITHIN_S = 5.0


@pytest.fixture(scope="module")
def setup(tmp_path_factory):
    base = tmp_path_factory.mktemp("processes")
    inbox = sample_inbox(base / "inbox", 40)
    taxonomy = copy_codebook(base)
    reference = base / "reference.duckdb"
    assert run(reference, "ingest", str(inbox), taxonomy=taxonomy).returncode == 0
    return inbox, taxonomy, snapshot(reference)


def _start_and_stop(db, inbox, taxonomy, sig) -> tuple[subprocess.Popen, list[int]]:
    command = cli(db, "ingest", str(inbox), "--workers", "2", "--commit-every", "1", taxonomy=taxonomy)
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    workers = wait_for_children(process.pid, 2)
    time.sleep(0.5)  # the workers are extracting and tagging
    process.send_signal(sig)
    return process, workers


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM], ids=["sigkill", "sigterm"])
def test_a_killed_two_worker_ingest_leaves_no_worker_no_lock_and_a_marked_run(setup, tmp_path, sig):
    inbox, taxonomy, expected = setup
    db = tmp_path / "killed.duckdb"
    process, workers = _start_and_stop(db, inbox, taxonomy, sig)
    process.wait(timeout=30)
    assert alive_after(workers, WORKERS_GONE_WITHIN_S) == [], "workers outlived their parent"
    if sig == signal.SIGTERM:
        assert process.returncode == 1 and "stopped (SIGTERM)" in process.stderr.read()
        assert query(db, "SELECT status FROM runs") == [("interrupted",)]
    rerun = run(db, "ingest", str(inbox), "--wait", "0", taxonomy=taxonomy)
    assert rerun.returncode == 0, rerun.stderr  # never 4: no survivor holds the lock
    assert snapshot(db) == expected
    assert query(db, "SELECT status FROM runs ORDER BY run_id") == [("interrupted",), ("ok",)]


HOLD_LOCK = """
import sys, time
from pathlib import Path
from warehouse.lock import writer_lock
with writer_lock(Path(sys.argv[1]), wait_s=5, command="ingest") as lock:
    lock.note(run_id=2)
    print("held", flush=True)
    time.sleep(60)
"""


def test_runs_names_the_lock_holder_and_shows_a_dead_run_as_interrupted(setup, tmp_path):
    inbox, taxonomy, _ = setup
    db = tmp_path / "held.duckdb"
    process, workers = _start_and_stop(db, inbox, taxonomy, signal.SIGKILL)
    process.wait(timeout=30)
    assert query(db, "SELECT status FROM runs") == [("running",)]  # as the dead run left it
    listing = run(db, "runs", "--format", "json")
    assert "being written" not in listing.stderr
    assert [row["status"] for row in json.loads(listing.stdout)] == ["interrupted"]
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD_LOCK, str(db)], cwd=ROOT, stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout.readline().strip() == "held"
        listing = run(db, "runs", "--format", "json")
        assert f"being written by pid {holder.pid}, ingest, run 2" in listing.stderr
        busy = run(db, "ingest", str(inbox), "--wait", "0", taxonomy=taxonomy)
        assert busy.returncode == 4 and f"pid {holder.pid}" in busy.stderr
    finally:
        holder.kill()
        holder.wait()


def test_more_workers_than_cores_are_capped_with_a_message(setup, tmp_path):
    inbox, taxonomy, _ = setup
    cores = len(os.sched_getaffinity(0))
    db = tmp_path / "capped.duckdb"
    command = [a for a in cli(db, "ingest", str(inbox), "--workers", "40", taxonomy=taxonomy) if a != "-q"]
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    peak = 0
    while process.poll() is None:
        peak = max(peak, len(children_of(process.pid)))
        time.sleep(0.05)
    assert process.returncode == 0
    assert f"using {cores}" in process.stderr.read()
    assert 0 < peak <= cores
