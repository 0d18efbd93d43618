"""Score the document-level decisions (`document_themes`) against the labelled reports.

The labels (corpus/labelled/documents.jsonl, datasheet documents.md) say for 37 reports whether
each theme is *discussed* and *prominent*. This script re-derives everything from ../shared: it
ingests the labelled reports into a fresh warehouse with the current extractor and tagger, reads
the view `document_themes` and prints
- how many label quotes are still found in the extracted text (the labels' offsets still hold);
- how many discussed labels have a counted mention of the theme in their quoted sentence;
- discussed and prominent F1 with the shipped settings (models/document_themes.toml) on the
  calibration split and on the held-out split, beside the plain rule "any counted mention";
- with --calibrate: the best settings on the calibration split only (the held-out split is
  never used to choose a parameter; copy a chosen setting into the TOML by hand).

Run:
    .venv/bin/python -m benchmarks.eval_documents
    .venv/bin/python -m benchmarks.eval_documents --calibrate
    .venv/bin/python -m benchmarks.eval_documents --rules-only     # the rules without the learned model
    .venv/bin/python -m benchmarks.eval_documents --db /tmp/labelled.duckdb   # reuse a warehouse
"""

from __future__ import annotations

import argparse
import itertools
import sys
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import duckdb

from benchmarks.document_labels import (
    SPLITS,
    QuoteFinder,
    Scores,
    labelled_pairs,
    read_labels,
    score,
    shared_available,
    source_path,
)
from pipeline.document_settings import DocumentSettings, load_document_settings
from pipeline.ingest.orchestrator import ingest
from pipeline.ingest.outcomes import IngestSettings
from pipeline.tag.switch import classifier_path
from warehouse.db import connect_write, run_query, store_document_settings

KEYS = ("discussed", "prominent")
DISCUSSED_GRID = {
    "min_sentences": (1, 2, 3),
    "off_scope_min_sentences": (1, 2, 3, 4, 5, 6),
    "scope_ratio": (2.0, 3.0, 5.0),
}
PROMINENT_GRID = {
    "prominent_key_sentences": (1, 2, 3, 99),
    "prominent_sentences": (2, 3, 4, 5, 6, 8, 10, 99),
    "prominent_paragraph_sentences": (2, 3, 4, 99),
}
SHOW_BEST = 5
Pairs = set[tuple[str, str]]


def build_warehouse(rows: Sequence[dict[str, Any]], db_path: Path, *, rules_only: bool = False) -> None:
    """Ingest every labelled report (linked into a scratch folder) into the warehouse at `db_path`.

    The tagging is what `ingest` does by default (the rules combined with the shipped learned
    model, or as $THEMES_CLASSIFIER says), or the rules alone with `rules_only`.
    """
    model = None if rules_only else classifier_path()
    with tempfile.TemporaryDirectory() as folder:
        for file in sorted({row["file"] for row in rows}):
            (Path(folder) / file).symlink_to(source_path(file))
        settings = IngestSettings(
            paths=(Path(folder),), db_path=db_path, workers=2, follow_symlinks=True, classifier_path=model
        )
        summary = ingest(settings)
    if summary.quarantined:
        raise SystemExit(f"{len(summary.quarantined)} labelled reports could not be read")


def decided_pairs(con: duckdb.DuckDBPyConnection, files: dict[str, str]) -> dict[str, Pairs]:
    """Return the (file, theme) pairs document_themes decides discussed, prominent and 'any mention'."""
    found: dict[str, Pairs] = {"discussed": set(), "prominent": set(), "any mention": set()}
    for row in run_query(con, "document_theme_decisions"):
        pair = (files[row["sha256"]], row["theme"])
        found["any mention"].add(pair)
        for key in KEYS:
            if row[key]:
                found[key].add(pair)
    return found


def split_scores(rows: Sequence[dict[str, Any]], found: dict[str, Pairs], key: str, split: str) -> Scores:
    """Return the scores of the `key` decisions on one split (`found[key]` or 'any mention')."""
    files = {row["file"] for row in rows if row["split"] == split}
    predicted = {pair for pair in found[key] if pair[0] in files}
    return score(predicted, labelled_pairs(rows, "prominent" if key == "prominent" else "discussed", split))


def quote_checks(con: duckdb.DuckDBPyConnection, rows: Sequence[dict[str, Any]]) -> tuple[int, int, int, int]:
    """Return (quotes found, quotes, discussed labels whose quote has a counted mention, labels)."""
    finders = {row["sha256"]: QuoteFinder(row["text"]) for row in run_query(con, "document_texts")}
    spans: dict[tuple[str, str], list[tuple[int, int]]] = {}
    for hit in run_query(con, "counted_sentence_spans"):
        spans.setdefault((hit["sha256"], hit["theme"]), []).append((hit["start_offset"], hit["end_offset"]))
    found = total = evidenced = discussed = 0
    for row in rows:
        located = [finders[row["sha256"]].find(ref) for ref in (*row["quotes"], *row["prominent_quotes"])]
        found, total = found + sum(place is not None for place in located), total + len(located)
        if row["discussed"] and row["quotes"]:
            discussed += 1
            quote = finders[row["sha256"]].find(row["quotes"][0])
            sentences = spans.get((row["sha256"], row["theme"]), [])
            evidenced += quote is not None and any(s < quote[1] and quote[0] < e for s, e in sentences)
    return found, total, evidenced, discussed


def settings_grid(base: DocumentSettings, grid: dict[str, Sequence[Any]]) -> Iterator[DocumentSettings]:
    """Yield `base` with every combination of the values in `grid`."""
    names = list(grid)
    for values in itertools.product(*(grid[name] for name in names)):
        yield replace(base, version="grid", **dict(zip(names, values, strict=True)))


def calibrate(
    con: duckdb.DuckDBPyConnection,
    rows: Sequence[dict[str, Any]],
    files: dict[str, str],
    base: DocumentSettings,
) -> None:
    """Print the best settings on the calibration split: discussed first, then prominence given it."""
    best = base
    for key, grid in (("discussed", DISCUSSED_GRID), ("prominent", PROMINENT_GRID)):
        scored = []
        for candidate in settings_grid(best, grid):
            store_document_settings(con, candidate)
            scored.append((split_scores(rows, decided_pairs(con, files), key, "calibration"), candidate))
        scored.sort(key=lambda pair: (-round(pair[0].f1, 6), _simplicity(pair[1], grid)))
        print(f"\nBest {key} settings on the calibration split (of {len(scored)}):")
        for scores, candidate in scored[:SHOW_BEST]:
            chosen = ", ".join(f"{name}={getattr(candidate, name)}" for name in grid)
            print(f"  {key} {scores}   {chosen}")
        best = scored[0][1]
    store_document_settings(con, base)


def _simplicity(settings: DocumentSettings, grid: dict[str, Sequence[Any]]) -> tuple[int, ...]:
    """Order ties by the grid's earliest values (the simplest rule: fewest sentences asked)."""
    return tuple(list(grid[name]).index(getattr(settings, name)) for name in grid)


def report(con: duckdb.DuckDBPyConnection, rows: Sequence[dict[str, Any]], files: dict[str, str]) -> None:
    """Print the quote checks and the scores of the stored settings on both splits."""
    found, total, evidenced, discussed = quote_checks(con, rows)
    print(f"label quotes found in the extracted text: {found} of {total}")
    print(f"discussed labels whose quote has a counted mention of the theme: {evidenced} of {discussed}")
    settings = run_query(con, "document_settings")[0]["version"]
    tagging = run_query(con, "active_taxonomy_version")
    print(f"settings {settings}, tagging {tagging[0]['version'] if tagging else '?'}")
    decided = decided_pairs(con, files)
    for split in SPLITS:
        reports = len({row["file"] for row in rows if row["split"] == split})
        print(f"\n{split} ({reports} reports)")
        for key in ("discussed", "prominent"):
            print(f"  {key:10s} {split_scores(rows, decided, key, split)}")
        print(
            f"  {'any counted mention as discussed':10s} {split_scores(rows, decided, 'any mention', split)}"
        )
        print(f"  {'any counted mention as prominent':10s} {_any_as_prominent(rows, decided, split)}")


def _any_as_prominent(rows: Sequence[dict[str, Any]], found: dict[str, Pairs], split: str) -> Scores:
    files = {row["file"] for row in rows if row["split"] == split}
    return score({p for p in found["any mention"] if p[0] in files}, labelled_pairs(rows, "prominent", split))


def main(argv: Sequence[str] | None = None) -> int:
    """Build (or reuse) the labelled warehouse, print the scores, optionally calibrate."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--db", type=Path, help="Warehouse of the labelled reports (built when missing).")
    parser.add_argument(
        "--calibrate", action="store_true", help="Search the settings on the calibration split."
    )
    parser.add_argument(
        "--rules-only", action="store_true", help="Tag with the rules alone (no learned model)."
    )
    args = parser.parse_args(argv)
    rows = read_labels()
    if not shared_available(rows):
        print("../shared (the labelled reports) is absent: nothing to score.", file=sys.stderr)
        return 0
    with tempfile.TemporaryDirectory() as scratch:
        db_path = args.db or Path(scratch) / "labelled.duckdb"
        if not db_path.exists():
            build_warehouse(rows, db_path, rules_only=args.rules_only)
        con = connect_write(db_path)
        try:
            files = {row["sha256"]: row["file"] for row in rows}
            report(con, rows, files)
            if args.calibrate:
                calibrate(con, rows, files, load_document_settings())
        finally:
            con.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
