"""OCR pages/s per core, and ingest pages/s with worker processes vs the local Ray executor.

    .venv/bin/python benchmarks/bench_ocr_executors.py [--pages 6] [--folder corpus/sample] [--workers 2]

OCR: generated two-column scans (150 dpi, noise, 0.6 degree skew) read one page at a time in this
process (Tesseract runs single-threaded), so pages/s is per core. Executors: the same folder ingested
into two fresh warehouses, `--workers N` and `--executor ray --workers N` (skipped without Ray).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline.extract.document import ExtractSettings, extract_document  # noqa: E402
from pipeline.extract.ocr import tesseract_version  # noqa: E402
from pipeline.ingest.orchestrator import ingest  # noqa: E402
from pipeline.ingest.outcomes import IngestSettings  # noqa: E402
from tests.pipeline.pdf_factory import column_pdf  # noqa: E402
from tests.pipeline.scan_factory import scanned_copy  # noqa: E402


def bench_ocr(pages: int, work: Path) -> None:
    if tesseract_version() is None:
        print("OCR: Tesseract not installed, skipped")
        return
    digital = column_pdf(work / "digital.pdf", pages=pages)
    scan = scanned_copy(digital.path, work / "scan.pdf")
    started = time.perf_counter()
    doc = extract_document(scan, settings=ExtractSettings(ocr=True))
    elapsed = time.perf_counter() - started
    print(
        f"OCR: {len(doc.ocr_pages)} pages in {elapsed:.1f} s = "
        f"{len(doc.ocr_pages) / elapsed:.2f} pages/s per core"
    )


def bench_executors(folder: Path, workers: int, work: Path) -> None:
    executors = ["processes"]
    try:
        import ray  # noqa: F401

        executors.append("ray")
    except ImportError:
        print("Ray not installed (pip install -e '.[cluster]'): ray executor skipped")
    for executor in executors:
        settings = IngestSettings(
            paths=(folder,), db_path=work / f"{executor}.duckdb", workers=workers, executor=executor
        )
        summary = ingest(settings)
        print(
            f"ingest --executor {executor} --workers {workers}: {summary.pages} pages in "
            f"{summary.duration_s:.1f} s = {summary.pages / summary.duration_s:.2f} pages/s"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--pages", type=int, default=6)
    parser.add_argument("--folder", type=Path, default=ROOT / "corpus" / "sample")
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        bench_ocr(args.pages, Path(tmp))
        bench_executors(args.folder, args.workers, Path(tmp))


if __name__ == "__main__":
    main()
