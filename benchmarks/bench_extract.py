"""Benchmark text extraction: speed, memory and quality, on real and generated PDFs.

Real corpus (../shared/corpus/real, skipped when absent):
- pages/s with 1 and with N worker processes (files spread over a process pool);
- running header/footer lines left: lines that pdftotext (or pdfium, when
  pdftotext is missing) shows at the top or bottom of 3+ pages, still present
  on a page of our output;
- word recall against pdftotext, running lines and page numbers excluded;
- doc_type and year inferred without the manifest, against MANIFEST.tsv.
Generated PDFs (known ground truth):
- reading order: adjacent ground-truth line pairs adjacent in the output,
  1/2/3 columns, drawn column by column and row by row;
- line-end hyphenations rejoined;
- peak RSS extracting a 300-page PDF, in a fresh process.

Run:
    .venv/bin/python -m benchmarks.bench_extract
    .venv/bin/python -m benchmarks.bench_extract --corpus ../shared/corpus/real --workers 2
"""

from __future__ import annotations

import argparse
import csv
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import unicodedata
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from pipeline import errors
from pipeline.extract.document import extract_document, extract_pages_text
from tests.pipeline import pdf_factory

DEFAULT_CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "real"
EDGE_LINES = 3
MIN_RUNNING_PAGES = 3
# A running head recurs on a good share of pages; headings that start a few pages, or repeated
# table headers, are content (inspect them with --show-candidates).
MIN_RUNNING_SHARE = 0.15
LARGE_PDF_PAGES = 300
# MANIFEST.tsv describes each report in words; these map the words onto our doc_type vocabulary.
KIND_RULES = (
    ("inspection", r"inspection|focused visit|jtai|send|ofsted"),
    ("evaluation", r"evaluation|research|project report"),
    ("other", r"guidance|framework"),
)


def _extract_pages(path: Path) -> int:
    try:
        return extract_document(path).pages
    except errors.ExtractionError:
        return 0


def measure_speed(files: list[Path], workers: int) -> tuple[int, float, float]:
    """Return (pages, wall seconds, CPU seconds) to extract every file with ``workers`` processes.

    CPU seconds (this process and its workers) tell the cost apart from waiting on a busy machine.
    """
    largest_first = sorted(files, key=lambda p: -p.stat().st_size)
    start, cpu_start = time.perf_counter(), _cpu_seconds()
    if workers == 1:
        pages = sum(_extract_pages(path) for path in largest_first)
    else:
        with ProcessPoolExecutor(workers) as pool:
            pages = sum(pool.map(_extract_pages, largest_first))
    return pages, time.perf_counter() - start, _cpu_seconds() - cpu_start


def _cpu_seconds() -> float:
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def reference_pages(path: Path) -> list[str]:
    """Return the per-page text of pdftotext, or of plain pdfium when pdftotext is not installed."""
    if shutil.which("pdftotext"):
        out = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=False)
        return out.stdout.decode("utf-8", "replace").split("\f")[:-1]
    import pypdfium2

    pdf = pypdfium2.PdfDocument(str(path))
    try:
        return [pdf[i].get_textpage().get_text_range() for i in range(len(pdf))]
    finally:
        pdf.close()


def _key(text: str) -> str:
    return re.sub(r"\d+", "#", " ".join(text.lower().split()))


def running_lines(pages: list[str]) -> set[str]:
    """Return the keys of lines at a page's top or bottom edge that recur on several pages."""
    counts: Counter[str] = Counter()
    for page in pages:
        lines = [line for line in page.splitlines() if line.strip()]
        counts.update({_key(line) for line in lines[:EDGE_LINES] + lines[-EDGE_LINES:]})
    needed = 2 if len(pages) <= 4 else max(MIN_RUNNING_PAGES, MIN_RUNNING_SHARE * len(pages))
    return {key for key, count in counts.items() if count >= needed and re.search(r"[a-z#]", key)}


def words(text: str) -> Counter[str]:
    """Count comparable words: NFKC, lower case, hyphens dropped (so 'multi-\\nagency' == 'multi-agency')."""
    text = unicodedata.normalize("NFKC", text).lower().replace("\u00ad", "")
    text = re.sub(r"-\s*\n\s*", "", text).replace("-", "")
    return Counter(w for w in re.findall(r"[^\W_]+", text) if not w.isdigit())


def compare_document(path: Path) -> tuple[int, int, int, int]:
    """Return (running lines left, running lines seen, words recalled, reference words) for one PDF."""
    reference = reference_pages(path)
    ours = dict(extract_pages_text(extract_document(path)))
    keys = running_lines(reference)
    left = seen = 0
    ref_words: Counter[str] = Counter()
    for number, page in enumerate(reference, start=1):
        our_page = _key(ours.get(number, "").replace("\n", " "))
        for line in page.splitlines():
            if _key(line) in keys:
                seen += 1
                left += len(_key(line)) > 3 and _key(line) in our_page
            else:
                ref_words.update(words(line + "\n"))
    got = words("\n".join(ours.values()))
    recalled = sum(min(count, got[word]) for word, count in ref_words.items())
    return left, seen, recalled, sum(ref_words.values())


def expected_kind(description: str) -> str:
    """Map a MANIFEST.tsv document_kind description onto a doc_type."""
    lowered = description.lower()
    for doc_type, pattern in KIND_RULES:
        if re.search(pattern, lowered):
            return doc_type
    return "other"


def metadata_accuracy(corpus: Path) -> tuple[int, int, int, list[str]]:
    """Return (doc_type right, year right, documents read, misses) against the manifest."""
    type_ok = year_ok = total = 0
    misses = []
    with (corpus / "MANIFEST.tsv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            try:
                meta = extract_document(corpus / row["filename"]).metadata
            except errors.ExtractionError:
                continue
            total += 1
            want = expected_kind(row["document_kind"])
            type_ok += meta.doc_type == want
            year_ok += str(meta.year) == row["year"]
            if meta.doc_type != want or str(meta.year) != row["year"]:
                misses.append(f"{row['filename']}: {meta.doc_type}/{meta.year} want {want}/{row['year']}")
    return type_ok, year_ok, total, misses


def reading_order_and_hyphens(work: Path) -> tuple[dict[str, float], int, int]:
    """Return pair accuracy per layout and (hyphenations rejoined, hyphenations) on generated PDFs."""
    accuracy: dict[str, float] = {}
    rejoined = total = 0
    for columns in (1, 2, 3):
        for stream in ("column", "row"):
            generated = pdf_factory.column_pdf(
                work / f"c{columns}{stream}.pdf", columns=columns, stream=stream, pages=5, title="Findings"
            )
            text = extract_document(generated.path).text
            accuracy[f"{columns} col, {stream}-wise"] = pdf_factory.pair_accuracy(generated.lines, text)
            present = set(re.findall(r"[\w-]+", text))
            rejoined += sum(word in present for word in generated.hyphenated)
            total += len(generated.hyphenated)
    return accuracy, rejoined, total


def running_heads_and_glyphs(work: Path) -> tuple[int, int, bool, int, int]:
    """Return (running lines left, pages, ligatures expanded, table rows recovered, table rows)."""
    generated = pdf_factory.column_pdf(work / "running.pdf", pages=10)
    pages = extract_pages_text(extract_document(generated.path))
    left = sum(pdf_factory.HEADER in text or f"Page {n} of 10" in text for n, text in pages)
    ligatures = pdf_factory.lines_pdf(
        work / "lig.pdf", [["The \ufb01rst of\ufb01ce \ufb02oor"]], font="DejaVu"
    )
    expanded = extract_document(ligatures.path).text == "The first office floor"
    rows = [("Recommendation", "What have we done")] + [
        (f"Action {n} on neglect", f"Done in {2020 + n}") for n in range(8)
    ]
    table = extract_document(pdf_factory.table_pdf(work / "table.pdf", rows).path)
    found = {block.text for block in table.blocks if block.kind == "table"}
    return left, len(pages), expanded, sum(" | ".join(row) in found for row in rows), len(rows)


def sample_corpus_order(work: Path) -> float | None:
    """Return pair accuracy over the bundled sample corpus's reading-order truth, if its generator exists."""
    try:
        from corpus.generate import generate
    except ImportError:
        return None
    generate(work / "sample")
    hits = pairs = 0.0
    for pdf in sorted((work / "sample").glob("*.pdf")):
        truth = (work / "sample" / "truth" / f"{pdf.stem}.lines").read_text(encoding="utf-8")
        lines = [line for line in truth.splitlines() if line.strip() and line != "\f"]
        hits += pdf_factory.pair_accuracy(lines, extract_document(pdf).text) * (len(lines) - 1)
        pairs += len(lines) - 1
    return hits / pairs


def peak_rss_mb(path: Path) -> float:
    """Extract one file in a fresh process and return its peak resident memory in MB.

    Reads VmHWM, not ru_maxrss: ru_maxrss survives exec, so a child forked from a
    large parent (a long pytest run) would report the parent's size.
    """
    code = (
        "import re, sys; from pathlib import Path; from pipeline.extract.document import extract_document; "
        "doc = extract_document(Path(sys.argv[1])); "
        "status = Path('/proc/self/status').read_text(); "
        "print(doc.pages, re.search(r'VmHWM:\\s+(\\d+) kB', status).group(1))"
    )
    out = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True, text=True, check=True)
    pages, kilobytes = out.stdout.split()
    return int(kilobytes) / 1024


def bench_real(corpus: Path, workers: int) -> None:
    """Print speed and quality figures over the real corpus."""
    files = sorted(corpus.glob("*.pdf"))
    print(f"real corpus: {len(files)} files; load average before: {os.getloadavg()[0]:.1f}")
    for count in (1, workers):
        pages, seconds, cpu = measure_speed(files, count)
        print(
            f"  {count} process(es): {pages} pages, {pages / seconds:6.1f} pages/s wall ({seconds:.1f} s), "
            f"{pages / cpu:6.1f} pages per CPU-second"
        )
    left = seen = recalled = reference = 0
    for path in files:
        try:
            results = compare_document(path)
        except errors.ExtractionError:
            continue
        left, seen = left + results[0], seen + results[1]
        recalled, reference = recalled + results[2], reference + results[3]
    tool = "pdftotext" if shutil.which("pdftotext") else "pdfium (pdftotext not installed)"
    print(f"  running header/footer lines left: {left} of {seen} that {tool} shows on page edges")
    print(f"  word recall vs {tool}: {recalled / reference:.4f} ({recalled}/{reference})")
    type_ok, year_ok, total, misses = metadata_accuracy(corpus)
    print(
        f"  doc_type right {type_ok}/{total} = {type_ok / total:.3f}; year right {year_ok}/{total} = "
        f"{year_ok / total:.3f} (no manifest; unreadable files not counted)"
    )
    for miss in misses:
        print(f"    miss: {miss}")


def bench_generated() -> None:
    """Print reading order, hyphenation and memory figures on generated PDFs."""
    with tempfile.TemporaryDirectory() as work:
        accuracy, rejoined, total = reading_order_and_hyphens(Path(work))
        for layout, value in accuracy.items():
            print(f"  reading order, {layout}: {value:.4f} of adjacent line pairs kept")
        print(f"  line-end hyphenations rejoined: {rejoined}/{total} = {rejoined / total:.4f}")
        left, pages, expanded, rows_found, rows = running_heads_and_glyphs(Path(work))
        print(
            f"  running header/footer left on {left} of {pages} pages; ligatures expanded: {expanded}; "
            f"ruled table rows recovered: {rows_found}/{rows}"
        )
        sample = sample_corpus_order(Path(work))
        if sample is not None:
            print(f"  reading order on corpus/sample truth (1-3 columns, tables last in truth): {sample:.4f}")
        large = pdf_factory.column_pdf(Path(work) / "large.pdf", pages=LARGE_PDF_PAGES, columns=2).path
        start = time.perf_counter()
        rss = peak_rss_mb(large)
        print(
            f"  {LARGE_PDF_PAGES}-page PDF: peak RSS {rss:.0f} MB, {time.perf_counter() - start:.1f} s "
            "including interpreter start"
        )


def main() -> None:
    """Run the benchmark and print its figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    print("generated PDFs:")
    bench_generated()
    if args.corpus.is_dir():
        bench_real(args.corpus, args.workers)
    else:
        print(f"real corpus not found at {args.corpus}: skipped")


if __name__ == "__main__":
    main()
