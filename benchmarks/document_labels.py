"""The document-level labels (corpus/labelled/documents.jsonl): read them, find their quotes, score.

One JSON line per (report, theme) that an annotator marked discussed: whether two independent
annotators (adjudicated where they disagreed) found the theme *discussed* and *prominent* in
the report, with their quotes as character offsets into the report's extracted text plus a
hash of the quoted characters, never the text itself (see documents.md). A theme without a
row is not discussed in that report. The reports are read from ../shared, so everything here
works only where ../shared is present.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pipeline.paths import PROJECT_ROOT

LABELS_PATH = PROJECT_ROOT / "corpus" / "labelled" / "documents.jsonl"
SHARED = PROJECT_ROOT.parent / "shared"
SOURCE_FOLDERS = (SHARED / "corpus" / "real", SHARED / "seeds")
SPLITS = ("calibration", "held_out")
PREFIX_CHARS = 16  # a quote whose offsets no longer fit is looked for by the hash of its first characters
QUOTE_HASH_CHARS = 16  # 64 bits of sha256 tell a quote from any other passage of its report


def sha256_text(text: str) -> str:
    """Return the hex sha256 of a text's UTF-8 bytes."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def read_labels(path: Path = LABELS_PATH) -> list[dict[str, Any]]:
    """Return the label rows, one per (file, theme)."""
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def source_path(file: str) -> Path:
    """Return where a labelled report lives under ../shared (FileNotFoundError when absent)."""
    for folder in SOURCE_FOLDERS:
        if (folder / file).exists():
            return folder / file
    raise FileNotFoundError(f"{file} is not in {', '.join(str(f) for f in SOURCE_FOLDERS)}")


def shared_available(rows: Iterable[dict[str, Any]] | None = None) -> bool:
    """Return whether every labelled report can be read from ../shared."""
    try:
        for file in {row["file"] for row in (rows if rows is not None else read_labels())}:
            source_path(file)
    except FileNotFoundError:
        return False
    return True


def quote_ref(text: str, start: int, end: int) -> dict[str, Any]:
    """Return how a quote is kept: offsets, a hash of the quoted characters and of its first ones."""
    quoted = text[start:end]
    return {
        "start": start,
        "end": end,
        "sha256": _short_hash(quoted),
        "prefix": _short_hash(quoted[:PREFIX_CHARS]),
    }


def _short_hash(text: str) -> str:
    return sha256_text(text)[:QUOTE_HASH_CHARS]


class QuoteFinder:
    """Find stored quotes in a document's current text: by offsets, or by hash when the text moved."""

    def __init__(self, text: str) -> None:
        """Keep the text; the prefix index is built on the first quote that needs it."""
        self.text = text
        self._prefixes: dict[str, list[int]] | None = None

    def find(self, ref: dict[str, Any]) -> tuple[int, int] | None:
        """Return the (start, end) of the quote in the text, or None when it is no longer there."""
        start, end = ref["start"], ref["end"]
        if _short_hash(self.text[start:end]) == ref["sha256"]:
            return start, end
        length = end - start
        for candidate in self._prefix_index().get(ref["prefix"], []):
            if _short_hash(self.text[candidate : candidate + length]) == ref["sha256"]:
                return candidate, candidate + length
        return None

    def _prefix_index(self) -> dict[str, list[int]]:
        if self._prefixes is None:
            self._prefixes = {}
            for i in range(len(self.text) - PREFIX_CHARS + 1):
                self._prefixes.setdefault(_short_hash(self.text[i : i + PREFIX_CHARS]), []).append(i)
        return self._prefixes


@dataclass(frozen=True)
class Scores:
    """Precision, recall and F1 of predicted (file, theme) pairs against the labelled ones."""

    precision: float
    recall: float
    f1: float
    predicted: int
    labelled: int

    def __str__(self) -> str:
        """Return the scores as one readable line."""
        return (
            f"F1 {self.f1:.3f} (P {self.precision:.3f}, R {self.recall:.3f}; "
            f"{self.predicted} predicted, {self.labelled} labelled)"
        )


def score(predicted: set[tuple[str, str]], labelled: set[tuple[str, str]]) -> Scores:
    """Return micro precision, recall and F1 over (file, theme) pairs."""
    hits = len(predicted & labelled)
    precision = hits / len(predicted) if predicted else 1.0
    recall = hits / len(labelled) if labelled else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return Scores(precision, recall, f1, len(predicted), len(labelled))


def labelled_pairs(
    rows: Sequence[dict[str, Any]], key: str, split: str | None = None
) -> set[tuple[str, str]]:
    """Return the (file, theme) pairs labelled `key` (discussed | prominent), in one split or all."""
    return {(r["file"], r["theme"]) for r in rows if r[key] and (split is None or r["split"] == split)}


def split_files(rows: Sequence[dict[str, Any]], split: str | None = None) -> list[str]:
    """Return the labelled files of one split (all when None), in file order."""
    return sorted({r["file"] for r in rows if split is None or r["split"] == split})
