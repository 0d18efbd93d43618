"""Fault-injection trials of issue 17 ("Nightly ingestion you can leave unattended"), with numbers.

1. `kills`: N trials of `ingest --workers 2 --commit-every 1` killed at a random point
   (SIGKILL, then SIGTERM), each followed by a rerun. Per trial: whether every document is
   there exactly once with the counts of a clean ingest, whether any process of the killed
   run was alive 5 s after the kill, the rerun's exit code (never 4).
2. `night`: 24 good reports plus a 2 MB one-line text, a Word file that unpacks to 40 MB
   and a 100 MB text file: exit code, what was quarantined and why, wall time, and the peak
   resident memory of the whole process tree (parent + workers, sampled every 50 ms).

Run:
    .venv/bin/python -m benchmarks.bench_faults kills --sigkill 20 --sigterm 5
    .venv/bin/python -m benchmarks.bench_faults night
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import signal
import subprocess
import tempfile
import time
from pathlib import Path

from tests.faults.helpers import (
    ROOT,
    alive_after,
    children_of,
    cli,
    copy_codebook,
    run,
    sample_inbox,
    snapshot,
    wait_for_children,
)
from tests.faults.test_poison_files import SENTENCE, docx_bomb

SEED = 17
GONE_WITHIN_S = 5.0
PAGE_KB = 4  # /proc statm counts pages


def _trial(db: Path, inbox: Path, taxonomy: Path, sig: int, delay: float) -> dict:
    command = cli(db, "ingest", str(inbox), "--workers", "2", "--commit-every", "1", taxonomy=taxonomy)
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    workers = wait_for_children(process.pid, 2)
    time.sleep(delay)
    workers = sorted(set(workers) | set(children_of(process.pid)))
    process.send_signal(sig)
    process.wait()
    survivors = alive_after(workers, GONE_WITHIN_S)
    rerun = run(db, "ingest", str(inbox), "--wait", "0", taxonomy=taxonomy)
    return {"survivors": len(survivors), "rerun_exit": rerun.returncode, "snapshot": snapshot(db)}


def kills(sigkill: int, sigterm: int) -> None:
    """Run the kill trials and print one line per trial, then the totals."""
    rng = random.Random(SEED)
    with tempfile.TemporaryDirectory() as folder:
        base = Path(folder)
        inbox = sample_inbox(base / "inbox", 40)
        taxonomy = copy_codebook(base)
        started = time.monotonic()
        clean = run(base / "ref.duckdb", "ingest", str(inbox), "--workers", "2", taxonomy=taxonomy)
        assert clean.returncode == 0, clean.stderr
        duration = time.monotonic() - started
        expected = snapshot(base / "ref.duckdb")
        results = []
        plan = [(signal.SIGKILL, "SIGKILL")] * sigkill + [(signal.SIGTERM, "SIGTERM")] * sigterm
        for number, (sig, name) in enumerate(plan):
            delay = rng.uniform(0.0, max(0.5, duration - 1.5))
            result = _trial(base / f"trial-{number}.duckdb", inbox, taxonomy, sig, delay)
            same = result.pop("snapshot") == expected
            results.append({"signal": name, "delay_s": round(delay, 2), "exactly_once": same, **result})
            print(json.dumps(results[-1]))
        print(
            json.dumps(
                {
                    "trials": len(results),
                    "clean_ingest_s": round(duration, 1),
                    "exactly_once": sum(r["exactly_once"] for r in results),
                    "any_survivor": sum(r["survivors"] > 0 for r in results),
                    "rerun_exit_4": sum(r["rerun_exit"] == 4 for r in results),
                    "rerun_not_0": sum(r["rerun_exit"] != 0 for r in results),
                }
            )
        )


def _tree_rss_mb(pid: int) -> float:
    total = 0
    for member in [pid, *children_of(pid)]:
        try:
            total += int(Path(f"/proc/{member}/statm").read_text().split()[1])
        except (OSError, IndexError):
            continue
    return total * PAGE_KB / 1024


def night() -> None:
    """Run the poison night and print its outcome, time and peak memory."""
    with tempfile.TemporaryDirectory() as folder:
        base = Path(folder)
        inbox = sample_inbox(base / "inbox", 24)
        (inbox / "one-line-2mb.txt").write_text(SENTENCE * (2_000_000 // len(SENTENCE)), encoding="utf-8")
        docx_bomb(inbox / "bomb-40mb.docx")
        with (inbox / "huge-100mb.txt").open("wb") as handle:
            handle.write(SENTENCE.encode() * (100_000_000 // len(SENTENCE) + 1))
        sizes = {p.name: p.stat().st_size for p in inbox.iterdir() if p.suffix != ".pdf"}
        command = cli(base / "night.duckdb", "ingest", str(inbox), "--workers", "2", "--format", "json")
        started = time.monotonic()
        pipe = subprocess.PIPE
        process = subprocess.Popen(command, cwd=ROOT, stdout=pipe, stderr=pipe, text=True)
        peak = 0.0
        while process.poll() is None:
            peak = max(peak, _tree_rss_mb(process.pid))
            time.sleep(0.05)
        elapsed = time.monotonic() - started
        summary = json.loads(process.communicate()[0])
        print(json.dumps({"file_bytes": sizes}))
        print(
            json.dumps(
                {
                    "exit": process.returncode,
                    "new": summary["new"],
                    "quarantined": {Path(q["path"]).name: q["reason"] for q in summary["quarantined"]},
                    "seconds": round(elapsed, 1),
                    "peak_rss_tree_mb": round(peak),
                }
            )
        )
        shutil.rmtree(inbox)


def main() -> None:
    """Parse the command line and run one of the trials."""
    raw = argparse.RawDescriptionHelpFormatter
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=raw)
    commands = parser.add_subparsers(dest="command", required=True)
    killing = commands.add_parser("kills")
    killing.add_argument("--sigkill", type=int, default=20)
    killing.add_argument("--sigterm", type=int, default=5)
    commands.add_parser("night")
    args = parser.parse_args()
    if args.command == "kills":
        kills(args.sigkill, args.sigterm)
    else:
        night()


if __name__ == "__main__":
    main()
