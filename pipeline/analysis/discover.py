"""Find what is new that the codebook does not name yet: rising phrases and uncovered topics.

Two kinds of candidate, scored on the same scale so one list ranks them:

* ``term``: a 1-3-word phrase whose *document share* rose most from the years
  before a split year to the years from it on. The rise is the log odds ratio of
  the two shares (add-half smoothed) divided by its standard error, so a phrase in
  5 of 15 recent documents and none of 25 earlier ones outranks a common word
  that merely wobbles. Phrases rising in (mostly) the same documents are grouped
  into one candidate (``related``), so a new theme shows up once with its vocabulary.
* ``topic``: an NMF topic over the sentences no theme covers, scored by the rise
  of the share of documents that have a sentence in it.

Publisher boilerplate (web addresses, inspectorate formulae, template sentences, a
publisher's standing vocabulary) is removed first (`analysis/boilerplate.py`).

Each candidate carries its period, shares, how much of it the codebook already
covers (``coverage``, ``covered_by``), example sentences and documents, so the
learning lead can decide whether to add a theme or a synonym.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

import duckdb
import numpy as np
from scipy import sparse
from sklearn.decomposition import NMF
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, CountVectorizer, TfidfVectorizer

from pipeline.analysis.boilerplate import publisher_phrases, remove_boilerplate
from pipeline.errors import UsageError
from warehouse.db import run_query

RANDOM_STATE = 42
TOKEN_PATTERN = r"(?u)\b[a-zA-Z][a-zA-Z'-]+[a-zA-Z]\b"  # words of 3+ letters, no numbers
MAX_NGRAM = 3
SMOOTHING = 0.5  # add-half (Haldane) correction of the odds ratio
# A phrase joins a better one's candidate when most of the smaller set of documents
# containing either also contains the other (overlap coefficient), from the same split year.
GROUP_OVERLAP = 0.8
MAX_RELATED = 8
RANKED_PER_CANDIDATE = 20  # phrases examined for grouping per candidate returned
COVERAGE_PENALTY = 0.5  # a fully covered phrase keeps half its score: a synonym at best
TOPIC_MIN_WEIGHT = 0.1  # a sentence belongs to its strongest topic above this weight
TOPIC_TOP_WORDS = 4
TOPIC_MAX_DF = 0.5
MAX_DOCUMENTS_LISTED = 10


@dataclass(frozen=True)
class DiscoverSettings:
    """What counts as a candidate and how many to return.

    Attributes:
        since: split year (recent = this year on); default: the year that scores best per candidate.
        min_docs: a candidate must occur in at least this many recent documents.
        min_period_docs: each side of a split needs at least this many documents.
        limit: candidates returned.
        topics: NMF topics over uncovered sentences (0 = none).
        examples: example sentences per candidate.
    """

    since: int | None = None
    min_docs: int = 3
    min_period_docs: int = 3
    limit: int = 15
    topics: int = 8
    examples: int = 3

    def __post_init__(self) -> None:
        """Refuse settings that cannot produce candidates."""
        if self.min_docs < 1 or self.limit < 1 or self.topics < 0 or self.examples < 0:
            raise UsageError("discover: --min-docs and --limit must be >= 1; --topics, --examples >= 0")


@dataclass
class Corpus:
    """Sentences of the dated documents with their counted themes, and the sentence-document map."""

    rows: list[dict[str, Any]]
    doc_ids: list[str]
    doc_years: np.ndarray
    sentence_doc: np.ndarray  # index into doc_ids per sentence

    @classmethod
    def from_rows(cls, rows: list[dict[str, Any]]) -> Corpus:
        """Index the rows of the ``discover_sentences`` query."""
        doc_ids = list(dict.fromkeys(row["sha256"] for row in rows))
        index = {sha: number for number, sha in enumerate(doc_ids)}
        years = {row["sha256"]: row["year"] for row in rows}
        return cls(
            rows=rows,
            doc_ids=doc_ids,
            doc_years=np.array([years[sha] for sha in doc_ids]),
            sentence_doc=np.array([index[row["sha256"]] for row in rows]),
        )

    def doc_presence(self, sentence_matrix: sparse.csr_matrix) -> sparse.csr_matrix:
        """Turn a sentence x feature 0/1 matrix into a document x feature 0/1 matrix."""
        ones = np.ones(len(self.rows))
        owner = sparse.csr_matrix((ones, (self.sentence_doc, np.arange(len(self.rows)))))
        return ((owner @ sentence_matrix) > 0).astype(np.int32).tocsr()


def rise_score(recent: np.ndarray, n_recent: int, earlier: np.ndarray, n_earlier: int) -> np.ndarray:
    """Return the z-score of the log odds ratio of recent vs earlier document shares (vectorised).

    Args:
        recent: documents from the split year on that contain each feature.
        n_recent: documents from the split year on.
        earlier: documents before the split year that contain each feature.
        n_earlier: documents before the split year.
    """
    a, b = recent + SMOOTHING, n_recent - recent + SMOOTHING
    c, d = earlier + SMOOTHING, n_earlier - earlier + SMOOTHING
    return np.log((a * d) / (b * c)) / np.sqrt(1 / a + 1 / b + 1 / c + 1 / d)


def _split_years(years: np.ndarray, settings: DiscoverSettings) -> list[int]:
    """Return the split years with enough documents on both sides."""
    candidates = [settings.since] if settings.since is not None else sorted(set(years.tolist()))
    enough = settings.min_period_docs
    return [year for year in candidates if (years >= year).sum() >= enough and (years < year).sum() >= enough]


@dataclass(frozen=True)
class Rise:
    """The best split of one feature."""

    score: float
    since: int
    recent_docs: int
    share_recent: float
    share_earlier: float


def best_rises(
    presence: sparse.csr_matrix, years: np.ndarray, settings: DiscoverSettings
) -> list[Rise | None]:
    """Return each feature's best-scoring split year (None when no split qualifies)."""
    best: list[Rise | None] = [None] * presence.shape[1]
    for year in _split_years(years, settings):
        recent_mask = years >= year
        recent = np.asarray(presence[recent_mask].sum(axis=0)).ravel()
        earlier = np.asarray(presence[~recent_mask].sum(axis=0)).ravel()
        n_recent, n_earlier = int(recent_mask.sum()), int((~recent_mask).sum())
        scores = rise_score(recent, n_recent, earlier, n_earlier)
        for feature in np.flatnonzero((recent >= settings.min_docs) & (scores > 0)):
            current = best[feature]
            if current is None or scores[feature] > current.score:
                best[feature] = Rise(
                    float(scores[feature]),
                    year,
                    int(recent[feature]),
                    recent[feature] / n_recent,
                    earlier[feature] / n_earlier,
                )
    return best


def _phrase_vectorizer(settings: DiscoverSettings) -> CountVectorizer:
    """Return a binary n-gram counter whose phrases neither start nor end with a stop word."""

    def analyzer(text: str) -> list[str]:
        words = base(text)
        phrases = []
        for size in range(1, MAX_NGRAM + 1):
            for start in range(len(words) - size + 1):
                gram = words[start : start + size]
                if gram[0] not in ENGLISH_STOP_WORDS and gram[-1] not in ENGLISH_STOP_WORDS:
                    phrases.append(" ".join(gram))
        return phrases

    base = CountVectorizer(token_pattern=TOKEN_PATTERN, lowercase=True).build_analyzer()
    return CountVectorizer(analyzer=analyzer, binary=True, min_df=settings.min_docs)


def _coverage(corpus: Corpus, sentences: np.ndarray) -> tuple[float, list[str]]:
    """Return the share of the sentences the codebook matched, and their most common themes."""
    themes = Counter(theme for i in sentences for theme in corpus.rows[i]["themes"])
    covered = sum(1 for i in sentences if corpus.rows[i]["themes"])
    return covered / max(len(sentences), 1), [theme for theme, _ in themes.most_common(3)]


def _examples(corpus: Corpus, sentences: np.ndarray, rise: Rise, count: int) -> list[dict[str, Any]]:
    """Return up to `count` recent example sentences, uncovered ones first, one per document."""
    recent = [i for i in sentences if corpus.rows[i]["year"] >= rise.since]
    recent.sort(key=lambda i: (bool(corpus.rows[i]["themes"]), -corpus.rows[i]["year"], i))
    picked, seen = [], set()
    for i in recent:
        row = corpus.rows[i]
        if row["sha256"] in seen:
            continue
        seen.add(row["sha256"])
        picked.append({k: row[k] for k in ("title", "year", "text", "sha256", "unit_no")})
        if len(picked) == count:
            break
    return picked


def _documents(corpus: Corpus, sentences: np.ndarray, rise: Rise) -> list[str]:
    """Return the titles of the recent documents the candidate occurs in, oldest first."""
    recent = {
        corpus.rows[i]["sha256"]: (corpus.rows[i]["year"], corpus.rows[i]["title"])
        for i in sentences
        if corpus.rows[i]["year"] >= rise.since
    }
    return [title for _, title in sorted(recent.values())[:MAX_DOCUMENTS_LISTED]]


def _candidate(
    kind: str, label: str, rise: Rise, sentences: np.ndarray, corpus: Corpus, settings: DiscoverSettings
) -> dict[str, Any]:
    coverage, covered_by = _coverage(corpus, sentences)
    last_year = int(corpus.doc_years.max())
    return {
        "term": label,
        "kind": kind,
        "score": round(rise.score * (1 - COVERAGE_PENALTY * coverage), 3),
        "rise_z": round(rise.score, 3),
        "period": f"{rise.since}-{last_year}" if rise.since < last_year else str(rise.since),
        "since": rise.since,
        "documents_recent": rise.recent_docs,
        "share_recent": round(rise.share_recent, 3),
        "share_earlier": round(rise.share_earlier, 3),
        "coverage": round(coverage, 3),
        "covered_by": covered_by,
        "related": [],
        "examples": _examples(corpus, sentences, rise, settings.examples),
        "documents": _documents(corpus, sentences, rise),
    }


def _group_phrases(
    ranked: list[int], presence: sparse.csc_matrix, years: np.ndarray, rises: dict[int, Rise]
) -> list[list[int]]:
    """Greedily group phrases (best first) that rose from the same year in mostly the same recent documents.

    Returns:
        Groups of feature indices, each headed by its best-scoring phrase.
    """
    groups: list[tuple[list[int], set[int]]] = []
    for feature in ranked:
        since = rises[feature].since
        docs = {d for d in presence[:, feature].indices.tolist() if years[d] >= since}
        for members, head_docs in groups:
            same_year = rises[members[0]].since == since
            overlap = len(docs & head_docs) / min(len(docs), len(head_docs))
            if same_year and overlap >= GROUP_OVERLAP:
                members.append(feature)
                break
        else:
            groups.append(([feature], docs))
    return [members for members, _ in groups]


def emerging_terms(
    corpus: Corpus, settings: DiscoverSettings, publishers: dict[str, int] | None = None
) -> list[dict[str, Any]]:
    """Return rising-phrase candidates, one per group of phrases rising in the same documents.

    Phrases that are a publisher's vocabulary (in most of its documents, every year) are
    left out before ranking (`boilerplate.publisher_phrases`).
    """
    vectorizer = _phrase_vectorizer(settings)
    try:
        sentence_terms = vectorizer.fit_transform([row["text"] for row in corpus.rows]).tocsr()
    except ValueError:  # no phrase occurs often enough
        return []
    presence = corpus.doc_presence(sentence_terms)
    vocabulary = publisher_phrases(presence, corpus.doc_ids, publishers or {})
    rises = {
        f: r
        for f, r in enumerate(best_rises(presence, corpus.doc_years, settings))
        if r is not None and not vocabulary[f]
    }
    ranked = sorted(rises, key=lambda f: -rises[f].score)[: settings.limit * RANKED_PER_CANDIDATE]
    names = vectorizer.get_feature_names_out()
    by_term = sentence_terms.tocsc()
    candidates = []
    for head, *members in _group_phrases(ranked, presence.tocsc(), corpus.doc_years, rises):
        sentences = by_term[:, head].indices
        candidate = _candidate("term", str(names[head]), rises[head], sentences, corpus, settings)
        candidate["related"] = [str(names[m]) for m in members[:MAX_RELATED]]
        candidates.append(candidate)
    return candidates


def uncovered_topics(corpus: Corpus, settings: DiscoverSettings) -> list[dict[str, Any]]:
    """Return NMF topics over the sentences no theme covers, scored by the rise of their document share."""
    uncovered = np.array([i for i, row in enumerate(corpus.rows) if not row["themes"]])
    if settings.topics == 0 or len(uncovered) < settings.topics * settings.min_docs:
        return []
    tfidf = TfidfVectorizer(
        token_pattern=TOKEN_PATTERN,
        stop_words="english",
        ngram_range=(1, 2),
        min_df=settings.min_docs,
        max_df=TOPIC_MAX_DF,
        sublinear_tf=True,
    )
    matrix = tfidf.fit_transform([corpus.rows[i]["text"] for i in uncovered])
    model = NMF(n_components=settings.topics, init="nndsvda", random_state=RANDOM_STATE, max_iter=400)
    weights = model.fit_transform(matrix)
    strongest = weights.argmax(axis=1)
    assigned = weights.max(axis=1) >= TOPIC_MIN_WEIGHT
    membership = np.zeros((len(corpus.rows), settings.topics), dtype=np.int32)
    membership[uncovered[assigned], strongest[assigned]] = 1
    presence = corpus.doc_presence(sparse.csr_matrix(membership))
    rises = best_rises(presence, corpus.doc_years, settings)
    words = tfidf.get_feature_names_out()
    candidates = []
    for topic, rise in enumerate(rises):
        if rise is None:
            continue
        top = [str(words[i]) for i in np.argsort(-model.components_[topic])[:TOPIC_TOP_WORDS]]
        sentences = np.flatnonzero(membership[:, topic])
        candidates.append(_candidate("topic", " / ".join(top), rise, sentences, corpus, settings))
    return candidates


def discover(
    con: duckdb.DuckDBPyConnection, settings: DiscoverSettings | None = None
) -> list[dict[str, Any]]:
    """Return candidate new themes or synonyms, best first.

    Args:
        con: a warehouse connection (read-only is enough).
        settings: split year, thresholds and sizes.

    Returns:
        Dicts with ``term``, ``kind`` (term | topic), ``score``, ``period``, shares,
        ``coverage``/``covered_by``, ``related`` phrases, ``examples`` and ``documents``.
    """
    settings = settings or DiscoverSettings()
    rows, publishers = remove_boilerplate(run_query(con, "discover_sentences"))
    corpus = Corpus.from_rows(rows)
    if not corpus.rows:
        return []
    candidates = emerging_terms(corpus, settings, publishers) + uncovered_topics(corpus, settings)
    candidates.sort(key=lambda c: (-c["score"], c["term"]))
    return [{"rank": rank, **c} for rank, c in enumerate(candidates[: settings.limit], start=1)]

