"""Issue 20: under `--executor ray`, a killed driver leaves whole documents and no process behind.

Real subprocesses on a local Ray instance of 2 CPUs; skipped without the [cluster] extra.
And a worker that hangs on a file is stopped at the hard per-file deadline, as in the process pool.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
from pathlib import Path

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
)

pytest.importorskip("ray", reason="the [cluster] extra (Ray) is not installed")
pytestmark = pytest.mark.slow
FILES = 16
RAY = ("--executor", "ray", "--workers", "2")
RAY_GONE_WITHIN_S = 15.0


@pytest.fixture(scope="module")
def setup(tmp_path_factory):
    base = tmp_path_factory.mktemp("ray")
    inbox = sample_inbox(base / "inbox", FILES)
    taxonomy = copy_codebook(base)
    reference = base / "reference.duckdb"
    assert run(reference, "ingest", str(inbox), "--workers", "2", taxonomy=taxonomy).returncode == 0
    return inbox, taxonomy, snapshot(reference)


def descendants(pid: int) -> list[int]:
    """Return every process below `pid` (children, their children...)."""
    found, frontier = [], [pid]
    while frontier:
        children = [child for parent in frontier for child in children_of(parent)]
        found += children
        frontier = children
    return found


def running_tasks(pids: list[int]) -> list[int]:
    """Return which of `pids` are Ray workers running a task (Ray titles them ray::<function>)."""
    busy = []
    for pid in pids:
        try:
            title = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")[0]
        except OSError:
            continue
        if title.startswith(b"ray::_run_task"):
            busy.append(pid)
    return busy


def wait_for_tasks(pid: int, count: int, timeout: float = 120) -> list[int]:
    """Wait until `count` Ray workers below `pid` run a task; return them."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        busy = running_tasks(descendants(pid))
        if len(busy) >= count:
            return busy
        time.sleep(0.05)
    raise AssertionError(f"no {count} Ray tasks ran below process {pid}")


def test_a_killed_ray_driver_leaves_whole_documents_no_process_and_a_rerun_completes(setup, tmp_path):
    inbox, taxonomy, expected = setup
    db = tmp_path / "killed.duckdb"
    command = cli(db, "ingest", str(inbox), *RAY, "--commit-every", "1", taxonomy=taxonomy)
    driver = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wait_for_tasks(driver.pid, 2)
    time.sleep(1.0)  # a few documents are committed, most are not
    ray_processes = descendants(driver.pid)
    driver.send_signal(signal.SIGKILL)
    driver.wait(timeout=30)
    assert len(ray_processes) >= 4  # gcs_server, raylet, agents, workers
    assert alive_after(ray_processes, RAY_GONE_WITHIN_S) == [], "Ray processes outlived the driver"
    left = snapshot(db)
    assert len(left) < FILES, "the driver was not killed mid-run"
    assert all(expected[sha] == counts for sha, counts in left.items()), "a document was left half-loaded"
    rerun = run(db, "ingest", str(inbox), *RAY, "--wait", "0", taxonomy=taxonomy)
    assert rerun.returncode == 0, rerun.stderr
    assert snapshot(db) == expected  # the rest loaded, nothing twice
    assert query(db, "SELECT status FROM runs ORDER BY run_id") == [("interrupted",), ("ok",)]


def test_a_worker_hung_on_a_file_is_cancelled_at_the_hard_deadline_and_the_file_quarantined(tmp_path):
    inbox = sample_inbox(tmp_path / "inbox", 3)
    db = tmp_path / "hung.duckdb"
    command = cli(db, "ingest", str(inbox), "--executor", "ray", "--workers", "1", "--time-limit", "2")
    driver = subprocess.Popen([*command, "--format", "json"], cwd=ROOT, stdout=subprocess.PIPE, text=True)
    started = time.monotonic()
    (worker,) = wait_for_tasks(driver.pid, 1)
    os.kill(worker, signal.SIGSTOP)  # hung: not even the soft limit's alarm or Ray can reach it
    output, _ = driver.communicate(timeout=120)
    elapsed = time.monotonic() - started
    assert driver.returncode == 3
    summary = json.loads(output)
    assert [q["reason"] for q in summary["quarantined"]] == ["timeout"]
    assert "--time-limit" in summary["quarantined"][0]["message"]
    assert summary["new"] == 2  # the rest loaded, on the worker Ray started in its place
    assert 12 <= elapsed < 90  # the hard deadline: the 2 s limit plus its 10 s grace
    assert alive_after([worker], RAY_GONE_WITHIN_S) == []
