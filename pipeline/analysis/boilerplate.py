"""Publisher boilerplate, kept out of `discover` before anything is ranked.

Real reports repeat their publisher's furniture: the inspectorate's address and web
links on every letter, "His Majesty's Inspector", copyright and licence notes, the
same template sentences in every report of a series. A rise in such text is a change
of template, not an emerging theme, yet it ranked first ("majesty inspector", "reports
ofsted", "street", "report available", "www gov"). Three filters, in order:

1. web addresses and e-mail addresses are cut out of every sentence, with a short list
   of inspectorate and publishing formulae (`FORMULAE`);
2. a sentence that recurs word for word (digits aside) in several documents, and in at
   least half of its publisher's documents, is template text and is dropped (an emerging
   theme's sentences are rarely word for word the same in half a publisher's reports);
3. a phrase found in most documents of one publisher over all years is that publisher's
   vocabulary (`publisher_phrases`); publishers are told apart by the template sentences
   their documents share, so no publisher list is needed.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

import numpy as np
from scipy import sparse

# A sentence repeated in at least this many documents, and in this share of its publisher's, is template text.
RECURRING_MIN_DOCUMENTS = 3
TEMPLATE_SHARE = 0.5
# Two documents sharing this many template sentences come from one publisher (one template).
SHARED_TEMPLATE_SENTENCES = 2
# A phrase in at least this share of a publisher's documents (of at least this many) is its vocabulary.
PUBLISHER_SHARE = 0.8
PUBLISHER_MIN_DOCUMENTS = 5
WEB_ADDRESS = re.compile(
    r"(?:https?://|www\.)\S+|\S+@\S+\.\w+|\b[\w-]+(?:\.[\w-]+)*\.(?:gov|org|co|ac|nhs|police|sch)\.uk\S*"
    r"|\b[\w-]+\.(?:com|org|net|uk)\b\S*",
    re.IGNORECASE,
)
FORMULAE = re.compile(
    r"\b(?:his|her) majesty[’']?s?(?: chief)? inspectors?(?: of \w+)?\b"
    r"|\b(?:crown copyright|open government licen[cs]e|this (?:report|publication|letter) is available"
    r"|you are encouraged to|reports? (?:is|are) available|lead inspector|inspection dates?"
    r"|piccadilly gate|store street|textphone)\b",
    re.IGNORECASE,
)
NORMALISE = re.compile(r"[^a-z]+")


def sentence_key(text: str) -> str:
    """Return a sentence as compared for recurrence: letters only, lower case (digits, dates aside)."""
    return NORMALISE.sub(" ", text.lower()).strip()


def strip_furniture(text: str) -> str:
    """Return a sentence without web and e-mail addresses and publishing formulae."""
    return " ".join(FORMULAE.sub(" ", WEB_ADDRESS.sub(" ", text)).split())


def _template_sentences(rows: Sequence[dict[str, Any]]) -> dict[str, set[str]]:
    """Return {sentence key: documents} for the sentences that recur in several documents."""
    documents: dict[str, set[str]] = defaultdict(set)
    for row in rows:
        key = sentence_key(row["text"])
        if key:
            documents[key].add(row["sha256"])
    return {key: docs for key, docs in documents.items() if len(docs) >= RECURRING_MIN_DOCUMENTS}


def publisher_groups(templates: dict[str, set[str]]) -> dict[str, int]:
    """Group documents that share template sentences (one publisher, one template): {sha256: group}."""
    shared: dict[tuple[str, str], int] = defaultdict(int)
    for docs in templates.values():
        ordered = sorted(docs)
        for i, first in enumerate(ordered):
            for second in ordered[i + 1 :]:
                shared[first, second] += 1
    parent: dict[str, str] = {}

    def root(doc: str) -> str:
        while parent.setdefault(doc, doc) != doc:
            doc = parent[doc]
        return doc

    for (first, second), count in shared.items():
        if count >= SHARED_TEMPLATE_SENTENCES:
            parent[root(first)] = root(second)
    roots = sorted({root(doc) for doc in list(parent)})
    return {doc: roots.index(root(doc)) for doc in list(parent)}


def _is_template(documents: set[str], groups: dict[str, int], sizes: dict[int, int]) -> bool:
    """Return whether a recurring sentence is in at least TEMPLATE_SHARE of some publisher's documents."""
    counts: dict[int, int] = defaultdict(int)
    for doc in documents:
        if doc in groups:
            counts[groups[doc]] += 1
    return any(count >= TEMPLATE_SHARE * sizes[group] for group, count in counts.items())


def remove_boilerplate(rows: Sequence[dict[str, Any]]) -> tuple[list[dict[str, Any]], dict[str, int]]:
    """Return the sentences without template sentences and furniture, and each document's publisher group."""
    recurring = _template_sentences(rows)
    groups = publisher_groups(recurring)
    sizes: dict[int, int] = defaultdict(int)
    for group in groups.values():
        sizes[group] += 1
    templates = {key for key, docs in recurring.items() if _is_template(docs, groups, sizes)}
    kept = []
    for row in rows:
        if sentence_key(row["text"]) in templates:
            continue
        text = strip_furniture(row["text"])
        if text:
            kept.append({**row, "text": text})
    return kept, groups


def publisher_phrases(
    presence: sparse.csr_matrix, doc_ids: Sequence[str], groups: dict[str, int]
) -> np.ndarray:
    """Return a mask of the features (columns of a document x phrase 0/1 matrix) that are some
    publisher's vocabulary: in at least PUBLISHER_SHARE of its documents, over all years."""
    mask = np.zeros(presence.shape[1], dtype=bool)
    members: dict[int, list[int]] = defaultdict(list)
    for row, doc in enumerate(doc_ids):
        if doc in groups:
            members[groups[doc]].append(row)
    for rows in members.values():
        if len(rows) >= PUBLISHER_MIN_DOCUMENTS:
            share = np.asarray(presence[rows].sum(axis=0)).ravel() / len(rows)
            mask |= share >= PUBLISHER_SHARE
    return mask
