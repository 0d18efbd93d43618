"""Correct a stored document's title, type, area or year, and keep a record of who changed what.

Two ways in, one write path (`apply_changes`, under the writer lock):
- a manifest row is re-applied on every run to the document already stored at its
  path, so a manifest added or edited after the first ingest takes effect (a field set
  by hand with `documents set` after the manifest was written is left as it is);
- `documents set` changes one document, named by a sha256 prefix or its path.
Every change lands in `metadata_changes` (field, old and new value, source, who, when).
"""

from __future__ import annotations

import getpass
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb

from pipeline.errors import UsageError
from pipeline.ingest.inbox import ManifestRow
from pipeline.vocabulary import normalise_doc_type, parse_year
from warehouse.db import run_query, run_statement, transaction

FIELDS = ("title", "doc_type", "area", "year")
MANIFEST, BY_HAND = "manifest", "documents set"
MIN_PREFIX_CHARS = 6


@dataclass(frozen=True)
class MetadataChange:
    """One field of one document, from its stored value to a corrected one."""

    sha256: str
    path: str
    field: str
    old_value: Any
    new_value: Any
    source: str
    note: str | None = None


def _differs(old: Any, new: Any) -> bool:
    return (None if old is None else str(old)) != (None if new is None else str(new))


Manifests = dict[Path, ManifestRow]


def manifest_changes(con: duckdb.DuckDBPyConnection, manifests: Manifests) -> list[MetadataChange]:
    """Return what the manifests would change in the documents already stored at their paths."""
    if not manifests:
        return []
    paths = [str(path) for path in manifests]
    stored = {row["path"]: row for row in run_query(con, "metadata_at_paths", paths=paths)}
    edits = run_query(con, "hand_edits")
    hand_edits = {(row["sha256"], row["field"]): row["changed_epoch"] for row in edits}
    changes = []
    for path, row in manifests.items():
        document = stored.get(str(path))
        if document is None:
            continue
        for field, value in row.cells().items():
            edited = hand_edits.get((document["sha256"], field))
            if not _differs(document[field], value) or (edited is not None and edited > row.written_at):
                continue
            sha256, old = document["sha256"], document[field]
            changes.append(MetadataChange(sha256, str(path), field, old, value, MANIFEST, row.where))
    return changes


def apply_changes(
    con: duckdb.DuckDBPyConnection, changes: list[MetadataChange], *, who: str | None = None
) -> None:
    """Write the changes and their record in one transaction (all or none)."""
    if not changes:
        return
    with transaction(con):
        for change in changes:
            run_statement(
                con,
                "set_document_field",
                sha256=change.sha256,
                field=change.field,
                old_value=None if change.old_value is None else str(change.old_value),
                new_value=None if change.new_value is None else str(change.new_value),
                metadata_source="manifest" if change.source == MANIFEST else "edited",
                source=change.source,
                changed_by=who or getpass.getuser(),
                note=change.note,
            )


def reapply_manifests(con: duckdb.DuckDBPyConnection, manifests: Manifests) -> list[MetadataChange]:
    """Apply every manifest row to the document stored at its path; return what changed."""
    changes = manifest_changes(con, manifests)
    apply_changes(con, changes)
    return changes


def find_document(con: duckdb.DuckDBPyConnection, ref: str) -> dict[str, Any]:
    """Return the stored document a reference names: a sha256 prefix (6+ characters) or a path.

    Raises:
        UsageError: nothing or several documents match.
    """
    ref = ref.strip()
    as_path = str(Path(ref).expanduser().resolve()) if ("/" in ref or Path(ref).exists()) else ref
    rows = run_query(con, "metadata_of_document", ref=as_path)
    if as_path == ref and len(ref) < MIN_PREFIX_CHARS:
        rows = []
    if not rows:
        raise UsageError(
            f"No document {ref!r}: give its path, or 6+ characters of the sha256 `documents` lists."
        )
    if len(rows) > 1:
        raise UsageError(f"{ref!r} matches {len(rows)} documents: give more characters of the sha256.")
    return rows[0]


def _clean(field: str, value: str) -> Any:
    text = " ".join(str(value).split())
    if not text:
        raise UsageError(f"--{field.replace('_', '-')} is empty; give the corrected value.")
    if field == "doc_type":
        return normalise_doc_type(text)
    return parse_year(text) if field == "year" else text


def set_metadata(
    con: duckdb.DuckDBPyConnection,
    ref: str,
    values: dict[str, str | None],
    *,
    who: str | None = None,
    note: str | None = None,
) -> list[MetadataChange]:
    """Correct a document's title, doc_type, area and/or year by hand; return what changed.

    Raises:
        UsageError: an unknown document, nothing to set, or a value that is not valid.
    """
    given = {field: value for field, value in values.items() if value is not None}
    if not given:
        raise UsageError("Give at least one of --title, --doc-type, --area, --year.")
    document = find_document(con, ref)
    changes = [
        MetadataChange(document["sha256"], document["path"], field, document[field], new, BY_HAND, note)
        for field, new in ((field, _clean(field, value)) for field, value in given.items())
        if _differs(document[field], new)
    ]
    apply_changes(con, changes, who=who)
    return changes
