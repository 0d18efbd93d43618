"""The learned tagger: one linear model per theme over a sentence's words and its rule hits.

The codebook rules find evidence spans; a model trained on human-labelled sentences
(corpus/labelled, see its DATASHEET) then decides, sentence by sentence, which themes
the sentence is really about. Its features are the sentence's word 1-2-grams and
character 3-5-grams within words (TF-IDF; the characters carry inflections, compounds and
misspellings the words miss), what the rules made of it (per theme: counted, or why not: negated, wrong sense,
boilerplate...) and its form (a reference entry, a glossary line...; see `forms`), so it
learns when to trust a rule hit and what a paraphrase without any codebook phrase means.

How its decisions combine with the rules: `combine`.

Artifacts are joblib pickles: load only files you trust (your own ``models/``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field, replace
from itertools import chain
from pathlib import Path
from typing import Any, ClassVar, Self

import joblib
import numpy as np
from scipy import sparse

from pipeline.errors import UsageError
from pipeline.records import Mention
from pipeline.tag.forms import FormRecogniser

# 3: words as `WordFeatures` (optional `CharFeatures` since 2026-12-03); 2 held a vectorizer (upgraded)
MODEL_FORMAT = 3
COMPRESS_LEVEL = 3
# Weights are stored as float16, those under STORED_ZERO_BELOW as zero (they compress to almost nothing),
# and computed in float32: 10.3 -> 3.9 MB, evaluation figures unchanged (models/README.md, "Cost").
STORED_WEIGHTS = np.float16
STORED_ZERO_BELOW = 0.01
# Words: letters first, then letters, digits, apostrophes and hyphens ("self-neglect", "s42" is not a word).
WORD_PATTERN = r"(?u)\b[^\W\d_][\w'’-]*\b"
CHAR_NGRAMS = (3, 5)
TFIDF_SETTINGS: dict[str, Any] = {"lowercase": True, "sublinear_tf": True, "norm": "l2"}
WORD_CACHE_SIZE = 200_000  # distinct words whose character columns are remembered
TERM_SEPARATOR = "\n"  # between the vocabulary terms of a saved model; terms never hold whitespace


def rule_feature_names(mentions: Sequence[Mention]) -> list[str]:
    """Name what the rules decided in a sentence: ``theme=counted``/``theme=<reason>``, ``theme=any``."""
    names = set()
    for mention in mentions:
        names.add(f"{mention.theme}={'counted' if mention.counted else mention.reason or 'uncounted'}")
        names.add(f"{mention.theme}=any")
    return sorted(names)


@dataclass
class TfidfFeatures:
    """A fitted scikit-learn ``TfidfVectorizer``, applied without it.

    Sublinear term frequency, the fitted idf and l2-normalised rows over the n-gram counts a
    subclass makes (`_count_matrix`, reproducing the vectorizer's analysis), so a tagging run
    never imports scikit-learn (half a second of every start). Equal to the vectorizer's output
    up to float32 rounding (tests compare them).
    """

    vocabulary: Mapping[str, int]
    idf: np.ndarray  # float32, one per vocabulary column

    # How the fitted vectorizer analyses text; `learned_training` builds it from these, and
    # `from_vectorizer` refuses any other, since `_count_matrix` reproduces exactly this analysis.
    ANALYSIS: ClassVar[dict[str, Any]]

    @classmethod
    def from_vectorizer(cls, vectorizer: Any) -> Self:
        """Take the vocabulary and idf of a fitted TfidfVectorizer built as in `learned_training`."""
        expected = {**TFIDF_SETTINGS, **cls.ANALYSIS}
        if any(getattr(vectorizer, name) != value for name, value in expected.items()):
            raise ValueError(f"{cls.__name__} expects the training settings {expected}, not {vectorizer!r}")
        return cls(dict(vectorizer.vocabulary_), np.asarray(vectorizer.idf_, dtype=np.float32))

    def __len__(self) -> int:
        """Return the number of features (columns)."""
        return len(self.vocabulary)

    def __getstate__(self) -> dict[str, Any]:
        # joblib unpickles a dict in Python, item by item: the terms as one string, in column
        # order, load over ten times faster (the model loads in every worker and CLI call).
        terms = sorted(self.vocabulary, key=self.vocabulary.__getitem__)
        numbered = all(self.vocabulary[term] == column for column, term in enumerate(terms))
        if numbered and not any(TERM_SEPARATOR in term for term in terms):
            return {"terms": TERM_SEPARATOR.join(terms), "idf": self.idf}
        return {"vocabulary": dict(self.vocabulary), "idf": self.idf}

    def __setstate__(self, state: dict[str, Any]) -> None:
        terms = state.get("terms")
        if terms is None:  # saved before the compact form, or not numbered 0, 1, 2...
            self.vocabulary = state["vocabulary"]
        else:
            split = terms.split(TERM_SEPARATOR) if terms else []
            self.vocabulary = {term: column for column, term in enumerate(split)}
        self.idf = state["idf"]

    def transform(self, texts: Sequence[str]) -> sparse.csr_matrix:
        """Return the (n_texts, len(self)) float32 TF-IDF matrix of the texts."""
        counts = self._count_matrix(texts)
        rows = np.repeat(np.arange(len(texts)), np.diff(counts.indptr))
        data = 1.0 + np.log(counts.data)
        data *= self.idf[counts.indices]
        norms = np.sqrt(np.bincount(rows, weights=data.astype(np.float64) ** 2, minlength=len(texts)))
        data /= np.where(norms > 0, norms, 1.0)[rows].astype(np.float32)
        return sparse.csr_matrix((data, counts.indices, counts.indptr), shape=counts.shape)

    def _count_matrix(self, texts: Sequence[str]) -> sparse.csr_matrix:
        """Return the (n_texts, len(self)) float32 matrix of known n-gram counts, no explicit zeros."""
        raise NotImplementedError


@dataclass
class WordFeatures(TfidfFeatures):
    """TF-IDF of a sentence's word 1-2-grams: lower-cased `WORD_PATTERN` words, then neighbour pairs."""

    ANALYSIS: ClassVar[dict[str, Any]] = {
        "analyzer": "word",
        "token_pattern": WORD_PATTERN,
        "ngram_range": (1, 2),
    }

    def _count_matrix(self, texts: Sequence[str]) -> sparse.csr_matrix:
        columns: list[int] = []
        counts: list[int] = []
        row_starts = [0]
        for text in texts:
            counted = self._counts(text)
            columns.extend(counted)
            counts.extend(counted.values())
            row_starts.append(len(columns))
        shape = (len(texts), len(self.vocabulary))
        return sparse.csr_matrix(
            (
                np.asarray(counts, dtype=np.float32),
                np.asarray(columns, dtype=np.int32),
                np.asarray(row_starts, dtype=np.int32),
            ),
            shape=shape,
        )

    def _counts(self, text: str) -> dict[int, int]:
        """Return the vocabulary column and count of every known n-gram of the text."""
        words = _WORD.findall(text.lower())
        counted: dict[int, int] = {}
        vocabulary = self.vocabulary
        pairs = (f"{first} {second}" for first, second in zip(words, words[1:], strict=False))
        for gram in (*words, *pairs):
            column = vocabulary.get(gram)
            if column is not None:
                counted[column] = counted.get(column, 0) + 1
        return counted


_WORD = re.compile(WORD_PATTERN)


@dataclass
class CharFeatures(TfidfFeatures):
    """TF-IDF of character 3-5-grams inside words, as scikit-learn's ``analyzer="char_wb"`` makes them.

    Each whitespace-separated word is padded with a space on each side; a padded word no longer
    than n gives itself once as its n-gram and no longer ones (scikit-learn's rule).
    """

    ANALYSIS: ClassVar[dict[str, Any]] = {"analyzer": "char_wb", "ngram_range": CHAR_NGRAMS}

    def _count_matrix(self, texts: Sequence[str]) -> sparse.csr_matrix:
        # (sentences x distinct words) @ (distinct words x n-gram columns): each distinct word's
        # n-grams are looked up once, and the counting runs in scipy rather than per n-gram here.
        word_ids: dict[str, int] = {}
        tokens: list[int] = []
        row_starts = [0]
        for text in texts:
            tokens.extend(word_ids.setdefault(word, len(word_ids)) for word in text.lower().split())
            row_starts.append(len(tokens))
        sentence_words = sparse.csr_matrix(
            (
                np.ones(len(tokens), dtype=np.float32),
                np.asarray(tokens, dtype=np.int32),
                np.asarray(row_starts, dtype=np.int32),
            ),
            shape=(len(texts), len(word_ids)),
        )
        counts = sentence_words @ self._word_gram_matrix(list(word_ids))
        counts.eliminate_zeros()
        return counts

    def _word_gram_matrix(self, words: list[str]) -> sparse.csr_matrix:
        """Return the (n_words, len(self)) float32 matrix of each word's known n-gram counts."""
        # Words repeat (Zipf), so each word's known columns are computed once and remembered.
        cache: dict[str, list[int]] = self.__dict__.setdefault("_columns_by_word", {})
        if len(cache) + len(words) > WORD_CACHE_SIZE:
            cache.clear()
        columns_per_word = []
        for word in words:
            columns = cache.get(word)
            if columns is None:
                columns = cache[word] = self._word_columns(word)
            columns_per_word.append(columns)
        row_starts = np.zeros(len(words) + 1, dtype=np.int32)
        np.cumsum([len(columns) for columns in columns_per_word], out=row_starts[1:])
        every_column = np.fromiter(
            chain.from_iterable(columns_per_word), dtype=np.int32, count=int(row_starts[-1])
        )
        data = np.ones(len(every_column), dtype=np.float32)
        return sparse.csr_matrix((data, every_column, row_starts), shape=(len(words), len(self.vocabulary)))

    def _word_columns(self, word: str) -> list[int]:
        """Return the vocabulary column of every known n-gram of one word (with repeats)."""
        vocabulary = self.vocabulary
        padded = f" {word} "
        length = len(padded)
        shortest, longest = CHAR_NGRAMS
        columns: list[int] = []
        for n in range(shortest, longest + 1):
            if length <= n:  # the padded word is its own, and last, n-gram
                column = vocabulary.get(padded)
                return columns if column is None else [*columns, column]
            for start in range(length - n + 1):
                column = vocabulary.get(padded[start : start + n])
                if column is not None:
                    columns.append(column)
        return columns


@dataclass
class SentenceFeatures:
    """Turns sentences (with their rule mentions) into the model's feature matrix."""

    words: WordFeatures
    rule_index: dict[str, int]
    forms: FormRecogniser
    chars: CharFeatures | None = None  # None in models trained before character features

    @property
    def _text_features(self) -> list[TfidfFeatures]:
        return [self.words] if self.chars is None else [self.words, self.chars]

    @property
    def size(self) -> int:
        """Return the number of feature columns."""
        return sum(map(len, self._text_features)) + len(self.rule_index) + len(self.forms.names)

    def matrix(self, texts: Sequence[str], mentions: Sequence[Sequence[Mention]]) -> sparse.csr_matrix:
        """Return the (n_sentences, size) float32 feature matrix."""
        rows: list[int] = []
        cols: list[int] = []
        offset = len(self.rule_index)
        for row, (text, sentence_mentions) in enumerate(zip(texts, mentions, strict=True)):
            for name in rule_feature_names(sentence_mentions):
                column = self.rule_index.get(name)
                if column is not None:
                    rows.append(row)
                    cols.append(column)
            form = self.forms.form_of(text)
            if form is not None:
                rows.append(row)
                cols.append(offset + self.forms.names.index(form))
        extra = sparse.csr_matrix(
            (np.ones(len(rows), dtype=np.float32), (rows, cols)),
            shape=(len(texts), offset + len(self.forms.names)),
        )
        text_matrices = [features.transform(list(texts)) for features in self._text_features]
        return sparse.hstack([*text_matrices, extra], format="csr", dtype=np.float32)


@dataclass
class LearnedTagger:
    """A trained model: per-theme weights over `SentenceFeatures`, and per-theme thresholds.

    Attributes:
        name: the versioned artifact name (``theme-tagger-v2``), stamped on tagging runs.
        themes: the theme ids with a model, in weight-column order.
        features: the fitted feature builder.
        weights: float32 matrix (n_features, n_themes).
        intercepts: per-theme intercepts.
        thresholds: per-theme probability at or above which the theme is assigned.
        known_rules: the rule ids seen in training; hits of other rules are never vetoed.
        veto_below: a counted rule hit is vetoed when its theme's probability is below this
            (None: below the theme's threshold, i.e. the model decides alone).
        gate: weights, intercept and threshold of the "any theme at all" model; a sentence
            under the gate's threshold gets no theme (None: no gate).
        sure_above: a theme whose probability is at or above this passes the gate anyway: the
            gate is one model for every theme and must not overrule a theme's model that is
            near certain ("Her flat was full of hoarded newspapers": hoarding 0.99, gate 0.40).
            None: the gate decides alone (models trained before 2026-12-04).
        lone_below, lone_min_units: in a document of at least `lone_min_units` sentences, a
            theme's only counted sentence is vetoed when its probability is below `lone_below`
            (None: never; see the module doc).
        training: data, splits, settings and timings, for the model card.
    """

    name: str
    themes: tuple[str, ...]
    features: SentenceFeatures
    weights: np.ndarray
    intercepts: np.ndarray
    thresholds: np.ndarray
    known_rules: frozenset[str]
    veto_below: float | None = None
    gate: tuple[np.ndarray, float, float] | None = None
    sure_above: float | None = None
    lone_below: float | None = None
    lone_min_units: int = 0
    training: dict[str, Any] = field(default_factory=dict)
    format: int = MODEL_FORMAT

    def probabilities(
        self, texts: Sequence[str], mentions: Sequence[Sequence[Mention]]
    ) -> tuple[np.ndarray, np.ndarray]:
        """Return per-theme probabilities (n_sentences, n_themes) and which sentences pass the gate."""
        if not texts:
            return np.zeros((0, len(self.themes)), dtype=np.float32), np.zeros(0, dtype=bool)
        x = self.features.matrix(texts, mentions)
        probabilities = _sigmoid(np.asarray(x @ self.weights) + self.intercepts)
        if self.gate is None:
            return probabilities, np.ones(len(texts), dtype=bool)
        weights, intercept, threshold = self.gate
        return probabilities, _sigmoid(np.asarray(x @ weights).ravel() + intercept) >= threshold

    def decide(
        self, texts: Sequence[str], mentions: Sequence[Sequence[Mention]]
    ) -> list[tuple[AbstractSet[str], AbstractSet[str]]]:
        """Return, per sentence, the themes the model assigns and the themes whose rule hits it rejects."""
        return self.decisions(*self.probabilities(texts, mentions))

    def decisions(
        self, probabilities: np.ndarray, open_gate: np.ndarray
    ) -> list[tuple[AbstractSet[str], AbstractSet[str]]]:
        """Return `decide`'s answer from the output of `probabilities`.

        Built from the few True cells (assigned) and the few False ones (not rejected): most
        sentences reject every theme, and share one set for it.
        """
        opened = open_gate[:, None]
        if self.sure_above is not None:
            opened = opened | (probabilities >= self.sure_above)
        assigned = (probabilities >= self.thresholds) & opened
        floor = self.thresholds if self.veto_below is None else np.minimum(self.thresholds, self.veto_below)
        kept = (probabilities >= floor) & opened
        assigned_sets: list[set[str]] = [set() for _ in range(len(probabilities))]
        for row, column in zip(*np.nonzero(assigned), strict=True):
            assigned_sets[row].add(self.themes[column])
        kept_sets: list[set[str]] = [set() for _ in range(len(probabilities))]
        for row, column in zip(*np.nonzero(kept), strict=True):
            kept_sets[row].add(self.themes[column])
        every = frozenset(self.themes)
        return [
            (found, every - keep if keep else every)
            for found, keep in zip(assigned_sets, kept_sets, strict=True)
        ]


def _sigmoid(values: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-values))


def save_model(model: LearnedTagger, path: Path) -> int:
    """Write the artifact (compressed joblib, weights as float16, the smallest as zero); return its size."""
    path.parent.mkdir(parents=True, exist_ok=True)
    stored = _with_weights_as(model, STORED_WEIGHTS, zero_below=STORED_ZERO_BELOW)
    joblib.dump(stored, path, compress=COMPRESS_LEVEL)
    return path.stat().st_size


def _with_weights_as(model: LearnedTagger, dtype: type, *, zero_below: float | None = None) -> LearnedTagger:
    """Return the model with its theme and gate weights in `dtype` (those under `zero_below` as zero)."""

    def converted(weights: np.ndarray) -> np.ndarray:  # loading skips the zeroing pass (a tenth of its time)
        kept = weights if zero_below is None else np.where(np.abs(weights) < zero_below, 0, weights)
        return kept.astype(dtype, copy=False)

    gate = None if model.gate is None else (converted(model.gate[0]), model.gate[1], model.gate[2])
    return replace(model, weights=converted(model.weights), gate=gate)


def load_model(path: Path) -> LearnedTagger:
    """Load a trained model artifact; no network needed.

    Raises:
        UsageError: the file is missing or is not a model of this format.
    """
    if not path.is_file():
        raise UsageError(f"No theme model at {path}: train one with `run_pipeline.py train`.")
    model = joblib.load(path)
    if isinstance(model, LearnedTagger) and model.format == 2:  # trained before format 3: same weights
        features = replace(model.features, words=WordFeatures.from_vectorizer(model.features.words))
        model = replace(model, features=features, format=MODEL_FORMAT)
    if not isinstance(model, LearnedTagger) or model.format != MODEL_FORMAT:
        raise UsageError(f"{path} is not a theme model of format {MODEL_FORMAT}: retrain it with `train`.")
    return _with_weights_as(model, np.float32)  # float16 on disk (STORED_WEIGHTS), float32 to compute
