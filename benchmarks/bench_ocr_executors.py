"""OCR pages/s per core and quality; ingest with worker processes vs the local Ray executor.

    .venv/bin/python benchmarks/bench_ocr_executors.py [--pages 6] [--workers 2] [--repeats 3] [--folder F]

OCR: generated two-column scans (150 dpi with 0.6 degree skew, 300 dpi with -0.4; noise) read
one page at a time in this process (Tesseract runs single-threaded), so pages/s is per core;
per page, word recall and reading-order adjacency (adjacent true lines read one after the
other, a misread letter aside: `order_adjacency`), as the OCR tests measure them, and the
letter-perfect adjacency used on digital text (`pair_accuracy`), which misreads also lower.
Executors: each folder (default corpus/sample and, when present, ../shared/corpus/real)
ingested by the real CLI into fresh warehouses, `--workers N` then `--executor ray --workers N`
(a local Ray instance of N CPUs; skipped without Ray); pages/s (the run's own duration, and
wall time with start-up), their ratio, and whether documents, mentions and `trends --format
json` are equal byte for byte. Each figure gives the load average.
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
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline.extract.document import ExtractSettings, extract_document, extract_pages_text  # noqa: E402
from pipeline.extract.ocr import tesseract_version  # noqa: E402
from tests.pipeline.pdf_factory import column_pdf, order_adjacency, pair_accuracy, word_recall  # noqa: E402
from tests.pipeline.scan_factory import scanned_copy  # noqa: E402

REAL_CORPUS = ROOT.parent / "shared" / "corpus" / "real"
SCANS = [(150, 0.6), (300, -0.4)]  # (dpi, skew degrees)
DOCUMENTS_SQL = (
    "SELECT sha256, title, doc_type, area, year, pages, words, extractor_version, tagged_version "
    "FROM documents ORDER BY sha256"
)
MENTIONS_SQL = (
    "SELECT * EXCLUDE (taxonomy_version) FROM mentions ORDER BY sha256, start_offset, theme, rule_id"
)


def load() -> str:
    """The 1-minute load average now (the machine is shared)."""
    return f"load {os.getloadavg()[0]:.2f}"


def bench_ocr(pages: int, work: Path) -> None:
    if tesseract_version() is None:
        print("OCR: Tesseract not installed, skipped")
        return
    for dpi, skew in SCANS:
        digital = column_pdf(work / f"digital-{dpi}.pdf", pages=pages, seed=dpi)
        scan = scanned_copy(digital.path, work / f"scan-{dpi}.pdf", dpi=dpi, skew=skew)
        before = load()
        started = time.perf_counter()
        doc = extract_document(scan, settings=ExtractSettings(ocr=True))
        elapsed = time.perf_counter() - started
        texts = [text for _, text in extract_pages_text(doc)]
        recall = [word_recall(truth, text) for truth, text in zip(digital.pages, texts, strict=True)]
        order = [order_adjacency(truth, text) for truth, text in zip(digital.pages, texts, strict=True)]
        exact = [pair_accuracy(truth, text) for truth, text in zip(digital.pages, texts, strict=True)]
        print(
            f"OCR {dpi} dpi, skew {skew}: {len(doc.ocr_pages)} pages in {elapsed:.1f} s = "
            f"{len(doc.ocr_pages) / elapsed:.2f} pages/s per core; word recall median "
            f"{statistics.median(recall):.3f} (min {min(recall):.3f}), reading-order adjacency median "
            f"{statistics.median(order):.3f} (min {min(order):.3f}; letter-perfect pairs median "
            f"{statistics.median(exact):.3f}, min {min(exact):.3f})  [{before} -> {load()}]"
        )


def _cli(db: Path, *args: str) -> subprocess.CompletedProcess:
    command = [sys.executable, str(ROOT / "run_pipeline.py"), "--db", str(db), "-q", *args]
    return subprocess.run(command, capture_output=True, cwd=ROOT, timeout=3600)


def ingest_once(folder: Path, db: Path, workers: int, executor: str) -> dict:
    """Ingest `folder` into a new warehouse by the CLI; return the figures and what it loaded."""
    before = load()
    started = time.perf_counter()
    done = _cli(
        db, "ingest", str(folder), "--workers", str(workers), "--executor", executor, "--format", "json"
    )
    wall = time.perf_counter() - started
    if done.returncode not in (0, 3):  # 3: some files quarantined, the rest loaded
        raise SystemExit(f"ingest --executor {executor} failed ({done.returncode}): {done.stderr.decode()}")
    summary = json.loads(done.stdout)
    with duckdb.connect(str(db), read_only=True) as con:
        documents = con.execute(DOCUMENTS_SQL).fetchall()
        mentions = con.execute(MENTIONS_SQL).fetchall()
    trends = _cli(db, "trends", "--format", "json").stdout
    return {
        "pages": summary["pages"],
        "duration": summary["duration_s"],
        "wall": wall,
        "load": f"{before} -> {load()}",
        "quarantined": sorted((q["path"], q["reason"]) for q in summary["quarantined"]),
        "loaded": (documents, mentions, trends),
    }


def bench_executors(folder: Path, workers: int, work: Path, repeats: int) -> None:
    try:
        import ray  # noqa: F401
    except ImportError:
        print("Ray not installed (pip install -e '.[cluster]'): executors not compared")
        return
    runs: dict[str, list[dict]] = {"processes": [], "ray": []}
    for repeat in range(repeats):  # alternated, so a change in the machine's load hits both
        for executor, done in runs.items():
            db = work / f"{folder.name}-{executor}-{repeat}.duckdb"
            done.append(ingest_once(folder, db, workers, executor))
            run = done[-1]
            print(
                f"{folder}: --executor {executor} --workers {workers}: {run['pages']} pages in "
                f"{run['duration']:.1f} s = {run['pages'] / run['duration']:.2f} pages/s "
                f"(wall {run['wall']:.1f} s with start-up)  [{run['load']}]"
            )
    duration = {name: statistics.median(run["duration"] for run in done) for name, done in runs.items()}
    wall = {name: statistics.median(run["wall"] for run in done) for name, done in runs.items()}
    processes, ray_run = runs["processes"][-1], runs["ray"][-1]
    documents, mentions, trends = (
        a == b for a, b in zip(processes["loaded"], ray_run["loaded"], strict=True)
    )
    print(
        f"{folder}: median of {repeats}: processes {processes['pages'] / duration['processes']:.2f} pages/s, "
        f"ray {ray_run['pages'] / duration['ray']:.2f} pages/s; overhead ray/processes "
        f"{duration['ray'] / duration['processes']:.2f}x (wall {wall['ray'] / wall['processes']:.2f}x); "
        f"equal: documents {documents} ({len(processes['loaded'][0])}), mentions {mentions} "
        f"({len(processes['loaded'][1])}), trends json {trends} ({len(processes['loaded'][2])} bytes), "
        f"quarantined {processes['quarantined'] == ray_run['quarantined']} ({len(processes['quarantined'])})"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--pages", type=int, default=6)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--folder", type=Path, action="append", help="repeat for several (default: both)")
    parser.add_argument("--repeats", type=int, default=1, help="ingests per executor and folder (median)")
    parser.add_argument("--skip-ocr", action="store_true")
    args = parser.parse_args()
    folders = args.folder or [ROOT / "corpus" / "sample", *([REAL_CORPUS] if REAL_CORPUS.is_dir() else [])]
    with tempfile.TemporaryDirectory() as tmp:
        if not args.skip_ocr:
            bench_ocr(args.pages, Path(tmp))
        for folder in folders:
            bench_executors(folder, args.workers, Path(tmp), args.repeats)


if __name__ == "__main__":
    main()
