"""Word and character features without scikit-learn: the fitted vectorizer's TF-IDF, without importing it."""

from __future__ import annotations

import io
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import joblib
import numpy as np
import pytest
from sklearn.feature_extraction.text import TfidfVectorizer

from pipeline.paths import DEFAULT_CLASSIFIER_PATH, PROJECT_ROOT
from pipeline.tag import learned
from pipeline.tag.learned import (
    CHAR_NGRAMS,
    WORD_PATTERN,
    CharFeatures,
    LearnedTagger,
    WordFeatures,
    load_model,
)

TRAINING_TEXTS = [
    "The flat was full of newspapers and the exits were blocked.",
    "Self-neglect was not recognised; the flat was cold.",
    "Practitioners did not see the child alone, and the child's voice was not heard.",
    "The child's mother's partner was not known to services.",
    "Newspapers, bags and boxes filled the flat; the flat was a fire risk.",
]
UNSEEN_TEXTS = [
    "The FLAT was full, full, full of newspapers!",  # upper case, a repeated word
    "",  # no words at all
    "42 1.3 (ii)",  # no word of the vocabulary
    "the child's voice the child's voice",  # a bigram twice
    "Self-neglect",
]


def _vectorizer(**changes) -> TfidfVectorizer:
    settings = dict(lowercase=True, token_pattern=WORD_PATTERN, ngram_range=(1, 2), sublinear_tf=True)
    return TfidfVectorizer(**{**settings, **changes}, dtype=np.float32).fit(TRAINING_TEXTS)


def test_word_features_equal_the_fitted_vectorizer() -> None:
    vectorizer = _vectorizer()
    words = WordFeatures.from_vectorizer(vectorizer)
    expected = vectorizer.transform(UNSEEN_TEXTS + TRAINING_TEXTS).toarray()
    got = words.transform(UNSEEN_TEXTS + TRAINING_TEXTS)
    assert got.dtype == np.float32 and got.shape == expected.shape and len(words) == expected.shape[1]
    assert np.abs(got.toarray() - expected).max() < 1e-6
    assert got[1].nnz == 0 and got[2].nnz == 0


def _char_vectorizer(**changes) -> TfidfVectorizer:
    settings = dict(lowercase=True, analyzer="char_wb", ngram_range=CHAR_NGRAMS, sublinear_tf=True)
    return TfidfVectorizer(**{**settings, **changes}, dtype=np.float32).fit(TRAINING_TEXTS)


def test_char_features_equal_the_fitted_vectorizer() -> None:
    vectorizer = _char_vectorizer()
    chars = CharFeatures.from_vectorizer(vectorizer)
    # one- and two-letter words (a padded word no longer than n), tabs and runs of spaces, no-break
    # spaces, a word holding one n-gram twice ("ana" in banana)
    edge_cases = ["a I  of\tit", "x", "self-neglect\u00a0was  NOT\nrecognised", "   ", "banana bananas"]
    texts = UNSEEN_TEXTS + edge_cases + TRAINING_TEXTS
    expected = vectorizer.transform(texts).toarray()
    got = chars.transform(texts)
    assert got.dtype == np.float32 and got.shape == expected.shape and len(chars) == expected.shape[1]
    assert np.abs(got.toarray() - expected).max() < 1e-6
    assert got[1].nnz == 0 and got[len(UNSEEN_TEXTS) + 3].nnz == 0


def test_char_features_are_the_same_when_the_word_cache_overflows(monkeypatch: pytest.MonkeyPatch) -> None:
    chars = CharFeatures.from_vectorizer(_char_vectorizer())
    texts = UNSEEN_TEXTS + TRAINING_TEXTS
    expected = chars.transform(texts).toarray()
    monkeypatch.setattr(learned, "WORD_CACHE_SIZE", 3)
    small_cache = CharFeatures.from_vectorizer(_char_vectorizer())
    assert np.array_equal(small_cache.transform(texts).toarray(), expected)
    assert len(chars.__dict__["_columns_by_word"]) > 3  # the first instance did cache more than that


def test_char_features_refuse_a_vectorizer_with_other_settings() -> None:
    other_settings = (
        {"ngram_range": (2, 5)},
        {"analyzer": "char"},
        {"sublinear_tf": False},
        {"lowercase": False},
    )
    for changes in other_settings:
        with pytest.raises(ValueError, match="settings"):
            CharFeatures.from_vectorizer(_char_vectorizer(**changes))


def test_word_features_refuse_a_vectorizer_with_other_settings() -> None:
    for changes in ({"ngram_range": (1, 3)}, {"sublinear_tf": False}, {"norm": "l1"}, {"lowercase": False}):
        with pytest.raises(ValueError, match="settings"):
            WordFeatures.from_vectorizer(_vectorizer(**changes))


def test_a_model_saved_in_format_2_loads_with_the_same_weights(tmp_path: Path) -> None:
    shipped = load_model(DEFAULT_CLASSIFIER_PATH)
    vectorizer = _vectorizer()
    old = replace(shipped, features=replace(shipped.features, words=vectorizer), format=2)
    joblib.dump(old, tmp_path / "old.joblib")
    loaded = load_model(tmp_path / "old.joblib")
    assert isinstance(loaded, LearnedTagger) and loaded.format == 3
    assert isinstance(loaded.features.words, WordFeatures)
    assert loaded.features.words.vocabulary == vectorizer.vocabulary_
    assert np.array_equal(loaded.weights, shipped.weights)


def test_tagging_with_the_shipped_model_never_imports_scikit_learn() -> None:
    script = (
        "import sys\n"
        "from pipeline.tag.switch import classifier_path\n"
        "from pipeline.tag.tagger import VersionedTagger\n"
        "from pipeline.tag.taxonomy import load_taxonomy\n"
        "tagger = VersionedTagger(load_taxonomy(), classifier_path(True))\n"
        "assert tagger.model is not None\n"
        "tagger.tag_texts(['The flat was full of newspapers and the exits were blocked.'])\n"
        "print(sorted(name for name in sys.modules if name.split('.')[0] == 'sklearn'))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=PROJECT_ROOT, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"


@pytest.mark.parametrize("features_class", [WordFeatures, CharFeatures])
def test_saved_features_keep_their_vocabulary_as_one_string_and_load_equal(
    features_class: type[WordFeatures] | type[CharFeatures], tmp_path: Path
) -> None:
    vectorizer = _vectorizer() if features_class is WordFeatures else _char_vectorizer()
    features = features_class.from_vectorizer(vectorizer)
    features.transform(UNSEEN_TEXTS)  # fills CharFeatures' word cache, which is never saved
    state = features.__getstate__()
    assert set(state) == {"terms", "idf"} and isinstance(state["terms"], str)
    joblib.dump(features, tmp_path / "features.joblib", compress=3)
    loaded = joblib.load(tmp_path / "features.joblib")
    assert loaded.vocabulary == vectorizer.vocabulary_ and "_columns_by_word" not in vars(loaded)
    assert np.array_equal(loaded.idf, features.idf)
    assert (loaded.transform(UNSEEN_TEXTS) != features.transform(UNSEEN_TEXTS)).nnz == 0


@pytest.mark.parametrize(
    ("vocabulary", "saved_as"),
    [({"a": 0, "b": 2}, "vocabulary"), ({"a\nb": 0, "c": 1}, "vocabulary"), ({}, "terms")],
    ids=["columns with a gap", "a term holding the separator", "empty"],
)
def test_features_load_equal_whatever_their_vocabulary(vocabulary: dict[str, int], saved_as: str) -> None:
    features = WordFeatures(vocabulary, np.ones(len(vocabulary), dtype=np.float32))
    assert saved_as in features.__getstate__()
    buffer = io.BytesIO()
    joblib.dump(features, buffer)
    buffer.seek(0)
    assert joblib.load(buffer).vocabulary == vocabulary
