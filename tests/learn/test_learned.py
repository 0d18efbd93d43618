"""The learned tagger: combination with the rules, training, the switch, codebook edits, the text path."""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from pipeline.paths import DEFAULT_CLASSIFIER_PATH
from pipeline.records import Mention, TextUnit
from pipeline.tag.combine import REASON_VETO, SOURCE_CLASSIFIER, combine
from pipeline.tag.learned import load_model, save_model
from pipeline.tag.learned_training import LabelledSentence, TrainSettings, train_model
from pipeline.tag.rules import ThemeTagger, themes_of
from pipeline.tag.switch import classifier_path
from pipeline.tag.tagger import VersionedTagger
from pipeline.tag.taxonomy import DEFAULT_TAXONOMY_PATH, load_taxonomy

HOARDING = "The flat was full to the ceiling with newspapers and bags, and the exits were blocked."
SELF_NEGLECT = "He refused help with washing and had not eaten properly for weeks."
PLAIN = "The panel met in March and agreed the chronology."


@pytest.fixture(scope="module")
def taxonomy():
    return load_taxonomy()


@pytest.fixture(scope="module")
def shipped():
    return load_model(DEFAULT_CLASSIFIER_PATH)


def _unit(text: str, section: str = "body") -> TextUnit:
    return TextUnit(0, 0, len(text), 1, section, "paragraph", text)


def _hit(theme: str, rule_id: str, counted: bool = True) -> Mention:
    return Mention(theme, 0, 4, "word", "word ...", 0, 1, "body", rule_id, counted)


def test_combine_vetoes_known_rules_keeps_unknown_ones_and_adds_found_themes(shipped) -> None:
    known = sorted(shipped.known_rules)[0]
    rejected_known = _hit("hoarding", known)
    new_rule = _hit("hoarding", "hoarding/terms/a-term-added-after-training")
    result = combine(_unit(HOARDING), [rejected_known, new_rule], ({"fire_risk"}, {"hoarding"}), shipped)
    assert result[0].counted is False and result[0].reason == REASON_VETO
    assert result[1].counted is True  # a codebook edit still adds hits without retraining
    added = [m for m in result if m.source == SOURCE_CLASSIFIER]
    assert [(m.theme, m.start, m.end, m.counted) for m in added] == [("fire_risk", 0, len(HOARDING), True)]


def test_combine_adds_nothing_in_uncounted_sections_and_never_recounts(shipped) -> None:
    negated = _hit("hoarding", sorted(shipped.known_rules)[0], counted=False)
    result = combine(_unit(HOARDING, "glossary"), [negated], ({"hoarding"}, set()), shipped)
    assert result == [negated]


def test_combine_adds_nothing_to_a_sentence_whose_form_counts_no_theme(shipped) -> None:
    in_reference = replace(
        _hit("hoarding", sorted(shipped.known_rules)[0], counted=False), reason="reference_entry"
    )
    result = combine(_unit(HOARDING), [in_reference], ({"hoarding", "fire_risk"}, set()), shipped)
    assert result == [in_reference]


def test_a_near_certain_theme_passes_a_closed_gate_and_a_doubtful_one_does_not(shipped) -> None:
    model = replace(shipped, sure_above=0.97, veto_below=0.05)
    column = {theme: k for k, theme in enumerate(model.themes)}
    probabilities = np.zeros((2, len(model.themes)), dtype=np.float32)
    probabilities[0, column["hoarding"]] = 0.99
    probabilities[1, column["hoarding"]] = 0.9
    (assigned, rejected), (doubt_assigned, doubt_rejected) = model.decisions(
        probabilities, np.array([False, False])
    )
    assert assigned == {"hoarding"} and "hoarding" not in rejected
    assert not doubt_assigned and "hoarding" in doubt_rejected  # the gate still decides below the level
    gate_alone = replace(model, sure_above=None).decisions(probabilities, np.array([False, False]))
    assert gate_alone[0] == (set(), frozenset(model.themes))


def test_a_theme_without_a_model_column_keeps_the_rules_decision(shipped) -> None:
    narrowed = replace(shipped, themes=tuple(t for t in shipped.themes if t != "hoarding"))
    hit = _hit("hoarding", sorted(shipped.known_rules)[0])
    rejected = {t for t in narrowed.themes}  # the model rejects every theme it has
    assert combine(_unit(HOARDING), [hit], (set(), rejected), narrowed) == [hit]


def test_the_switch_is_on_by_default_and_can_be_turned_off() -> None:
    assert classifier_path(None, {}) == DEFAULT_CLASSIFIER_PATH
    assert classifier_path(None, {"THEMES_CLASSIFIER": "0"}) is None
    assert classifier_path(None, {"THEMES_CLASSIFIER": "/x/model.joblib"}) == Path("/x/model.joblib")
    assert classifier_path(False, {}) is None


def test_the_shipped_model_is_small_loads_offline_and_stamps_the_version(taxonomy) -> None:
    # 3.9 MB: float16 weights on disk, the smallest stored as zero (a committed binary stays small)
    assert DEFAULT_CLASSIFIER_PATH.stat().st_size < 5 * 1024 * 1024
    tagger = VersionedTagger(taxonomy, DEFAULT_CLASSIFIER_PATH)
    assert tagger.version == f"{taxonomy.version}+theme-tagger-v2"
    model = tagger.model
    assert model is not None and set(model.themes) == set(taxonomy.theme_ids)
    assert model.training["sentences"]["train"] > 1000


def test_text_path_matches_the_rules_text_tagger(taxonomy) -> None:
    texts = [HOARDING + " " + SELF_NEGLECT, PLAIN, "", "There was no evidence of self-neglect."]
    assert VersionedTagger(taxonomy).tag_texts(texts) == ThemeTagger(taxonomy).tag_texts(texts)


def test_the_model_changes_decisions_by_meaning(taxonomy) -> None:
    with_model, rules = VersionedTagger(taxonomy, DEFAULT_CLASSIFIER_PATH), VersionedTagger(taxonomy)
    membership = "Members: Adult Social Care, Police, the Hoarding Panel, Fire and Rescue Service"
    texts = [HOARDING, PLAIN, membership]
    decided = [set(themes_of(m)) for m in with_model.tag_texts(texts)]
    assert "hoarding" in decided[0]
    assert decided[1] == set() and decided[2] == set()
    assert "hoarding" in themes_of(rules.tag_texts([membership])[0])  # the rules alone count the panel's name


def _toy_corpus() -> list[LabelledSentence]:
    rows = []
    for k in range(12):
        rows.append(LabelledSentence(f"h{k}", f"{HOARDING} Visit {k}.", frozenset({"hoarding"}), "train"))
        rows.append(
            LabelledSentence(f"s{k}", f"{SELF_NEGLECT} Week {k}.", frozenset({"self_neglect"}), "train")
        )
        rows.append(LabelledSentence(f"p{k}", f"{PLAIN} Meeting {k}.", frozenset(), "train"))
    rows += [replace(row, id=row.id + "v", split="val") for row in rows[:12]]
    return rows


def test_training_is_deterministic_and_never_reads_the_test_split(taxonomy) -> None:
    rules = VersionedTagger(taxonomy)
    sentences = _toy_corpus()
    poison = [LabelledSentence("t0", PLAIN, frozenset({"hoarding", "fire_risk"}), "test")]
    settings = TrainSettings(min_df=1)
    with_test = sentences + poison
    first = train_model(with_test, rules.tag_texts([s.text for s in with_test]), taxonomy, settings).model
    second = train_model(sentences, rules.tag_texts([s.text for s in sentences]), taxonomy, settings).model
    assert np.array_equal(first.weights, second.weights) and np.array_equal(
        first.thresholds, second.thresholds
    )
    assert first.training["sentences"] == {"train": 36, "val": 12}


def test_a_trained_model_round_trips_and_is_used_by_the_tagger(taxonomy, tmp_path: Path) -> None:
    rules = VersionedTagger(taxonomy)
    sentences = _toy_corpus()
    trained = train_model(
        sentences, rules.tag_texts([s.text for s in sentences]), taxonomy, TrainSettings(min_df=1)
    )
    path = tmp_path / "toy-model.joblib"
    assert save_model(trained.model, path) > 0
    tagger = VersionedTagger(taxonomy, path)
    assert tagger.version.endswith("+toy-model")
    assert "self_neglect" in themes_of(tagger.tag_texts([SELF_NEGLECT])[0])


def test_a_saved_model_stores_float16_weights_and_computes_in_float32(shipped, tmp_path: Path) -> None:
    import joblib

    path = tmp_path / "model.joblib"
    save_model(shipped, path)
    assert joblib.load(path).weights.dtype == np.float16
    loaded = load_model(path)
    assert (
        loaded.weights.dtype == np.float32 and loaded.gate is not None and loaded.gate[0].dtype == np.float32
    )
    assert np.abs(loaded.weights - shipped.weights).max() < 0.01
    texts = [HOARDING, SELF_NEGLECT, PLAIN]
    none: list[list[Mention]] = [[], [], []]
    assert np.allclose(loaded.probabilities(texts, none)[0], shipped.probabilities(texts, none)[0], atol=0.01)


def test_a_saved_model_stores_its_smallest_weights_as_zero(shipped, tmp_path: Path) -> None:
    import dataclasses

    import joblib

    from pipeline.tag.learned import STORED_ZERO_BELOW

    # The shipped weights are already stored this way: shift them so that small ones are not zero.
    model = dataclasses.replace(shipped, weights=shipped.weights + np.float32(STORED_ZERO_BELOW / 3))
    path = tmp_path / "model.joblib"
    save_model(model, path)
    stored = joblib.load(path).weights
    small = np.abs(model.weights) < STORED_ZERO_BELOW
    assert small.mean() > 0.2 and (stored[small] == 0).all() and (stored[~small] != 0).all()
    texts = [HOARDING, SELF_NEGLECT, PLAIN]
    none: list[list[Mention]] = [[], [], []]
    difference = load_model(path).probabilities(texts, none)[0] - model.probabilities(texts, none)[0]
    assert np.abs(difference).max() < 0.01


def test_a_non_model_file_is_refused_with_a_clear_error(tmp_path: Path) -> None:
    from pipeline.errors import UsageError

    with pytest.raises(UsageError, match="No theme model"):
        load_model(tmp_path / "missing.joblib")
    import joblib

    joblib.dump({"not": "a model"}, tmp_path / "other.joblib")
    with pytest.raises(UsageError, match="not a theme model"):
        load_model(tmp_path / "other.joblib")


def test_a_codebook_term_added_after_training_still_counts_with_the_model(tmp_path: Path) -> None:
    codebook = tmp_path / "taxonomy"
    shutil.copytree(DEFAULT_TAXONOMY_PATH, codebook)
    sentence = "Officers found that Mr Q kept a zorblat in every room."
    theme_file = next(p for p in codebook.glob("themes-*.toml") if "[themes.hoarding]" in p.read_text())
    text = theme_file.read_text()
    start = text.index("[themes.hoarding]")
    terms = text.index("terms = [", start) + len("terms = [")
    theme_file.write_text(text[:terms] + '"zorblat", ' + text[terms:])
    before = VersionedTagger(load_taxonomy(), DEFAULT_CLASSIFIER_PATH).tag_texts([sentence])[0]
    after = VersionedTagger(load_taxonomy(codebook), DEFAULT_CLASSIFIER_PATH).tag_texts([sentence])[0]
    assert "hoarding" not in themes_of(before)
    assert any(m.theme == "hoarding" and m.source == "rules" and m.counted for m in after)


def test_thresholds_are_shrunk_toward_the_shared_threshold_by_how_little_support_a_theme_has() -> None:
    from pipeline.tag.learned_training import choose_thresholds

    rng = np.random.default_rng(0)
    gold = np.zeros((400, 3), dtype=bool)
    gold[:200, 0] = True  # well supported, best at a high threshold
    gold[:3, 1] = True  # three positives: its own best is noise
    probabilities = rng.uniform(0.0, 0.3, size=(400, 3)).astype(np.float32)
    probabilities[:200, 0] = 0.75
    probabilities[200:220, 0] = 0.65  # so 0.7 is column 0's one best threshold, and everyone's
    probabilities[:3, 1] = 0.85
    probabilities[3:5, 1] = 0.75  # and 0.8 column 1's
    shared = choose_thresholds(probabilities, gold, TrainSettings(threshold_prior=5))
    own = choose_thresholds(probabilities, gold, TrainSettings(threshold_prior=0))
    assert own[0] == pytest.approx(0.7) and own[1] == pytest.approx(0.8)
    overall = 0.7  # the best single threshold for all three columns together
    assert shared[0] == pytest.approx((200 * 0.7 + 5 * overall) / 205)
    assert shared[1] == pytest.approx((3 * 0.8 + 5 * overall) / 8)
    assert shared[2] == pytest.approx(overall) and own[2] == pytest.approx(0.5)  # no positives
