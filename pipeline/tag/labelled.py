"""Labelled sentences: reading them, and re-deriving the text of those keyed to a source file.

Two kinds of line, one JSON object each:
- with text: ``{"id", "text", "themes", "split"?, "genre"?, "source"?}`` (our own written
  sentences, or any labelled set a partnership makes);
- keyed: ``{"id", "file", "sha256", "start", "end", "text_hash", "themes", ...}`` for
  sentences of real reports we may not copy: the text is re-derived by extracting the file
  (found by name in the given folders, checked by sha256) and taking the sentence unit at
  those offsets, or, if extraction has since moved the offsets, the unit whose normalised
  text has the same hash. Lines that cannot be re-derived are counted, never guessed.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipeline.errors import UsageError
from pipeline.records import Mention
from pipeline.tag.learned_training import LabelledSentence

HASH_CHARS = 16


def text_hash(text: str) -> str:
    """Return the short hash of a sentence's normalised text (lower case, single spaces)."""
    normalised = re.sub(r"\s+", " ", text.strip().lower())
    return hashlib.sha256(normalised.encode("utf-8")).hexdigest()[:HASH_CHARS]


def read_labelled(path: Path) -> list[dict[str, Any]]:
    """Read a labelled JSONL file; raise UsageError naming the first bad line."""
    rows = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise UsageError(f"{path}:{number}: not JSON ({exc.msg})") from None
        if not isinstance(row, dict) or not isinstance(row.get("themes"), list):
            raise UsageError(f'{path}:{number}: expected an object with a "themes" list')
        if "text" not in row and not {"file", "start", "end", "text_hash"} <= set(row):
            raise UsageError(f'{path}:{number}: needs "text", or "file", "start", "end" and "text_hash"')
        rows.append(row)
    return rows


def sentence_of(row: dict[str, Any], text: str) -> LabelledSentence:
    """Return the labelled sentence of a row, given its text."""
    return LabelledSentence(
        id=str(row.get("id", "")),
        text=text,
        themes=frozenset(row["themes"]),
        split=str(row.get("split", "test")),
        genre=str(row.get("genre", "")),
        source=str(row.get("source") or row.get("file") or row.get("writer") or ""),
    )


@dataclass
class Resolved:
    """Labelled sentences with text, the rule mentions of keyed ones, and what could not be resolved."""

    sentences: list[LabelledSentence] = field(default_factory=list)
    mentions: list[list[Mention] | None] = field(default_factory=list)  # keyed rows: the rules' mentions
    missing_files: set[str] = field(default_factory=set)
    unresolved: int = 0


def _find(name: str, folders: Sequence[Path]) -> Path | None:
    return next((folder / name for folder in folders if (folder / name).is_file()), None)


def resolve(rows: Iterable[dict[str, Any]], folders: Sequence[Path], tagger: Any) -> Resolved:
    """Give every row its text: keyed rows by extracting their file and tagging it as ingest does.

    Args:
        rows: labelled rows (see the module doc).
        folders: where keyed rows' files are looked for, by name.
        tagger: a ``VersionedTagger`` (rules only for training; its mentions are kept).
    """
    from pipeline.extract.document import extract_document

    result = Resolved()
    keyed: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        if "text" in row:
            result.sentences.append(sentence_of(row, str(row["text"])))
            result.mentions.append(None)
        else:
            keyed[str(row["file"])].append(row)
    for name, file_rows in sorted(keyed.items()):
        path = _find(name, folders)
        if path is None:
            result.missing_files.add(name)
            result.unresolved += len(file_rows)
            continue
        tagged = tagger.tag_document(extract_document(path))
        by_span = {(u.start, u.end): u for u in tagged.units}
        by_hash = {text_hash(u.text): u for u in tagged.units}
        unit_mentions: dict[int, list[Mention]] = defaultdict(list)
        for mention in tagged.mentions:
            unit_mentions[mention.unit_no].append(mention)
        for row in file_rows:
            unit = by_span.get((row["start"], row["end"]))
            if unit is None or text_hash(unit.text) != row["text_hash"]:
                unit = by_hash.get(row["text_hash"])
            if unit is None:
                result.unresolved += 1
                continue
            result.sentences.append(sentence_of(row, unit.text))
            result.mentions.append(unit_mentions[unit.unit_no])
    return result


def tagged_sentences(
    rows: Iterable[dict[str, Any]], folders: Sequence[Path], tagger: Any
) -> tuple[list[LabelledSentence], list[list[Mention]], Resolved]:
    """Return the labelled sentences with their mentions from ``tagger`` (keyed rows as in their document)."""
    resolved = resolve(rows, folders, tagger)
    pending = [i for i, found in enumerate(resolved.mentions) if found is None]
    tagged = iter(tagger.tag_texts([resolved.sentences[i].text for i in pending]))
    mentions = [found if found is not None else next(tagged) for found in resolved.mentions]
    return resolved.sentences, mentions, resolved


def reviewed_rows(con: Any) -> list[dict[str, Any]]:
    """Return a warehouse's reviewed sentences as labelled rows: stored themes corrected by the reviews."""
    from warehouse.db import run_query

    decisions: dict[tuple[str, int], dict[str, str]] = {}
    for row in run_query(con, "train_reviewed_labels"):
        decisions.setdefault((row["sha256"], row["unit_no"]), {})[row["theme"]] = row["decision"]
    rows = []
    for row in run_query(con, "train_sentences", min_chars=1):
        reviewed = decisions.get((row["sha256"], row["unit_no"]))
        if reviewed is None:
            continue
        rejected = {theme for theme, decision in reviewed.items() if decision == "reject"}
        themes = (set(row["rule_themes"]) | set(reviewed)) - rejected
        rows.append(
            {
                "id": f"{row['sha256'][:12]}:{row['unit_no']}",
                "text": row["text"],
                "themes": sorted(themes),
                "split": "train",
                "genre": "reviewed",
                "source": Path(row["path"]).name,
            }
        )
    return rows


def corpus_rows(corpus: Path) -> list[dict[str, Any]]:
    """Read every sentences-*.jsonl of a labelled-corpus folder, without its test split."""
    rows = [row for path in sorted(corpus.glob("sentences-*.jsonl")) for row in read_labelled(path)]
    return [row for row in rows if row.get("split") != "test"]


def train_from_rows(
    rows: Sequence[dict[str, Any]], folders: Sequence[Path], taxonomy: Any, settings: Any = None
) -> tuple[Any, Resolved]:
    """Train the learned tagger on labelled rows (keyed ones re-derived from ``folders``; unresolved skipped).

    Rows without a split count as training data. Returns the `TrainedModel` and what was resolved.
    """
    from pipeline.tag.learned_training import train_model
    from pipeline.tag.tagger import VersionedTagger

    rows = [row if "split" in row else {**row, "split": "train"} for row in rows]
    sentences, mentions, resolved = tagged_sentences(rows, folders, VersionedTagger(taxonomy))
    trained = train_model(sentences, mentions, taxonomy, settings)
    trained.report["sentences"]["keyed_not_found"] = resolved.unresolved
    return trained, resolved
