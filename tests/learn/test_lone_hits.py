"""A theme's only, weak, counted sentence in a long document is vetoed; separate texts never are."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from pipeline.paths import DEFAULT_CLASSIFIER_PATH
from pipeline.records import Mention, TextUnit
from pipeline.tag.combine import REASON_LONE, veto_lone_weak_hits
from pipeline.tag.learned import load_model
from pipeline.tag.learned_training import TrainSettings
from pipeline.tag.tagger import VersionedTagger, texts_document
from pipeline.tag.taxonomy import load_taxonomy

HOARDING = "The flat was full to the ceiling with newspapers and bags, and the exits were blocked."
PLAIN = "The panel met in March and agreed the chronology."


@pytest.fixture(scope="module")
def shipped():
    return load_model(DEFAULT_CLASSIFIER_PATH)


def _units(count: int) -> list[TextUnit]:
    return [TextUnit(n, 10 * n, 10 * n + 9, 1, "body", "paragraph", PLAIN) for n in range(count)]


def _hit(theme: str, unit_no: int, rule_id: str, *, source: str = "rules") -> Mention:
    start = 10 * unit_no
    return Mention(theme, start, start + 4, "word", PLAIN, unit_no, 1, "body", rule_id, True, source=source)


def _probabilities(model, count: int, cells: dict[tuple[int, str], float]) -> np.ndarray:
    probabilities = np.zeros((count, len(model.themes)), dtype=np.float32)
    for (row, theme), value in cells.items():
        probabilities[row, model.themes.index(theme)] = value
    return probabilities


def test_a_lone_weak_hit_is_vetoed_and_a_strong_or_repeated_one_kept(shipped) -> None:
    model = replace(shipped, lone_below=0.4, lone_min_units=5)
    rule = sorted(shipped.known_rules)[0]
    mentions = [
        _hit("hoarding", 2, rule),  # alone and weak: vetoed
        _hit("self_neglect", 1, rule),  # weak, but in two sentences: kept
        _hit("self_neglect", 3, rule),
        _hit("fire_risk", 4, rule),  # alone but strong: kept
        _hit("fire_risk", 4, rule),  # (two mentions in one sentence are still one sentence)
    ]
    cells = {(2, "hoarding"): 0.1, (1, "self_neglect"): 0.1, (3, "self_neglect"): 0.1, (4, "fire_risk"): 0.9}
    result = veto_lone_weak_hits(_units(5), mentions, _probabilities(model, 5, cells), model)
    assert [(m.theme, m.counted, m.reason) for m in result] == [
        ("hoarding", False, REASON_LONE),
        ("self_neglect", True, None),
        ("self_neglect", True, None),
        ("fire_risk", True, None),
        ("fire_risk", True, None),
    ]


def test_a_lone_weak_hit_of_a_weak_classifier_theme_is_vetoed_too(shipped) -> None:
    model = replace(shipped, lone_below=0.4, lone_min_units=3)
    added = _hit("hoarding", 1, "classifier/theme-tagger-v2", source="classifier")
    result = veto_lone_weak_hits(_units(3), [added], _probabilities(model, 3, {(1, "hoarding"): 0.3}), model)
    assert [(m.counted, m.reason) for m in result] == [(False, REASON_LONE)]


def test_short_documents_unknown_rules_and_no_level_keep_every_hit(shipped) -> None:
    rule = sorted(shipped.known_rules)[0]
    weak = _probabilities(shipped, 5, {(2, "hoarding"): 0.1})
    known, unknown = _hit("hoarding", 2, rule), _hit("hoarding", 2, "hoarding/terms/added-after-training")
    short = replace(shipped, lone_below=0.4, lone_min_units=6)
    assert veto_lone_weak_hits(_units(5), [known], weak, short) == [known]
    never = replace(shipped, lone_below=None, lone_min_units=0)
    assert veto_lone_weak_hits(_units(5), [known], weak, never) == [known]
    # a codebook edit since training still adds its hits without retraining
    edited = replace(shipped, lone_below=0.4, lone_min_units=5)
    assert veto_lone_weak_hits(_units(5), [unknown], weak, edited) == [unknown]


def test_documents_get_the_veto_and_separate_texts_never(shipped) -> None:
    tagger = VersionedTagger(load_taxonomy(), DEFAULT_CLASSIFIER_PATH)
    tagger.model = replace(shipped, lone_below=1.01, lone_min_units=3)  # every lone hit is weak
    texts = [HOARDING, PLAIN, PLAIN]
    document = tagger.tag_document(texts_document(texts))
    hoarding = [m for m in document.mentions if m.theme == "hoarding"]
    assert hoarding and all(not m.counted and m.reason == REASON_LONE for m in hoarding)
    separate = [m for m in tagger.tag_texts(texts)[0] if m.theme == "hoarding"]
    assert separate and all(m.counted for m in separate)


def test_the_shipped_model_carries_the_training_settings_levels(shipped) -> None:
    settings = TrainSettings()
    assert (shipped.lone_below, shipped.lone_min_units) == (settings.lone_below, settings.lone_min_units)
    assert shipped.lone_below is not None and shipped.lone_min_units >= 50
