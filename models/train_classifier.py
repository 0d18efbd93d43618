"""Train the sentence theme classifier from a warehouse, and evaluate it honestly on a gold file.

The model learns from the warehouse's own sentences: weak labels (the themes the
rules counted) corrected by reviewed labels (``run_pipeline.py review``). It never
reads ../shared: ``--gold`` only *evaluates* the trained model on a labelled file;
``--kfold-gold`` trains throwaway models on k-1 folds of that file (plus the
warehouse's labels) and scores each on its held-out fold; ``--gold-by-source``
scores gold sentences taken from the warehouse's own documents with models that
never saw those documents (each fold of source files is left out of training).
``--sweep`` adds the same fold models' scores over a grid of add and veto thresholds.
The evaluations save nothing.

Examples (from the project root):
    python -m models.train_classifier --db /tmp/sample.duckdb   # writes models/theme-clf-v1.joblib
    python -m models.train_classifier --db /tmp/sample.duckdb --gold ../shared/eval/gold-dev.jsonl
    python -m models.train_classifier --db /tmp/sample.duckdb --kfold-gold ../shared/eval/gold-dev.jsonl
    python -m models.train_classifier --db /tmp/real.duckdb --gold-by-source ../shared/eval/gold-dev.jsonl
    python -m models.train_classifier --db /tmp/real.duckdb --sweep \
        --gold-by-source ../shared/eval/gold-dev.jsonl
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from sklearn.model_selection import GroupKFold, KFold

from pipeline.errors import UsageError
from pipeline.records import Mention
from pipeline.tag.classify import (
    DEFAULT_MODEL_PATH,
    CombineSettings,
    ThemeClassifier,
    apply_classifier,
    load_classifier,
)
from pipeline.tag.rules import ThemeTagger, themes_of
from pipeline.tag.taxonomy import load_taxonomy
from pipeline.tag.training import (
    RANDOM_STATE,
    REVIEWED_WEIGHT,
    TrainingSet,
    TrainSettings,
    train_and_save,
    train_classifier,
    train_on,
    training_set,
)
from warehouse.db import connect_read

DEFAULT_FOLDS = 5
BYTES_PER_MB = 1024 * 1024
SWEEP_ADD = (0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.99)
SWEEP_VETO = (0.005, 0.01, 0.02, 0.05, 0.1, 0.2)


def read_gold(path: Path) -> list[dict[str, Any]]:
    """Read a gold file: JSON lines {"id", "text", "themes"}."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def micro_scores(predicted: Sequence[set[str]], gold: Sequence[set[str]]) -> dict[str, float]:
    """Return micro precision, recall and F1 of predicted theme sets against gold ones."""
    tp = sum(len(p & g) for p, g in zip(predicted, gold, strict=True))
    fp = sum(len(p - g) for p, g in zip(predicted, gold, strict=True))
    fn = sum(len(g - p) for p, g in zip(predicted, gold, strict=True))
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"micro_p": round(precision, 3), "micro_r": round(recall, 3), "micro_f1": round(f1, 3)}


def tag_themes(
    tagger: ThemeTagger,
    texts: Sequence[str],
    classifier: ThemeClassifier | None,
    combine: CombineSettings,
) -> list[set[str]]:
    """Return each text's counted themes: rules alone, or rules combined with the classifier."""
    mentions = tagger.tag_texts(list(texts))
    if classifier is not None:
        mentions = apply_classifier(mentions, texts, classifier, combine)
    return [set(themes_of(m)) for m in mentions]


def evaluate_on_gold(
    classifier: ThemeClassifier, gold: list[dict[str, Any]], tagger: ThemeTagger, combine: CombineSettings
) -> dict[str, dict[str, float]]:
    """Score rules alone and rules + classifier on a gold file the classifier never saw."""
    texts = [row["text"] for row in gold]
    truth = [set(row["themes"]) for row in gold]
    return {
        "rules": micro_scores(tag_themes(tagger, texts, None, combine), truth),
        "combined": micro_scores(tag_themes(tagger, texts, classifier, combine), truth),
    }


def threshold_grid() -> list[CombineSettings]:
    """Each add threshold of ``SWEEP_ADD`` (or no adding) x each veto of ``SWEEP_VETO`` (or none)."""
    adding = [CombineSettings(veto=False, add_threshold=a, veto_threshold=0.0) for a in SWEEP_ADD]
    adding.append(CombineSettings(add=False, veto=False, add_threshold=1.0, veto_threshold=0.0))
    return [replace(a, veto=True, veto_threshold=v) for a in adding for v in SWEEP_VETO] + adding


def _sweep_row(combine: CombineSettings, scores: dict[str, float]) -> dict[str, Any]:
    return {
        "add_threshold": combine.add_threshold if combine.add else None,
        "veto_threshold": combine.veto_threshold if combine.veto else None,
        **scores,
    }


def best_row(rows: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """The sweep row with the highest F1 (then precision); on a tie, the one that changes least."""

    def rank(row: dict[str, Any]) -> tuple[float, float, bool, bool]:
        unchanged = row["add_threshold"] is None, row["veto_threshold"] is None
        return row["micro_f1"], row["micro_p"], *unchanged

    return max(rows, key=rank)


def _rules_vs_held_out(
    gold: list[dict[str, Any]],
    rule_mentions: list[list[Mention]],
    combine: CombineSettings,
    sweep: Sequence[CombineSettings],
    folds: Iterable[tuple[ThemeClassifier, Sequence[int]]],
) -> dict[str, Any]:
    """Score the rules, and the combination where each fold's model tags only its held-out gold rows.

    ``rule_mentions`` are the rules' mentions of each gold text, tagged once by the caller.
    With a ``sweep``, the same fold models are also scored at each of its settings;
    the best of them is chosen *after* seeing dev, so it is an upper bound, not a result.
    """
    texts = [row["text"] for row in gold]
    truth = [set(row["themes"]) for row in gold]
    settings_list = [combine, *sweep]
    predicted: list[list[set[str]]] = [[set() for _ in gold] for _ in settings_list]
    for model, held_out in folds:
        held_texts = [texts[i] for i in held_out]
        held_mentions = [rule_mentions[i] for i in held_out]
        for slot, settings in zip(predicted, settings_list, strict=True):
            combined = apply_classifier(held_mentions, held_texts, model, settings)
            for index, mentions in zip(held_out, combined, strict=True):
                slot[index] = set(themes_of(mentions))
    scores = [micro_scores(themes, truth) for themes in predicted]
    report: dict[str, Any] = {
        "rules": micro_scores([set(themes_of(m)) for m in rule_mentions], truth),
        "combined": scores[0],
    }
    if sweep:
        rows = [_sweep_row(s, sc) for s, sc in zip(sweep, scores[1:], strict=True)]
        report["sweep"] = rows
        report["best_after_the_fact"] = best_row(rows)
    return report


def kfold_on_gold(
    data: TrainingSet,
    gold: list[dict[str, Any]],
    tagger: ThemeTagger,
    *,
    settings: TrainSettings,
    combine: CombineSettings,
    sweep: Sequence[CombineSettings] = (),
    folds: int = DEFAULT_FOLDS,
) -> dict[str, Any]:
    """Score rules vs combined where each fold's model trains on the other folds plus the warehouse.

    Gold sentences of the training folds weigh like reviewed sentences; the held-out
    fold is never seen by the model that scores it.
    """
    texts = [row["text"] for row in gold]
    truth = [set(row["themes"]) for row in gold]
    rule_mentions = tagger.tag_texts(texts)
    rules = [set(themes_of(mentions)) for mentions in rule_mentions]

    def fold_models() -> Iterator[tuple[ThemeClassifier, Sequence[int]]]:
        splitter = KFold(folds, shuffle=True, random_state=RANDOM_STATE)
        for train, test in splitter.split(texts):
            model = train_classifier(
                data.texts + [texts[i] for i in train],
                data.labels + [truth[i] for i in train],
                sample_weights=data.weights + [REVIEWED_WEIGHT] * len(train),
                rule_labels=data.rule_labels + [rules[i] for i in train],
                settings=settings,
            )
            yield model, test

    return _rules_vs_held_out(gold, rule_mentions, combine, sweep, fold_models())


def source_folds(gold: list[dict[str, Any]], folds: int = DEFAULT_FOLDS) -> list[set[str]]:
    """Split the gold sentences' source file names into at most ``folds`` disjoint groups.

    Raises:
        UsageError: a gold row has no "source" (the file name of its document).
    """
    missing = [row.get("id", index) for index, row in enumerate(gold) if not row.get("source")]
    if missing:
        raise UsageError(f"Gold rows without a 'source' file name: {missing[:5]}")
    groups = [row["source"] for row in gold]
    splitter = GroupKFold(min(folds, len(set(groups))))
    return [{groups[i] for i in test} for _, test in splitter.split(groups, groups=groups)]


def evaluate_by_source(
    data: TrainingSet,
    gold: list[dict[str, Any]],
    tagger: ThemeTagger,
    *,
    settings: TrainSettings,
    combine: CombineSettings,
    sweep: Sequence[CombineSettings] = (),
    folds: int = DEFAULT_FOLDS,
) -> dict[str, Any]:
    """Score rules vs combined on gold sentences from the warehouse's own documents, leaving them out.

    Each fold's model trains on the warehouse's weak and reviewed labels of every
    document except the fold's source files, then scores the fold's gold sentences:
    how a partnership's own model does on reviews it has not yet ingested. The gold
    labels themselves are never trained on.
    """

    def fold_models() -> Iterator[tuple[ThemeClassifier, Sequence[int]]]:
        for held_out in source_folds(gold, folds):
            indexes = [i for i, row in enumerate(gold) if row["source"] in held_out]
            yield train_on(data.without_sources(held_out), settings), indexes

    rule_mentions = tagger.tag_texts([row["text"] for row in gold])
    return _rules_vs_held_out(gold, rule_mentions, combine, sweep, fold_models())


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--db", type=Path, required=True, help="warehouse to learn from")
    parser.add_argument("--out", type=Path, default=DEFAULT_MODEL_PATH, help="artifact to write")
    parser.add_argument("--gold", type=Path, help="evaluate the trained model on this labelled file")
    parser.add_argument("--kfold-gold", type=Path, help="k-fold evaluation over this file (saves nothing)")
    parser.add_argument(
        "--gold-by-source",
        type=Path,
        help="score this file's sentences (each with the 'source' file it came from) with models "
        "that never saw those files (saves nothing)",
    )
    parser.add_argument(
        "--sweep",
        action="store_true",
        help="with --kfold-gold or --gold-by-source, also score the same fold models at every "
        "add x veto threshold of a grid (the best is chosen after the fact: an upper bound)",
    )
    parser.add_argument("--taxonomy", type=Path, help="codebook folder (default: models/taxonomy)")
    parser.add_argument("--add-threshold", type=float, default=CombineSettings().add_threshold)
    parser.add_argument("--veto-threshold", type=float, default=CombineSettings().veto_threshold)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Train and save (default) and/or evaluate; print one JSON report on stdout."""
    parser = _parser()
    args = parser.parse_args(argv)
    if args.sweep and not (args.kfold_gold or args.gold_by_source):
        parser.error("--sweep needs --kfold-gold or --gold-by-source")
    sweep = threshold_grid() if args.sweep else []
    combine = CombineSettings(add_threshold=args.add_threshold, veto_threshold=args.veto_threshold)
    report: dict[str, Any] = {}
    if args.kfold_gold is None and args.gold_by_source is None:
        report["trained"] = train_and_save(args.db, args.out, TrainSettings())
    tagger = ThemeTagger(load_taxonomy(args.taxonomy))
    if args.gold:
        classifier = load_classifier(args.out)
        report["gold_trained_model"] = evaluate_on_gold(classifier, read_gold(args.gold), tagger, combine)
    if args.kfold_gold or args.gold_by_source:
        with connect_read(args.db) as con:
            data = training_set(con)
    if args.kfold_gold:
        report["gold_kfold"] = kfold_on_gold(
            data, read_gold(args.kfold_gold), tagger, settings=TrainSettings(), combine=combine, sweep=sweep
        )
    if args.gold_by_source:
        report["gold_by_source"] = evaluate_by_source(
            data,
            read_gold(args.gold_by_source),
            tagger,
            settings=TrainSettings(),
            combine=combine,
            sweep=sweep,
        )
    print(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
