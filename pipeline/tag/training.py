"""Train the sentence theme classifier from a warehouse's weak labels (rule hits) and reviewed labels.

See `pipeline.tag.classify` for the model and how it is combined with the rules."""

from __future__ import annotations

import time
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold
from sklearn.pipeline import FeatureUnion

from pipeline.errors import UsageError
from pipeline.tag.classify import MODEL_NAME, ThemeClassifier, save_classifier
from warehouse.db import connect_read, run_query

RANDOM_STATE = 42


PLATT_C = 1.0


MAX_ITER = 5000  # liblinear's default 1000 stops short on the larger weakly labelled corpora


MIN_SENTENCE_CHARS = 20  # shorter units are headings, numbers and fragments


BYTES_PER_MB = 1024 * 1024
REVIEWED_WEIGHT = 3.0  # a reviewed sentence counts as this many weakly labelled ones


@dataclass(frozen=True)
class TrainSettings:
    """Tunables of the features and per-theme models.

    Attributes:
        word_max_features: vocabulary size of the word 1-2-gram TF-IDF.
        char_max_features: vocabulary size of the character 2-5-gram TF-IDF.
        min_df: minimum number of sentences an n-gram must occur in.
        min_positives: themes with fewer positive sentences get no model.
        c: inverse regularisation strength of the logistic regressions.
        calibration_folds: folds for the out-of-fold scores Platt scaling is fitted on.
        min_rejections: a theme's rule hits may be vetoed only when at least this many
            training sentences had a rule hit of it that the labels reject (weak labels
            alone never disagree with the rules, so they cannot teach a veto).
        random_state: seed of every random choice (folds, solvers).
    """

    word_max_features: int = 6000
    char_max_features: int = 10000
    min_df: int = 2
    min_positives: int = 5
    c: float = 4.0
    calibration_folds: int = 3
    min_rejections: int = 3
    random_state: int = RANDOM_STATE

    def __post_init__(self) -> None:
        """Refuse settings that cannot train."""
        if self.min_positives < self.calibration_folds:
            raise ValueError("min_positives must be at least calibration_folds")
        if self.c <= 0:
            raise ValueError("c must be positive")


@dataclass
class TrainingSet:
    """Sentences with their labels and weights, as read from a warehouse.

    ``sources`` holds the file name of each sentence's document, so an evaluation can
    leave whole documents out (see ``without_sources``).
    """

    texts: list[str]
    labels: list[set[str]]
    rule_labels: list[set[str]]
    weights: list[float]
    documents: int
    reviewed: int
    sources: list[str] = field(default_factory=list)

    def without_sources(self, names: Collection[str]) -> TrainingSet:
        """Return the sentences whose document file name is not in ``names``."""
        keep = [i for i, source in enumerate(self.sources) if source not in names]
        return TrainingSet(
            texts=[self.texts[i] for i in keep],
            labels=[self.labels[i] for i in keep],
            rule_labels=[self.rule_labels[i] for i in keep],
            weights=[self.weights[i] for i in keep],
            documents=len({self.sources[i] for i in keep}),
            reviewed=sum(1 for i in keep if self.weights[i] != 1.0),
            sources=[self.sources[i] for i in keep],
        )

    def summary(self) -> dict[str, int]:
        """Return the counts reported with a trained model."""
        positives = sum(1 for labels in self.labels if labels)
        return {
            "documents": self.documents,
            "sentences": len(self.texts),
            "sentences_with_themes": positives,
            "reviewed_sentences": self.reviewed,
        }


def _apply_decisions(labels: set[str], decisions: dict[str, str]) -> set[str]:
    """Return weak labels corrected by review decisions (reject removes, accept and add keep or add)."""
    rejected = {theme for theme, decision in decisions.items() if decision == "reject"}
    return (labels | set(decisions)) - rejected


def training_set(
    con: duckdb.DuckDBPyConnection,
    *,
    reviewed_weight: float = REVIEWED_WEIGHT,
    min_chars: int = MIN_SENTENCE_CHARS,
) -> TrainingSet:
    """Read the warehouse's sentences with weak labels (counted rule hits) corrected by reviews.

    Args:
        con: a warehouse connection (read-only is enough).
        reviewed_weight: sample weight of a sentence with any review decision.
        min_chars: shorter sentences are skipped.
    """
    decisions = reviewed_labels(con)
    texts, labels, rule_labels, weights, sources, documents = [], [], [], [], [], set()
    for row in run_query(con, "train_sentences", min_chars=min_chars):
        key = (row["sha256"], row["unit_no"])
        reviewed = decisions.get(key)
        texts.append(row["text"])
        rule_labels.append(set(row["rule_themes"]))
        labels.append(_apply_decisions(rule_labels[-1], reviewed or {}))
        weights.append(reviewed_weight if reviewed else 1.0)
        sources.append(Path(row["path"]).name)
        documents.add(row["sha256"])
    reviewed_count = sum(1 for weight in weights if weight != 1.0)
    return TrainingSet(texts, labels, rule_labels, weights, len(documents), reviewed_count, sources)


def build_features(settings: TrainSettings) -> FeatureUnion:
    """Return the unfitted TF-IDF union: word 1-2-grams and character 2-5-grams within words."""
    common = {"min_df": settings.min_df, "sublinear_tf": True, "dtype": np.float32, "lowercase": True}
    return FeatureUnion(
        [
            ("word", TfidfVectorizer(ngram_range=(1, 2), max_features=settings.word_max_features, **common)),
            (
                "char",
                TfidfVectorizer(
                    analyzer="char_wb", ngram_range=(2, 5), max_features=settings.char_max_features, **common
                ),
            ),
        ]
    )


def _linear_model(settings: TrainSettings) -> LogisticRegression:
    # The dual liblinear solver is ~15x faster here: far more n-gram features than positives.
    return LogisticRegression(
        C=settings.c,
        class_weight="balanced",
        solver="liblinear",
        dual=True,
        max_iter=MAX_ITER,
        random_state=settings.random_state,
    )


def _platt_targets(y: np.ndarray) -> np.ndarray:
    """Return Platt's smoothed targets: (N+ + 1) / (N+ + 2) for positives, 1 / (N- + 2) for negatives.

    Hard 0/1 targets make the sigmoid overconfident when the out-of-fold scores separate
    a handful of positives perfectly; the smoothed targets keep probabilities below 1.
    """
    positives = int(y.sum())
    return np.where(y == 1, (positives + 1) / (positives + 2), 1 / (len(y) - positives + 2))


def _platt(
    matrix: sparse.csr_matrix, y: np.ndarray, weights: np.ndarray, settings: TrainSettings
) -> tuple[float, float]:
    """Fit the calibration sigmoid on out-of-fold decision scores; return (slope, intercept).

    Soft targets are fitted exactly as each score twice, as a positive weighted by its
    target and as a negative weighted by one minus it.
    """
    folds = StratifiedKFold(settings.calibration_folds, shuffle=True, random_state=settings.random_state)
    scores = np.zeros(len(y))
    for train, test in folds.split(matrix, y):
        model = _linear_model(settings).fit(matrix[train], y[train], sample_weight=weights[train])
        scores[test] = model.decision_function(matrix[test])
    targets = _platt_targets(y)
    doubled = np.concatenate([scores, scores]).reshape(-1, 1)
    labels = np.concatenate([np.ones(len(y)), np.zeros(len(y))])
    calibrator = LogisticRegression(C=PLATT_C, random_state=settings.random_state)
    doubled_weights = np.concatenate([weights * targets, weights * (1 - targets)])
    calibrator.fit(doubled, labels, sample_weight=doubled_weights)
    return float(calibrator.coef_[0, 0]), float(calibrator.intercept_[0])


def trainable_themes(labels: Sequence[set[str]], settings: TrainSettings) -> list[str]:
    """Return the themes with enough positive and negative sentences to train on, sorted."""
    counts: dict[str, int] = {}
    for themes in labels:
        for theme in themes:
            counts[theme] = counts.get(theme, 0) + 1
    enough = settings.min_positives
    return sorted(t for t, n in counts.items() if n >= enough and len(labels) - n >= enough)


def _veto_themes(
    themes: Sequence[str],
    labels: Sequence[set[str]],
    rule_labels: Sequence[set[str]],
    settings: TrainSettings,
) -> tuple[str, ...]:
    """Return the modelled themes with enough rule hits that the labels reject."""
    rejected: dict[str, int] = {}
    for truth, rules in zip(labels, rule_labels, strict=True):
        for theme in rules - truth:
            rejected[theme] = rejected.get(theme, 0) + 1
    return tuple(t for t in themes if rejected.get(t, 0) >= settings.min_rejections)


def _fit_themes(
    matrix: sparse.csr_matrix,
    themes: Sequence[str],
    labels: Sequence[set[str]],
    weights: np.ndarray,
    settings: TrainSettings,
) -> tuple[list[np.ndarray], list[float], list[tuple[float, float]]]:
    """Fit one linear model and its calibration per theme; return (weight columns, intercepts, platt)."""
    columns, intercepts, platt = [], [], []
    for theme in themes:
        y = np.array([theme in themes_ for themes_ in labels], dtype=int)
        model = _linear_model(settings).fit(matrix, y, sample_weight=weights)
        columns.append(model.coef_[0].astype(np.float32))
        intercepts.append(model.intercept_[0])
        platt.append(_platt(matrix, y, weights, settings))
    return columns, intercepts, platt


def _training_record(
    matrix: sparse.csr_matrix,
    themes: Sequence[str],
    labels: Sequence[set[str]],
    veto_themes: Sequence[str],
    settings: TrainSettings,
    started: float,
) -> dict[str, Any]:
    """Return what a model was trained on, for the model card."""
    return {
        "sentences": matrix.shape[0],
        "features": matrix.shape[1],
        "positives": {t: int(sum(t in s for s in labels)) for t in themes},
        "veto_themes": list(veto_themes),
        "settings": settings.__dict__,
        "seconds": round(time.perf_counter() - started, 2),
    }


def train_classifier(
    texts: Sequence[str],
    labels: Sequence[set[str]],
    *,
    sample_weights: Sequence[float] | None = None,
    rule_labels: Sequence[set[str]] | None = None,
    settings: TrainSettings | None = None,
    name: str = MODEL_NAME,
) -> ThemeClassifier:
    """Fit features and one calibrated linear model per trainable theme.

    Args:
        texts: training sentences.
        labels: the theme ids of each sentence (an empty set is a negative for every theme).
        sample_weights: per-sentence weights (reviewed sentences weigh more); default 1.
        rule_labels: the themes the rules counted in each sentence, to find the themes
            whose rule hits the labels reject (default: the labels, so no vetoes).
        settings: feature and model tunables.
        name: the artifact name stored in the model.

    Returns:
        The trained classifier; ``training`` records sizes, counts and seconds.

    Raises:
        UsageError: no theme has enough positive sentences.
    """
    settings = settings or TrainSettings()
    started = time.perf_counter()
    themes = trainable_themes(labels, settings)
    if not themes:
        raise UsageError(
            f"No theme has {settings.min_positives} or more labelled sentences: "
            "ingest more documents (or review more hits) before training."
        )
    weights = np.ones(len(texts)) if sample_weights is None else np.asarray(sample_weights, dtype=float)
    features = build_features(settings)
    matrix = features.fit_transform(list(texts)).tocsr()
    columns, intercepts, platt = _fit_themes(matrix, themes, labels, weights, settings)
    veto_themes = _veto_themes(themes, labels, rule_labels or labels, settings)
    training = _training_record(matrix, themes, labels, veto_themes, settings, started)
    return ThemeClassifier(
        name=name,
        themes=tuple(themes),
        features=features,
        weights=np.stack(columns, axis=1),
        intercepts=np.asarray(intercepts, dtype=np.float32),
        platt=np.asarray(platt, dtype=np.float64).T,
        veto_themes=veto_themes,
        training=training,
    )


def reviewed_labels(con: duckdb.DuckDBPyConnection) -> dict[tuple[str, int], dict[str, str]]:
    """Return the latest decisions as (sha256, unit_no) -> {theme: decision}, for training."""
    labels: dict[tuple[str, int], dict[str, str]] = {}
    for row in run_query(con, "train_reviewed_labels"):
        labels.setdefault((row["sha256"], row["unit_no"]), {})[row["theme"]] = row["decision"]
    return labels


def train_on(data: TrainingSet, settings: TrainSettings | None) -> ThemeClassifier:
    """Train a classifier on a warehouse's sentences, weights and rule labels."""
    return train_classifier(
        data.texts, data.labels, sample_weights=data.weights, rule_labels=data.rule_labels, settings=settings
    )


def train_and_save(db_path: Path, out: Path, settings: TrainSettings | None = None) -> dict[str, Any]:
    """Train on a warehouse's weak and reviewed labels, save the artifact, return the report.

    The report gives the data counts, the themes modelled, training seconds and the
    artifact size, for the model card and the `train` command.
    """
    with connect_read(db_path) as con:
        data = training_set(con)
    started = time.perf_counter()
    classifier = train_on(data, settings)
    seconds = time.perf_counter() - started
    classifier.training.update(data.summary())
    size = save_classifier(classifier, out)
    return {
        "model": classifier.name,
        "path": str(out),
        **data.summary(),
        "themes": len(classifier.themes),
        "features": int(classifier.weights.shape[0]),
        "train_seconds": round(seconds, 2),
        "size_mb": round(size / BYTES_PER_MB, 2),
    }
