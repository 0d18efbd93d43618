"""The classifier: training on weak labels, calibrated probabilities, combination with rules, artifact."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from pipeline.errors import UsageError
from pipeline.records import Mention, TextUnit
from pipeline.tag.classify import (
    DEFAULT_MODEL_PATH,
    REASON_VETO,
    SOURCE_CLASSIFIER,
    CombineSettings,
    apply_classifier,
    apply_to_document,
    classifier_from_env,
    classifier_path,
    combine,
    load_classifier,
    save_classifier,
)
from pipeline.tag.training import TrainSettings, train_classifier, training_set
from warehouse.db import connect_read

SEED = 7
CLUTTER = ["full to the ceiling with boxes", "piled high with bags and papers", "crammed with old newspapers"]
ROOMS = ["The house", "Her flat", "The bedroom", "His kitchen", "The hallway"]
OTHER = [
    "The panel met in the spring.",
    "Reports were shared with the board.",
    "The chair wrote to the family.",
    "Training was delivered to staff.",
    "The plan was reviewed in June.",
]


def _corpus() -> tuple[list[str], list[set[str]]]:
    rng = random.Random(SEED)
    texts, labels = [], []
    for _ in range(40):
        texts.append(f"{rng.choice(ROOMS)} was {rng.choice(CLUTTER)}.")
        labels.append({"hoarding"})
        texts.append(rng.choice(OTHER))
        labels.append(set())
    return texts, labels


@pytest.fixture(scope="module")
def classifier():
    texts, labels = _corpus()
    return train_classifier(texts, labels, settings=TrainSettings(min_df=1))


def _unit(text: str, section: str = "body") -> TextUnit:
    return TextUnit(0, 0, len(text), 1, section, "paragraph", text)


def _mention(theme: str, *, counted: bool = True) -> Mention:
    return Mention(theme, 0, 4, "word", "word here", 0, 1, "body", f"{theme}/t", counted)


def test_probabilities_separate_the_theme_from_other_sentences(classifier) -> None:
    high, low = classifier.predict_proba(["The loft was crammed with boxes.", "The panel met in June."])[:, 0]
    assert classifier.themes == ("hoarding",)
    assert high > 0.8 > 0.2 > low


def test_training_is_reproducible(classifier) -> None:
    texts, labels = _corpus()
    again = train_classifier(texts, labels, settings=TrainSettings(min_df=1))
    assert (again.weights == classifier.weights).all()


def test_themes_with_too_few_sentences_get_no_model() -> None:
    texts, labels = _corpus()
    labels[0] = {"hoarding", "rare_theme"}
    model = train_classifier(texts, labels, settings=TrainSettings(min_df=1))
    assert "rare_theme" not in model.themes
    with pytest.raises(UsageError):
        train_classifier(texts, [set() for _ in texts])


@pytest.mark.parametrize(
    ("settings", "probability", "expected"),
    [
        (CombineSettings(), 0.95, [("hoarding", SOURCE_CLASSIFIER, True)]),
        (CombineSettings(), 0.5, []),
        (CombineSettings(add=False), 0.95, []),
    ],
)
def test_combine_adds_only_confident_themes_the_rules_missed(settings, probability, expected) -> None:
    added = combine([], {"hoarding": probability}, settings, unit=_unit("The house was full."))
    assert [(m.theme, m.source, m.counted) for m in added] == expected


def test_combine_never_adds_in_uncounted_sections_or_over_a_rule_decision() -> None:
    unit = _unit("Hoarding: see glossary.", section="glossary")
    assert combine([], {"hoarding": 0.99}, CombineSettings(), unit=unit) == []
    negated = _mention("hoarding", counted=False)
    assert combine([negated], {"hoarding": 0.99}, CombineSettings(), unit=_unit("x")) == [negated]


def test_combine_vetoes_low_probability_rule_hits_of_vetoable_themes_only() -> None:
    hit = _mention("hoarding")
    vetoed = combine([hit], {"hoarding": 0.001}, CombineSettings(), unit=_unit("x"))
    assert [(m.counted, m.reason) for m in vetoed] == [(False, REASON_VETO)]
    kept = combine([hit], {"hoarding": 0.001}, CombineSettings(), unit=_unit("x"), vetoable=())
    assert kept == [hit]
    assert combine([hit], {"hoarding": 0.001}, CombineSettings(veto=False), unit=_unit("x")) == [hit]


def test_apply_classifier_adds_a_paraphrase_in_the_right_sentence(classifier) -> None:
    text = "The panel met in June. The bedroom was full to the ceiling with bags."
    [mentions] = apply_classifier([[]], [text], classifier, CombineSettings(add_threshold=0.8))
    expected = [("hoarding", "The bedroom was full to the ceiling with bags.")]
    assert [(m.theme, m.text) for m in mentions] == expected
    assert text[mentions[0].start : mentions[0].end] == mentions[0].text


def test_artifact_round_trip_and_switch(classifier, tmp_path: Path) -> None:
    path = tmp_path / "clf.joblib"
    assert save_classifier(classifier, path) < 5 * 1024 * 1024
    loaded = load_classifier(path)
    assert loaded.themes == classifier.themes
    assert classifier_from_env({"THEMES_CLASSIFIER": "off"}) is None
    assert classifier_path(None, {}) is None and classifier_path(True, {}) == DEFAULT_MODEL_PATH
    assert classifier_path(False, {"THEMES_CLASSIFIER": "on"}) is None
    assert classifier_from_env({"THEMES_CLASSIFIER": str(path)}).themes == classifier.themes
    with pytest.raises(UsageError):
        load_classifier(tmp_path / "missing.joblib")


def test_training_set_reads_weak_labels_and_reviews(warehouse: Path) -> None:
    with connect_read(warehouse) as con:
        data = training_set(con)
    assert data.documents == 16 and data.reviewed == 0
    assert sum("hoarding" in labels for labels in data.labels) == 16
    assert data.labels == data.rule_labels


def test_apply_to_document_adds_per_sentence_and_keeps_rule_hits(classifier) -> None:
    from tests.learn.conftest import make_document

    sentences = [
        ("The hallway was piled high with bags and papers.", None),
        ("Hoarding was severe.", "hoarding"),
    ]
    tagged = make_document("f" * 64, "Review", 2024, sentences)
    combined = apply_to_document(tagged, classifier, CombineSettings(add_threshold=0.8))
    assert [(m.unit_no, m.source) for m in combined.mentions] == [(0, SOURCE_CLASSIFIER), (1, "rules")]
    assert combined.units == tagged.units
