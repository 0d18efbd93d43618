"""Train the shipped theme model on the labelled corpus (corpus/labelled) and write its report.

The real-report sentences are keyed to their source files; their text is re-derived from
the folders given with --sources (by default ../shared/corpus/real and ../shared/seeds);
training stops if a report is missing or more than --max-missing of the sentences are gone
(an extractor change moves some; they are counted in the report).
The test split is never read here: score it once with
`run_pipeline.py evaluate corpus/labelled/... --by genre` (see models/README.md).

Run:
    .venv/bin/python -m models.train_tagger
    .venv/bin/python -m models.train_tagger --train-only --out /tmp/val-model.joblib
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from pipeline.paths import DEFAULT_CLASSIFIER_PATH, LABELLED_CORPUS, SHARED_SOURCES
from pipeline.tag.labelled import corpus_rows, train_from_rows
from pipeline.tag.learned import save_model
from pipeline.tag.learned_training import TrainSettings
from pipeline.tag.taxonomy import load_taxonomy


def main(argv: list[str] | None = None) -> int:
    """Train, save and report; exit 2 when keyed sentences cannot be re-derived."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--corpus", type=Path, default=LABELLED_CORPUS)
    parser.add_argument("--sources", type=Path, nargs="*", default=list(SHARED_SOURCES))
    parser.add_argument("--out", type=Path, default=DEFAULT_CLASSIFIER_PATH)
    parser.add_argument("--report", type=Path, help="also write the training report as JSON")
    parser.add_argument(
        "--train-only", action="store_true", help="do not refit on train+val (for validation scores)"
    )
    parser.add_argument(
        "--max-missing",
        type=float,
        default=0.05,
        help="largest share of keyed sentences the extractor may no longer yield (default 0.05)",
    )
    args = parser.parse_args(argv)
    started = time.perf_counter()
    settings = TrainSettings(refit_on_val=not args.train_only)
    corpus = corpus_rows(args.corpus)
    trained, resolved = train_from_rows(corpus, args.sources, load_taxonomy(), settings)
    if resolved.missing_files or resolved.unresolved > args.max_missing * len(corpus):
        print(
            f"{resolved.unresolved} keyed sentences not re-derived; "
            f"missing files: {sorted(resolved.missing_files)}"
        )
        return 2
    size = save_model(trained.model, args.out)
    report = {**trained.report, "total_seconds": round(time.perf_counter() - started, 1), "size_bytes": size}
    print(json.dumps(report, indent=2))
    if args.report:
        args.report.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
