"""Shared helpers of the fault-injection tests: the real CLI in subprocesses, /proc, snapshots."""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "corpus" / "sample"


def cli(db: Path, *args: str, taxonomy: Path | None = None) -> list[str]:
    """Return the command line of one CLI call against `db`."""
    codebook = ["--taxonomy", str(taxonomy)] if taxonomy else []
    return [sys.executable, str(ROOT / "run_pipeline.py"), "--db", str(db), *codebook, "-q", *args]


def run(
    db: Path, *args: str, taxonomy: Path | None = None, timeout: float = 300
) -> subprocess.CompletedProcess:
    """Run one CLI call to the end and return it."""
    return subprocess.run(
        cli(db, *args, taxonomy=taxonomy), capture_output=True, text=True, timeout=timeout, cwd=ROOT
    )


def copy_codebook(folder: Path) -> Path:
    """Copy the shipped codebook, so a test can edit it (or rely on it not changing)."""
    target = folder / "taxonomy"
    shutil.copytree(ROOT / "models" / "taxonomy", target)
    return target


def sample_inbox(folder: Path, count: int) -> Path:
    """Copy `count` sample PDFs into a new inbox folder."""
    folder.mkdir(parents=True, exist_ok=True)
    for pdf in sorted(SAMPLE.glob("*.pdf"))[:count]:
        shutil.copy2(pdf, folder / pdf.name)
    return folder


def children_of(pid: int) -> list[int]:
    """Return the pids whose parent is `pid` (from /proc)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def is_alive(pid: int) -> bool:
    """Return whether a process exists and is not a zombie."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def wait_for_children(pid: int, count: int, timeout: float = 60) -> list[int]:
    """Wait until `pid` has `count` children; return them."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        children = children_of(pid)
        if len(children) >= count:
            return children
        time.sleep(0.05)
    raise AssertionError(f"process {pid} never had {count} children")


def alive_after(pids: list[int], seconds: float) -> list[int]:
    """Return which of `pids` are still alive `seconds` from now (checking until then)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        alive = [pid for pid in pids if is_alive(pid)]
        if not alive:
            return []
        time.sleep(0.1)
    return [pid for pid in pids if is_alive(pid)]


def snapshot(db: Path) -> dict[str, tuple[int, int, int]]:
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


def query(db: Path, sql: str) -> list[tuple]:
    """Run one query on a read-only connection."""
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute(sql).fetchall()
