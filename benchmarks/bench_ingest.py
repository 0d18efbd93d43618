"""Benchmark the whole ingest: pages/s with 1 and 2 workers, and a no-op rerun.

Each measurement runs the real CLI in a fresh process into a fresh warehouse
(so the figures include start-up, extraction, tagging and loading), repeated
`--repeat` times; medians are printed. The machine is shared and noisy: compare
figures from one run only.

Run:
    .venv/bin/python -m benchmarks.bench_ingest                          # the sample corpus
    .venv/bin/python -m benchmarks.bench_ingest --corpus ../shared/corpus/real
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = ROOT / "corpus" / "sample"
DEFAULT_REPEAT = 3


def _ingest(db: Path, corpus: Path, workers: int) -> tuple[float, dict]:
    command = [
        sys.executable,
        str(ROOT / "run_pipeline.py"),
        "--db",
        str(db),
        "-q",
        "ingest",
        str(corpus),
        "--workers",
        str(workers),
        "--format",
        "json",
    ]
    started = time.perf_counter()
    result = subprocess.run(command, capture_output=True, text=True, cwd=ROOT)
    elapsed = time.perf_counter() - started
    if result.returncode not in (0, 3):
        raise SystemExit(f"ingest failed ({result.returncode}): {result.stderr[-2000:]}")
    return elapsed, json.loads(result.stdout)


def measure(corpus: Path, workers: int, repeat: int) -> dict[str, float]:
    """Return median wall seconds of a full ingest and of a no-op rerun, and pages/s."""
    full, noop, pages = [], [], 0
    for _ in range(repeat):
        with tempfile.TemporaryDirectory() as folder:
            db = Path(folder) / "bench.duckdb"
            seconds, summary = _ingest(db, corpus, workers)
            full.append(seconds)
            pages = summary["pages"]
            noop.append(_ingest(db, corpus, workers)[0])
    median_full = statistics.median(full)
    return {
        "workers": workers,
        "pages": pages,
        "full_s": median_full,
        "pages_per_s": pages / median_full,
        "noop_s": statistics.median(noop),
    }


def main() -> None:
    """Print the ingest benchmark table."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--repeat", type=int, default=DEFAULT_REPEAT)
    args = parser.parse_args()
    print(f"corpus: {args.corpus}  (medians of {args.repeat} runs, wall clock incl. process start)")
    print(f"{'workers':>7} {'pages':>6} {'full ingest s':>14} {'pages/s':>8} {'no-op rerun s':>14}")
    for workers in (1, 2):
        row = measure(args.corpus, workers, args.repeat)
        print(
            f"{row['workers']:>7} {row['pages']:>6} {row['full_s']:>14.2f} {row['pages_per_s']:>8.1f} "
            f"{row['noop_s']:>14.2f}"
        )


if __name__ == "__main__":
    main()
