"""Benchmark theme tagging throughput (words per CPU-second, one core).

The text is the two seed documents of ../shared/seeds (a partnership annual
report and an independent review), split into paragraphs and repeated until
the target word count is reached, so the vocabulary and sentence lengths are
those of real safeguarding reports. Both entry points are measured:
``VersionedTagger.tag_texts`` (one string per paragraph, as ``tag --jsonl`` uses it)
and ``VersionedTagger.tag_document`` (blocks of an ExtractedDocument, as ingest uses it).
The target is >= 50,000 words per CPU-second.

Run:
    .venv/bin/python -m benchmarks.bench_tag
    .venv/bin/python -m benchmarks.bench_tag --words 500000 --repeat 3
"""

from __future__ import annotations

import argparse
import re
import statistics
import time
from pathlib import Path

from pipeline.records import Block, DocumentMetadata, ExtractedDocument
from pipeline.tag.switch import classifier_path
from pipeline.tag.tagger import VersionedTagger
from pipeline.tag.taxonomy import load_taxonomy

DEFAULT_SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"
DEFAULT_WORDS = 200_000
DEFAULT_REPEAT = 3
TARGET_WORDS_PER_SECOND = 50_000
BLOCKS_PER_DOCUMENT = 400
PARAGRAPH_BREAK = re.compile(r"\n\s*\n")


def load_paragraphs(seeds: Path, words: int) -> list[str]:
    """Return seed paragraphs (whitespace collapsed), repeated until they hold ``words`` words."""
    paragraphs = []
    for path in sorted(seeds.glob("*.txt")):
        for chunk in PARAGRAPH_BREAK.split(path.read_text(encoding="utf-8")):
            text = " ".join(chunk.split())
            if text:
                paragraphs.append(text)
    if not paragraphs:
        raise SystemExit(f"no seed text found in {seeds}")
    corpus: list[str] = []
    total = 0
    while total < words:
        for paragraph in paragraphs:
            corpus.append(paragraph)
            total += len(paragraph.split())
    return corpus


def as_documents(paragraphs: list[str]) -> list[ExtractedDocument]:
    """Group paragraphs into documents of BLOCKS_PER_DOCUMENT blocks each."""
    documents = []
    for first in range(0, len(paragraphs), BLOCKS_PER_DOCUMENT):
        blocks = [
            Block(page=1 + i // 10, text=text)
            for i, text in enumerate(paragraphs[first : first + BLOCKS_PER_DOCUMENT])
        ]
        documents.append(
            ExtractedDocument(
                path=Path(f"bench-{first}.txt"),
                sha256="0" * 64,
                metadata=DocumentMetadata("bench"),
                pages=blocks[-1].page,
                blocks=blocks,
            )
        )
    return documents


def cpu_seconds(function, *args) -> tuple[float, object]:
    """Return (CPU seconds of this process, result) for one call."""
    start = time.process_time()
    result = function(*args)
    return time.process_time() - start, result


def measure(tagger: VersionedTagger, paragraphs: list[str], repeat: int) -> dict[str, float]:
    """Return the median words per CPU-second of tag_texts and tag_document, and the mention count."""
    words = sum(len(text.split()) for text in paragraphs)
    documents = as_documents(paragraphs)
    text_runs, doc_runs, mentions = [], [], 0
    for _ in range(repeat):
        seconds, results = cpu_seconds(tagger.tag_texts, paragraphs)
        text_runs.append(words / seconds)
        mentions = sum(len(result) for result in results)
        seconds, _ = cpu_seconds(lambda docs: [tagger.tag_document(doc) for doc in docs], documents)
        doc_runs.append(words / seconds)
    return {
        "words": words,
        "mentions": mentions,
        "tag_texts_wps": statistics.median(text_runs),
        "tag_document_wps": statistics.median(doc_runs),
    }


def main() -> None:
    """Parse arguments, run the benchmark and print one line per measure."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--seeds", type=Path, default=DEFAULT_SEEDS)
    parser.add_argument("--words", type=int, default=DEFAULT_WORDS)
    parser.add_argument("--repeat", type=int, default=DEFAULT_REPEAT)
    args = parser.parse_args()

    paragraphs = load_paragraphs(args.seeds, args.words)
    for label, model_path in (("default", classifier_path()), ("rules only", None)):
        start = time.process_time()
        tagger = VersionedTagger(load_taxonomy(), model_path)
        built = time.process_time() - start
        print(f"{label}: tagging {tagger.version}, built in {built:.2f} s")
        result = measure(tagger, paragraphs, args.repeat)
        print(f"  words={result['words']:,} mentions={result['mentions']:,}")
        for key in ("tag_texts_wps", "tag_document_wps"):
            verdict = "ok" if result[key] >= TARGET_WORDS_PER_SECOND else "BELOW TARGET"
            rate = f"{result[key]:,.0f} words per CPU-second"
            print(f"  {key}={rate} ({verdict}, target {TARGET_WORDS_PER_SECOND:,})")


if __name__ == "__main__":
    main()
