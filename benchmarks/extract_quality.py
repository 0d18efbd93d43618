"""Extraction quality: against pdftotext on real reports, and against known reading order on generated pages.

Real reports (per report, so the worst one shows):
- word recall: the share of pdftotext's words (running heads and page numbers excluded)
  that our text also has (bench_extract.compare_document);
- broken words per 1,000: words our text prints that pdftotext never prints anywhere in
  the same report ("ove", "rall", "childr" when a box or a cell wall cuts a word);
- running header/footer lines left on our pages.
Generated pages (tests/pipeline/pdf_factory.py, layout_factory.py), reading-order adjacency:
the share of adjacent ground-truth line pairs that stay adjacent, on two-column pages in
both stream orders (with bullets and hyphenation), and on boxed, sidebar and pull-quote
pages in three stream orders (pairs inside each region and of the whole page).
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

from benchmarks.bench_extract import compare_document, reference_pages, words
from pipeline import errors
from pipeline.extract.document import extract_document
from tests.pipeline import layout_factory, pdf_factory

STREAMS = ("column", "row", "reverse")
LAYOUTS = {
    "boxed": layout_factory.boxed_pdf,
    "sidebar": layout_factory.sidebar_pdf,
    "pull quote": layout_factory.pull_quote_pdf,
}


@dataclass(frozen=True)
class ReportQuality:
    """Quality figures of one real report."""

    name: str
    recall: float
    broken_per_1000: float
    broken: tuple[str, ...]
    running_left: int


def has_pdftotext() -> bool:
    """Return whether poppler's pdftotext is installed (only the benchmark uses it)."""
    return shutil.which("pdftotext") is not None


def report_quality(path: Path) -> ReportQuality | None:
    """Return one report's quality against pdftotext, or None when it cannot be extracted."""
    try:
        text = extract_document(path).text
        left, _, recalled, reference = compare_document(path)
    except errors.ExtractionError:
        return None
    theirs = words("\n".join(reference_pages(path)))
    ours = words(text)
    broken = {word: count for word, count in ours.items() if word not in theirs}
    total = sum(ours.values())
    return ReportQuality(
        name=path.name,
        recall=recalled / reference if reference else 1.0,
        broken_per_1000=1000 * sum(broken.values()) / total if total else 0.0,
        broken=tuple(sorted(broken, key=lambda w: -broken[w])[:6]),
        running_left=left,
    )


def corpus_quality(corpus: Path) -> list[ReportQuality]:
    """Return the quality of every readable PDF in the folder."""
    results = (report_quality(path) for path in sorted(corpus.glob("*.pdf")))
    return [result for result in results if result is not None]


def two_column_adjacency(work: Path) -> dict[str, float]:
    """Return reading-order adjacency on two-column pages with bullets and hyphenation, per stream order."""
    scores = {}
    for stream in ("column", "row"):
        generated = layout_factory.two_column_bullets_pdf(work / f"two-{stream}.pdf", stream=stream)
        text = extract_document(generated.path).text
        scores[f"two columns, bullets, hyphens, {stream}-wise"] = pdf_factory.pair_accuracy(
            generated.lines, text
        )
        plain = pdf_factory.column_pdf(work / f"plain-{stream}.pdf", columns=2, stream=stream, pages=5)
        text = extract_document(plain.path).text
        scores[f"two columns, 5 pages, {stream}-wise"] = pdf_factory.pair_accuracy(plain.lines, text)
    return scores


def layout_adjacency(work: Path) -> dict[str, tuple[float, float, int]]:
    """Return (adjacency inside regions, adjacency of the whole page, '|' count) per layout and stream."""
    scores = {}
    for name, build in LAYOUTS.items():
        for stream in STREAMS:
            generated = build(work / f"{name.replace(' ', '-')}-{stream}.pdf", stream=stream)
            text = extract_document(generated.path).text
            scores[f"{name}, {stream} stream"] = (
                layout_factory.group_accuracy(generated.groups, text),
                pdf_factory.pair_accuracy(generated.lines, text),
                text.count("|"),
            )
    return scores


def print_corpus_quality(corpus: Path, *, recall_goal: float, broken_goal: float) -> None:
    """Print the per-report quality figures: the worst reports and how many meet the goals."""
    if not has_pdftotext():
        print("  quality vs pdftotext: skipped, pdftotext is not installed (apt-get install poppler-utils)")
        return
    results = corpus_quality(corpus)
    worst_recall = min(results, key=lambda r: r.recall)
    worst_broken = max(results, key=lambda r: r.broken_per_1000)
    print(f"  quality vs pdftotext over {len(results)} reports:")
    print(
        f"    word recall: worst {worst_recall.recall:.4f} ({worst_recall.name}); "
        f"{sum(r.recall >= recall_goal for r in results)}/{len(results)} reports >= {recall_goal}"
    )
    print(
        f"    broken words per 1,000: worst {worst_broken.broken_per_1000:.2f} ({worst_broken.name}); "
        f"{sum(r.broken_per_1000 <= broken_goal for r in results)}/{len(results)} reports <= {broken_goal}"
    )
    print(f"    running header/footer lines left: {sum(r.running_left for r in results)}")
    for result in sorted(results, key=lambda r: -r.broken_per_1000)[:5]:
        print(
            f"      {result.name[:50]:50} recall {result.recall:.4f}  broken/1k {result.broken_per_1000:.2f} "
            f"{', '.join(result.broken)}"
        )


def print_fixture_quality(work: Path, *, goal: float) -> None:
    """Print reading-order adjacency on the generated pages."""
    print(f"  reading-order adjacency on generated pages (goal {goal}):")
    for name, score in two_column_adjacency(work).items():
        print(f"    {name:44} {score:.4f}")
    for name, (inside, whole, pipes) in layout_adjacency(work).items():
        print(f"    {name:44} {whole:.4f}  (inside regions {inside:.4f}, '|' {pipes})")
