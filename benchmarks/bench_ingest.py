"""Benchmark ingest against the PDF engine itself, with the extraction quality, in one run.

Speed, over one folder, each figure the median of ``--repeat`` rounds that take turns
(raw, extraction, ingest on 1 and 2 workers), so they share the machine's state:
- raw pypdfium2: one process opens every page and reads ``get_text_range`` (the floor);
- extraction: one process runs ``extract_document`` on every file;
- ingest: the real CLI in a fresh process into a fresh warehouse, on 1 and 2 workers:
  pages/s over the run's own duration (what ``ingest`` reports: codebook, tagger,
  extraction, tagging, loading) and over the wall clock including interpreter start;
- ratios to the raw rate, each ingest's peak RSS (largest process, workers included) and
  the wall time of a second ingest of the same folder (nothing new: a nightly no-op).
Memory: peak RSS ingesting a generated 300-page report, and extracting it alone.
Quality (benchmarks/extract_quality.py): per-report word recall and broken words
against pdftotext (when installed: ``apt-get install poppler-utils``; the runtime never
needs it), running heads left, reading-order adjacency on generated pages.

Run:
    .venv/bin/python -m benchmarks.bench_ingest                               # ../shared/corpus/real
    .venv/bin/python -m benchmarks.bench_ingest --corpus corpus/sample --repeat 1
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import pypdfium2 as pdfium

from benchmarks import extract_quality
from benchmarks.bench_extract import DEFAULT_CORPUS, peak_rss_mb
from pipeline import errors
from pipeline.extract.document import extract_document
from tests.pipeline import pdf_factory

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_REPEAT = 3
LARGE_PAGES = 300
# The goals of issue 18.
RATIO_GOAL_2, RATIO_GOAL_1 = 0.5, 0.25
RECALL_GOAL, BROKEN_GOAL, ORDER_GOAL, RSS_GOAL_MB = 0.98, 0.5, 0.98, 500


@dataclass(frozen=True)
class IngestRun:
    """One ingest: pages, own duration, wall clock with interpreter start, CPU, peak RSS, a no-op rerun."""

    pages: int
    duration_s: float
    wall_s: float
    cpu_s: float
    peak_mb: float
    noop_s: float


def raw_pdfium(files: list[Path]) -> tuple[int, float, float]:
    """Return (pages, seconds, CPU seconds) to read every page's text with plain pypdfium2 in this process."""
    pages, start, cpu = 0, time.perf_counter(), time.process_time()
    for path in files:
        try:
            pdf = pdfium.PdfDocument(str(path))
        except pdfium.PdfiumError:
            continue
        for index in range(len(pdf)):
            page = pdf[index]
            textpage = page.get_textpage()
            textpage.get_text_range()
            textpage.close()
            page.close()
            pages += 1
        pdf.close()
    return pages, time.perf_counter() - start, time.process_time() - cpu


def extraction(files: list[Path]) -> tuple[int, float, float]:
    """Return (pages, seconds, CPU seconds) to extract every file with the project's extractor here."""
    pages, start, cpu = 0, time.perf_counter(), time.process_time()
    for path in files:
        try:
            pages += extract_document(path).pages
        except errors.ExtractionError:
            continue
    return pages, time.perf_counter() - start, time.process_time() - cpu


def ingest(corpus: Path, workers: int) -> IngestRun:
    """Run the CLI's ingest into a fresh warehouse, then once more (nothing new), and return the figures."""
    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "bench.duckdb"
        summary, wall, cpu, peak_mb = _run_ingest(db, corpus, workers)
        noop_wall = _run_ingest(db, corpus, workers)[1]
    return IngestRun(summary["pages"], summary["duration_s"], wall, cpu, peak_mb, noop_wall)


def _run_ingest(db: Path, corpus: Path, workers: int) -> tuple[dict, float, float, float]:
    """Return (the run's JSON summary, wall seconds, CPU seconds with workers, peak RSS MB of the largest)."""
    command = [sys.executable, str(ROOT / "run_pipeline.py"), "--db", str(db), "-q", "ingest", str(corpus)]
    command += ["--workers", str(workers), "--format", "json"]
    out = db.with_suffix(".json")
    start = time.perf_counter()
    with out.open("w") as handle:
        process = subprocess.Popen(command, stdout=handle, stderr=subprocess.DEVNULL, cwd=ROOT)
        _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode not in (0, 3):
        raise SystemExit(f"ingest --workers {workers} failed with exit code {process.returncode}")
    cpu = usage.ru_utime + usage.ru_stime
    return json.loads(out.read_text()), wall, cpu, usage.ru_maxrss / 1024


def measure_speed(corpus: Path, repeat: int) -> dict[str, list]:
    """Return every round's figures: raw and extraction (pages, s) and the ingests."""
    files = sorted(corpus.glob("*.pdf"))
    rounds: dict[str, list] = {"raw": [], "extract": [], "ingest 1": [], "ingest 2": []}
    for _ in range(repeat):
        rounds["raw"].append(raw_pdfium(files))
        rounds["extract"].append(extraction(files))
        rounds["ingest 1"].append(ingest(corpus, 1))
        rounds["ingest 2"].append(ingest(corpus, 2))
    return rounds


def print_speed(rounds: dict[str, list]) -> None:
    """Print the medians, the ratios to the raw pdfium rate and the goals.

    CPU-seconds per page are printed beside each rate: on a busy machine the wall-clock
    rates (and so the ratios) move with the other load, the CPU cost much less.
    """
    raw = statistics.median(pages / seconds for pages, seconds, _ in rounds["raw"])
    raw_cpu = statistics.median(1000 * cpu / pages for pages, _, cpu in rounds["raw"])
    extract = statistics.median(pages / seconds for pages, seconds, _ in rounds["extract"])
    extract_cpu = statistics.median(1000 * cpu / pages for pages, _, cpu in rounds["extract"])
    pages = rounds["raw"][0][0]
    print(f"  raw pypdfium2, 1 process:     {raw:7.1f} pages/s  ({pages} pages; {raw_cpu:.2f} CPU ms/page)")
    print(
        f"  extract_document, 1 process:  {extract:7.1f} pages/s  ratio {extract / raw:.2f} "
        f"({extract_cpu:.2f} CPU ms/page, {extract_cpu / raw_cpu:.1f}x raw)"
    )
    for workers, goal in ((1, RATIO_GOAL_1), (2, RATIO_GOAL_2)):
        runs = rounds[f"ingest {workers}"]
        rate = statistics.median(run.pages / run.duration_s for run in runs)
        wall = statistics.median(run.pages / run.wall_s for run in runs)
        cpu = statistics.median(1000 * run.cpu_s / run.pages for run in runs)
        peak = max(run.peak_mb for run in runs)
        noop = statistics.median(run.noop_s for run in runs)
        verdict = "meets" if rate / raw >= goal else "misses"
        print(
            f"  ingest --workers {workers}:           {rate:7.1f} pages/s  ratio {rate / raw:.2f} "
            f"({verdict} the {goal} goal); with interpreter start {wall:.1f} pages/s ({wall / raw:.2f}); "
            f"{cpu:.2f} CPU ms/page ({cpu / raw_cpu:.1f}x raw); peak RSS {peak:.0f} MB; no-op {noop:.2f} s"
        )


def print_memory(work: Path) -> None:
    """Print peak RSS ingesting and extracting a generated 300-page report."""
    folder = work / "large"
    folder.mkdir()
    pdf_factory.column_pdf(folder / "large.pdf", pages=LARGE_PAGES, columns=2)
    run = ingest(folder, 1)
    extract_mb = peak_rss_mb(folder / "large.pdf")
    print(
        f"  {LARGE_PAGES}-page report: ingest peak RSS {run.peak_mb:.0f} MB, extraction alone "
        f"{extract_mb:.0f} MB (goal < {RSS_GOAL_MB} MB); ingest {run.pages / run.duration_s:.0f} pages/s"
    )


def main() -> None:
    """Run the benchmark and print its figures."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--repeat", type=int, default=DEFAULT_REPEAT)
    args = parser.parse_args()
    if not args.corpus.is_dir():
        raise SystemExit(f"no folder at {args.corpus}; pass --corpus")
    files = len(list(args.corpus.glob("*.pdf")))
    print(f"corpus {args.corpus}: {files} PDFs; {os.cpu_count()} CPUs; load average {os.getloadavg()[0]:.1f}")
    print(f"speed (medians of {args.repeat} rounds):")
    print_speed(measure_speed(args.corpus, args.repeat))
    print(f"load average after: {os.getloadavg()[0]:.1f}")
    with tempfile.TemporaryDirectory() as folder:
        print("memory:")
        print_memory(Path(folder))
        print("quality:")
        extract_quality.print_corpus_quality(args.corpus, recall_goal=RECALL_GOAL, broken_goal=BROKEN_GOAL)
        extract_quality.print_fixture_quality(Path(folder), goal=ORDER_GOAL)


if __name__ == "__main__":
    main()
