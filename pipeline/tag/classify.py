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

import sys
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import Any

import joblib
import numpy as np
import spacy
from sklearn.pipeline import FeatureUnion

from pipeline.errors import UsageError
from pipeline.paths import CLASSIFIER_NAME, DEFAULT_CLASSIFIER_PATH
from pipeline.records import UNCOUNTED_SECTIONS, Mention, TaggedDocument, TextUnit
from pipeline.tag.switch import classifier_path

MODEL_NAME = CLASSIFIER_NAME
MODEL_FORMAT = 1
LEGACY_MODULE = "pipeline.classify"  # where ThemeClassifier lived when theme-clf-v1 was saved
DEFAULT_MODEL_PATH = DEFAULT_CLASSIFIER_PATH
SOURCE_RULES = "rules"
SOURCE_CLASSIFIER = "classifier"
REASON_VETO = "classifier_veto"
COMPRESS_LEVEL = 3

# The switch read by `classifier_from_env`: unset/"0"/"off" = rules only, "1"/"on" = the
# shipped model, anything else = the path of an artifact.

DEFAULT_ADD_THRESHOLD = 0.95
DEFAULT_VETO_THRESHOLD = 0.02


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


def _sigmoid(values: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-values))


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
    # Artifacts saved before the stage packages name the class `pipeline.classify.ThemeClassifier`.
    sys.modules.setdefault(LEGACY_MODULE, sys.modules[__name__])
    classifier = joblib.load(path)
    if not isinstance(classifier, ThemeClassifier) or classifier.format != MODEL_FORMAT:
        raise UsageError(f"{path} is not a theme classifier of format {MODEL_FORMAT}: retrain it.")
    return classifier


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
