"""A sentence-level theme classifier learned from the warehouse's own labels, and its combination with rules.

Rules miss paraphrase ("the house was full to the ceiling"); a linear model over
word and character n-grams, trained on the sentences of the user's own reviews,
can catch some of it. It learns from *weak labels* (the themes the rules counted
in each sentence) corrected by *reviewed labels* (a learning lead's accept,
reject and add decisions), so each partnership can retrain on its own corpus.

Model: TF-IDF over word 1-2-grams and character 2-5-grams (within words), then
one logistic regression per theme (one-vs-rest, balanced class weights), whose
scores are Platt-calibrated on out-of-fold predictions. Only the weights are
kept (one float32 matrix), so the artifact stays small and loads offline.

Combination with the rules (per sentence, switchable through
:class:`CombineSettings`): a theme the rules did not match at all is *added* when
its probability is at least ``add_threshold``; a counted rule hit is *vetoed*
(kept, ``counted=False``, reason ``classifier_veto``) when its probability is
below ``veto_threshold``. Rule hits the rules themselves did not count (negated,
wrong sense, boilerplate) are never overridden.

Artifacts are joblib pickles: load only files you trust (your own ``models/``).
"""

from __future__ import annotations

import os
import time
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import Any

import duckdb
import joblib
import numpy as np
import spacy
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold
from sklearn.pipeline import FeatureUnion

import models
from pipeline.errors import UsageError
from pipeline.records import UNCOUNTED_SECTIONS, Mention, TaggedDocument, TextUnit
from pipeline.review import reviewed_labels
from warehouse.db import run_query

MODEL_NAME = models.CLASSIFIER_NAME
MODEL_FORMAT = 1
DEFAULT_MODEL_PATH = models.DEFAULT_CLASSIFIER_PATH
RANDOM_STATE = 42
SOURCE_RULES = "rules"
SOURCE_CLASSIFIER = "classifier"
REASON_VETO = "classifier_veto"
COMPRESS_LEVEL = 3

# The switch read by `classifier_from_env`: unset/"0"/"off" = rules only, "1"/"on" = the
# shipped model, anything else = the path of an artifact.
ENV_SWITCH = "THEMES_CLASSIFIER"
SWITCH_OFF = ("", "0", "off", "false", "no")
SWITCH_ON = ("1", "on", "true", "yes")

DEFAULT_ADD_THRESHOLD = 0.95
DEFAULT_VETO_THRESHOLD = 0.02
PLATT_C = 1.0
MAX_ITER = 5000  # liblinear's default 1000 stops short on the larger weakly labelled corpora
MIN_SENTENCE_CHARS = 20  # shorter units are headings, numbers and fragments
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


@dataclass(frozen=True)
class CombineSettings:
    """How classifier probabilities change the rule hits of a sentence.

    Attributes:
        add: add themes the rules did not match when the probability is high.
        veto: un-count rule hits whose theme has a very low probability.
        add_threshold: minimum probability for an added theme.
        veto_threshold: a counted rule hit below this probability is vetoed.
    """

    add: bool = True
    veto: bool = True
    add_threshold: float = DEFAULT_ADD_THRESHOLD
    veto_threshold: float = DEFAULT_VETO_THRESHOLD

    def __post_init__(self) -> None:
        """Refuse thresholds outside [0, 1] or a veto threshold above the add threshold."""
        if not 0.0 <= self.veto_threshold <= self.add_threshold <= 1.0:
            raise ValueError("need 0 <= veto_threshold <= add_threshold <= 1")


@dataclass
class ThemeClassifier:
    """A trained, calibrated one-vs-rest linear model over sentence n-grams.

    Attributes:
        name: the versioned artifact name (``theme-clf-v1``).
        themes: the theme ids with a model, in weight-column order.
        features: the fitted TF-IDF feature union.
        weights: float32 matrix (n_features, n_themes).
        intercepts: per-theme intercepts.
        platt: (2, n_themes) slope and intercept of the calibration sigmoid.
        veto_themes: the themes whose rule hits the model learnt to reject (see
            ``TrainSettings.min_rejections``); only these can be vetoed.
        training: what it was trained on and how long it took (for the model card).
    """

    name: str
    themes: tuple[str, ...]
    features: FeatureUnion
    weights: np.ndarray
    intercepts: np.ndarray
    platt: np.ndarray
    veto_themes: tuple[str, ...] = ()
    training: dict[str, Any] = field(default_factory=dict)
    format: int = MODEL_FORMAT

    def predict_proba(self, texts: Sequence[str]) -> np.ndarray:
        """Return the calibrated probability of every theme for every text, shape (n_texts, n_themes)."""
        if not texts:
            return np.zeros((0, len(self.themes)), dtype=np.float32)
        scores = self.features.transform(list(texts)) @ self.weights + self.intercepts
        return _sigmoid(self.platt[0] * np.asarray(scores) + self.platt[1])

    def probabilities(self, texts: Sequence[str]) -> list[dict[str, float]]:
        """Return, for every text, a theme -> probability mapping."""
        return [dict(zip(self.themes, row.tolist(), strict=True)) for row in self.predict_proba(texts)]


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


def _sigmoid(values: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-values))


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
    columns, intercepts, platt = [], [], []
    for theme in themes:
        y = np.array([theme in themes_ for themes_ in labels], dtype=int)
        model = _linear_model(settings).fit(matrix, y, sample_weight=weights)
        columns.append(model.coef_[0].astype(np.float32))
        intercepts.append(model.intercept_[0])
        platt.append(_platt(matrix, y, weights, settings))
    veto_themes = _veto_themes(themes, labels, rule_labels or labels, settings)
    training = {
        "sentences": len(texts),
        "features": matrix.shape[1],
        "positives": {t: int(sum(t in s for s in labels)) for t in themes},
        "veto_themes": list(veto_themes),
        "settings": settings.__dict__,
        "seconds": round(time.perf_counter() - started, 2),
    }
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


def save_classifier(classifier: ThemeClassifier, path: Path) -> int:
    """Write the artifact (compressed joblib); return its size in bytes."""
    path.parent.mkdir(parents=True, exist_ok=True)
    joblib.dump(classifier, path, compress=COMPRESS_LEVEL)
    return path.stat().st_size


def load_classifier(path: Path | None = None) -> ThemeClassifier:
    """Load a trained classifier artifact (the shipped one by default); no network needed.

    Raises:
        UsageError: the file is missing or is not a classifier of this format.
    """
    path = Path(path or DEFAULT_MODEL_PATH)
    if not path.is_file():
        raise UsageError(f"No classifier at {path}: train one with `run_pipeline.py train`.")
    classifier = joblib.load(path)
    if not isinstance(classifier, ThemeClassifier) or classifier.format != MODEL_FORMAT:
        raise UsageError(f"{path} is not a theme classifier of format {MODEL_FORMAT}: retrain it.")
    return classifier


def classifier_path(switch: bool | None = None, environ: dict[str, str] | None = None) -> Path | None:
    """Resolve the combination switch to an artifact path, or None for rules only.

    Args:
        switch: a command-line ``--classifier`` (True) / ``--no-classifier`` (False);
            None defers to ``$THEMES_CLASSIFIER``.
        environ: the environment to read (default ``os.environ``).
    """
    if switch is not None:
        return DEFAULT_MODEL_PATH if switch else None
    value = (os.environ if environ is None else environ).get(ENV_SWITCH, "").strip()
    if value.lower() in SWITCH_OFF:
        return None
    return DEFAULT_MODEL_PATH if value.lower() in SWITCH_ON else Path(value)


def classifier_from_env(environ: dict[str, str] | None = None) -> ThemeClassifier | None:
    """Return the classifier selected by ``$THEMES_CLASSIFIER``, or None for rules only."""
    path = classifier_path(None, environ)
    return None if path is None else load_classifier(path)


def _added_mention(unit: TextUnit, theme: str, model_name: str) -> Mention:
    return Mention(
        theme=theme,
        start=unit.start,
        end=unit.end,
        text=unit.text,
        sentence=unit.text,
        unit_no=unit.unit_no,
        page=unit.page,
        section=unit.section,
        rule_id=f"{SOURCE_CLASSIFIER}/{model_name}",
        counted=True,
        source=SOURCE_CLASSIFIER,
    )


def combine(
    rule_mentions: Sequence[Mention],
    probabilities: dict[str, float],
    settings: CombineSettings,
    *,
    unit: TextUnit,
    model_name: str = MODEL_NAME,
    vetoable: Collection[str] | None = None,
) -> list[Mention]:
    """Combine one sentence's rule mentions with the classifier's probabilities.

    Args:
        rule_mentions: the rules' mentions inside ``unit``.
        probabilities: theme -> calibrated probability for the sentence (themes
            without a model are absent and are left to the rules).
        settings: what to add and veto, and the thresholds.
        unit: the sentence; added mentions span it whole.
        model_name: recorded in the ``rule_id`` of added mentions.
        vetoable: the themes whose rule hits may be vetoed (default: all with a probability).

    Returns:
        The rule mentions (vetoed ones with ``counted=False``, reason
        ``classifier_veto``) followed by the added classifier mentions.
    """
    combined = []
    for mention in rule_mentions:
        probability = probabilities.get(mention.theme)
        vetoed = probability is not None and probability < settings.veto_threshold
        allowed = vetoable is None or mention.theme in vetoable
        if settings.veto and mention.counted and vetoed and allowed:
            mention = replace(mention, counted=False, reason=REASON_VETO)
        combined.append(mention)
    if not settings.add or unit.section in UNCOUNTED_SECTIONS:
        return combined
    matched = {mention.theme for mention in rule_mentions}
    for theme, probability in sorted(probabilities.items()):
        if probability >= settings.add_threshold and theme not in matched:
            combined.append(_added_mention(unit, theme, model_name))
    return combined


def _combine_units(
    units: Sequence[TextUnit],
    mentions: Sequence[Mention],
    probabilities: Sequence[dict[str, float]],
    classifier: ThemeClassifier,
    settings: CombineSettings,
) -> list[Mention]:
    """Combine the mentions of the sentences of one text (probabilities per unit), keeping text order."""
    by_unit: dict[int, list[Mention]] = {unit.unit_no: [] for unit in units}
    starts = [unit.start for unit in units]
    for mention in mentions:
        index = max(int(np.searchsorted(starts, mention.start, side="right")) - 1, 0)
        by_unit[units[index].unit_no].append(mention)
    combined: list[Mention] = []
    for unit, probs in zip(units, probabilities, strict=True):
        combined += combine(
            by_unit[unit.unit_no],
            probs,
            settings,
            unit=unit,
            model_name=classifier.name,
            vetoable=classifier.veto_themes,
        )
    return sorted(combined, key=lambda m: (m.start, m.theme, m.source))


@lru_cache(maxsize=1)
def _sentencizer() -> spacy.language.Language:
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    return nlp


def sentence_units(texts: Sequence[str]) -> list[list[TextUnit]]:
    """Split plain texts into sentence units (offsets into each text), as ``tag`` sees them."""
    result = []
    for text, doc in zip(texts, _sentencizer().pipe(texts), strict=True):
        units = [
            TextUnit(number, sent.start_char, sent.end_char, 0, "body", "paragraph", sent.text)
            for number, sent in enumerate(doc.sents)
        ]
        result.append(units or [TextUnit(0, 0, len(text), 0, "body", "paragraph", text)])
    return result


def apply_classifier(
    mentions_per_text: Sequence[Sequence[Mention]],
    texts: Sequence[str],
    classifier: ThemeClassifier,
    settings: CombineSettings | None = None,
) -> list[list[Mention]]:
    """Combine the rule mentions of plain texts (``ThemeTagger.tag_texts`` output) with the classifier.

    Args:
        mentions_per_text: the rule mentions of each text, offsets into that text.
        texts: the texts, in the same order.
        classifier: a loaded classifier.
        settings: the combination switches and thresholds (defaults when None).

    Returns:
        For each text, its mentions after vetoes plus the classifier's added mentions.
    """
    settings = settings or CombineSettings()
    units_per_text = sentence_units(texts)
    probabilities = iter(classifier.probabilities([u.text for units in units_per_text for u in units]))
    return [
        _combine_units(units, mentions, [next(probabilities) for _ in units], classifier, settings)
        for units, mentions in zip(units_per_text, mentions_per_text, strict=True)
    ]


def apply_to_document(
    tagged: TaggedDocument, classifier: ThemeClassifier, settings: CombineSettings | None = None
) -> TaggedDocument:
    """Return the tagged document with its mentions combined with the classifier, sentence by sentence."""
    if not tagged.units:
        return tagged
    probabilities = classifier.probabilities([unit.text for unit in tagged.units])
    settings = settings or CombineSettings()
    mentions = _combine_units(tagged.units, tagged.mentions, probabilities, classifier, settings)
    return replace(tagged, mentions=mentions)
