"""Benchmark the classifier: inference sentences per CPU-second, load time and artifact size.

The sentences are the seed documents of ../shared/seeds split into sentences and
repeated to the target count (the text is only read to time inference; no model
is trained on it). The model is the shipped ``models/theme-clf-v1.joblib`` unless
``--model`` names another artifact.

Run:
    .venv/bin/python -m benchmarks.bench_classify
    .venv/bin/python -m benchmarks.bench_classify --sentences 50000 --model /tmp/clf.joblib
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from pipeline.tag.classify import DEFAULT_MODEL_PATH, CombineSettings, apply_classifier, load_classifier

DEFAULT_SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"
DEFAULT_SENTENCES = 20_000
BATCH = 1_000
BYTES_PER_MB = 1024 * 1024


def load_sentences(seeds: Path, count: int) -> list[str]:
    """Return seed sentences (split on full stops), repeated until there are ``count``."""
    pieces = []
    for path in sorted(seeds.glob("*.txt")):
        text = " ".join(path.read_text(encoding="utf-8").split())
        pieces += [piece.strip() + "." for piece in text.split(". ") if len(piece.split()) > 3]
    if not pieces:
        raise SystemExit(f"no seed text found in {seeds}")
    return (pieces * (count // len(pieces) + 1))[:count]


def main() -> None:
    """Print load time, artifact size and inference throughput (probabilities and combination)."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--model", type=Path, default=DEFAULT_MODEL_PATH)
    parser.add_argument("--seeds", type=Path, default=DEFAULT_SEEDS)
    parser.add_argument("--sentences", type=int, default=DEFAULT_SENTENCES)
    args = parser.parse_args()
    started = time.process_time()
    classifier = load_classifier(args.model)
    loaded = time.process_time() - started
    sentences = load_sentences(args.seeds, args.sentences)
    started = time.process_time()
    for first in range(0, len(sentences), BATCH):
        classifier.predict_proba(sentences[first : first + BATCH])
    scored = time.process_time() - started
    started = time.process_time()
    apply_classifier([[] for _ in sentences], sentences, classifier, CombineSettings())
    combined = time.process_time() - started
    size = args.model.stat().st_size / BYTES_PER_MB
    themes = len(classifier.themes)
    print(f"model {classifier.name}: {size:.2f} MB, {themes} themes, loaded in {loaded:.2f} s")
    print(f"probabilities: {len(sentences) / scored:,.0f} sentences per CPU-second")
    print(f"apply_classifier (split + combine): {len(sentences) / combined:,.0f} sentences per CPU-second")


if __name__ == "__main__":
    main()
