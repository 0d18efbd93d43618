"""Theme shares on documents built from labelled sentences with planted yearly trends.

The board's numbers are shares of documents per theme and year. This benchmark builds
documents whose true shares are known (from the sentences' human labels), ingests them with
the real CLI into a fresh warehouse and compares ``trends --format json`` with the truth:
the mean absolute share error over theme x year cells, over every theme and over the themes
present, with the worst cells.

How the documents are built (fixed seed): a few themes get a planted trend (rising or
falling across the years); each document draws, for each planted theme, one sentence labelled
with it with that year's probability, then is filled to its length with sentences labelled with
no planted theme. A document has a theme, truly, when one of its sentences is labelled with it.

Use only sentences the model was not trained on: the shipped model is refitted on train +
validation, so score the validation split with a train-only model:

    .venv/bin/python -m models.train_tagger --train-only --out /tmp/lead-val.joblib
    .venv/bin/python -m benchmarks.planted_trends --split val --model /tmp/lead-val.joblib
    .venv/bin/python -m benchmarks.planted_trends --split val --model none     # rules alone
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from pipeline.paths import SHARED_SOURCES
from pipeline.tag.labelled import LabelledSentence, corpus_rows, resolve
from pipeline.tag.tagger import VersionedTagger
from pipeline.tag.taxonomy import load_taxonomy

ROOT = Path(__file__).resolve().parent.parent
YEARS = (2019, 2020, 2021, 2022, 2023)
LOW, HIGH = 0.1, 0.6


@dataclass(frozen=True)
class Plan:
    """What to build: documents per year, sentences per document, planted themes, seed."""

    documents_per_year: int
    sentences_per_document: int
    planted: int
    seed: int


def labelled_sentences(split: str) -> list[LabelledSentence]:
    """Return the corpus sentences of one split, keyed real ones re-derived from ../shared."""
    rows = [row for row in corpus_rows(ROOT / "corpus" / "labelled") if row.get("split") == split]
    resolved = resolve(rows, SHARED_SOURCES, VersionedTagger(load_taxonomy(), None))
    if resolved.missing_files:
        sys.exit(f"reports not found in {SHARED_SOURCES}: {sorted(resolved.missing_files)}")
    return resolved.sentences


def planted_themes(sentences: list[LabelledSentence], count: int) -> list[str]:
    """Return the `count` themes with the most labelled sentences (enough to plant a trend)."""
    support: dict[str, int] = defaultdict(int)
    for sentence in sentences:
        for theme in sentence.themes:
            support[theme] += 1
    return sorted(support, key=lambda theme: (-support[theme], theme))[:count]


def year_probability(theme_index: int, year_index: int) -> float:
    """Planted share: even-numbered themes rise from LOW to HIGH, odd ones fall."""
    step = (HIGH - LOW) * year_index / (len(YEARS) - 1)
    return LOW + step if theme_index % 2 == 0 else HIGH - step


def build_documents(
    sentences: list[LabelledSentence], plan: Plan
) -> list[tuple[int, list[LabelledSentence]]]:
    """Return (year, sentences) for every document of the plan."""
    rng = random.Random(plan.seed)
    planted = planted_themes(sentences, plan.planted)
    carriers = {theme: [s for s in sentences if theme in s.themes] for theme in planted}
    fillers = [s for s in sentences if not s.themes & set(planted)]
    documents = []
    for year_index, year in enumerate(YEARS):
        for _ in range(plan.documents_per_year):
            chosen = [
                rng.choice(carriers[theme])
                for index, theme in enumerate(planted)
                if rng.random() < year_probability(index, year_index)
            ]
            chosen += rng.sample(fillers, max(plan.sentences_per_document - len(chosen), 0))
            rng.shuffle(chosen)
            documents.append((year, chosen))
    return documents


def write_folder(documents: list[tuple[int, list[LabelledSentence]]], folder: Path) -> None:
    """Write each document as a text file (a sentence a paragraph) with a manifest of years."""
    folder.mkdir(parents=True)
    with (folder / "manifest.csv").open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["file", "title", "doc_type", "area", "year"])
        for number, (year, chosen) in enumerate(documents):
            name = f"review-{number:03d}.txt"
            (folder / name).write_text("\n\n".join(s.text for s in chosen) + "\n", encoding="utf-8")
            writer.writerow([name, f"Planted review {number}", "learning_review", "Planted", year])


def true_shares(documents: list[tuple[int, list[LabelledSentence]]]) -> dict[tuple[str, int], float]:
    """Share of each year's documents that hold a sentence labelled with each theme."""
    per_year: dict[int, int] = defaultdict(int)
    holding: dict[tuple[str, int], int] = defaultdict(int)
    for year, chosen in documents:
        per_year[year] += 1
        for theme in set().union(*(s.themes for s in chosen)):
            holding[(theme, year)] += 1
    return {cell: count / per_year[cell[1]] for cell, count in holding.items()}


def measured_shares(folder: Path, model: str) -> dict[tuple[str, int], float]:
    """Ingest the folder into a fresh warehouse with the real CLI and read trends' shares."""
    env = {**os.environ, "THEMES_CLASSIFIER": "0" if model == "none" else model}
    env.pop("THEMES_DB", None)
    database = folder.parent / "planted.duckdb"
    command = [sys.executable, str(ROOT / "run_pipeline.py"), "-q", "--db", str(database)]
    subprocess.run([*command, "ingest", str(folder)], check=True, env=env)
    output = subprocess.run(
        [*command, "trends", "--format", "json"], check=True, env=env, capture_output=True, text=True
    ).stdout
    return {(row["theme"], int(row["bucket"])): float(row["value"]) for row in json.loads(output)}


Shares = dict[tuple[str, int], float]


def share_errors(truth: Shares, measured: Shares, planted: list[str]) -> dict[str, float]:
    """Mean absolute share error over every theme's cells and over the planted themes' cells."""
    cells = [(theme, year) for theme in sorted({theme for theme, _ in measured}) for year in YEARS]
    error = {cell: abs(truth.get(cell, 0.0) - measured.get(cell, 0.0)) for cell in cells}
    return {
        "all themes": statistics.fmean(error.values()),
        "planted themes": statistics.fmean(error[cell] for cell in cells if cell[0] in planted),
    }


def print_worst(truth: Shares, measured: Shares, count: int = 10) -> None:
    """Print the cells furthest from the truth."""
    error = {cell: abs(truth.get(cell, 0.0) - value) for cell, value in measured.items()}
    print("  worst cells of the first round (theme, year: true -> measured):")
    for theme, year in sorted(error, key=lambda cell: -error[cell])[:count]:
        true, found = truth.get((theme, year), 0.0), measured[(theme, year)]
        print(f"    {theme:32} {year}: {true:.2f} -> {found:.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--split", default="val", help="labelled split to build documents from (never test)")
    parser.add_argument(
        "--model", default="/tmp/lead-val.joblib", help="model file, or 'none' for the rules alone"
    )
    parser.add_argument("--documents-per-year", type=int, default=12)
    parser.add_argument("--sentences", type=int, default=25, help="sentences per document")
    parser.add_argument("--planted", type=int, default=8, help="themes given a planted trend")
    parser.add_argument("--rounds", type=int, default=5, help="document sets, one seed each (median)")
    args = parser.parse_args()
    if args.split == "test":
        sys.exit("the test split is scored once, by the evaluation: build planted documents from val")
    sentences = labelled_sentences(args.split)
    planted = planted_themes(sentences, args.planted)
    print(
        f"{args.rounds} rounds of {len(YEARS) * args.documents_per_year} documents of {args.sentences} "
        f"sentences from {len(sentences)} {args.split} sentences; model {args.model}; planted: {planted}"
    )
    rounds = []
    for seed in range(1, args.rounds + 1):
        documents = build_documents(
            sentences, Plan(args.documents_per_year, args.sentences, args.planted, seed)
        )
        with tempfile.TemporaryDirectory() as work:
            write_folder(documents, Path(work) / "planted")
            measured = measured_shares(Path(work) / "planted", args.model)
        rounds.append(share_errors(true_shares(documents), measured, planted))
        if seed == 1:
            print_worst(true_shares(documents), measured)
    for name in rounds[0]:
        values = [round_[name] for round_ in rounds]
        print(
            f"  share error (MAE) over {name}: median {statistics.median(values):.3f} "
            f"(rounds {min(values):.3f}-{max(values):.3f})"
        )


if __name__ == "__main__":
    main()
