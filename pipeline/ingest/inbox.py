"""Find the files to ingest and read manifests.

A `manifest.csv` (columns `file,title,doc_type,area,year`; `file` relative to the
manifest; empty cells mean "infer") supplies metadata that overrides inference.
"""

from __future__ import annotations

import csv
import logging
import os
from dataclasses import dataclass, field, replace
from pathlib import Path

from pipeline.errors import ManifestError, UsageError
from pipeline.records import DocumentMetadata
from pipeline.vocabulary import normalise_doc_type, parse_year

MANIFEST_NAME = "manifest.csv"
MANIFEST_COLUMNS = ("file", "title", "doc_type", "area", "year")
SKIPPED_NAMES = (MANIFEST_NAME,)
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ManifestRow:
    """Metadata a user supplied for one file; None means infer it."""

    title: str | None = None
    doc_type: str | None = None
    area: str | None = None
    year: int | None = None
    where: str = field(default="", compare=False)  # "manifest.csv:3", for messages
    written_at: float = field(default=0.0, compare=False)  # the manifest's mtime: newer edits win

    def cells(self) -> dict[str, str | int]:
        """Return the metadata this row sets (its non-empty cells)."""
        values = {"title": self.title, "doc_type": self.doc_type, "area": self.area, "year": self.year}
        return {name: value for name, value in values.items() if value is not None}


def find_files(paths: list[Path], suffixes: tuple[str, ...], *, follow_links: bool = False) -> list[Path]:
    """List the files under `paths` (folders searched recursively), sorted, de-duplicated.

    Files with an unsupported suffix inside folders are left out; a file named
    directly is kept whatever its suffix, so the user hears why it was refused.
    A symbolic link found in a folder is followed only when it points inside one of
    the folders scanned (or `follow_links`): a link to a file elsewhere is not read.

    Raises:
        UsageError: a path does not exist.
    """
    found: dict[Path, None] = {}
    roots = [path.resolve() for path in paths]
    for path in paths:
        if not path.exists():
            raise UsageError(f"No such file or folder: {path}")
        if path.is_file():
            found[path.resolve()] = None
            continue
        for folder, _, names in os.walk(path, followlinks=follow_links):
            for name in sorted(names):
                child = Path(folder) / name
                if child.suffix.lower() not in suffixes or name in SKIPPED_NAMES or not child.is_file():
                    continue
                target = child.resolve()
                if follow_links or not child.is_symlink() or any(target.is_relative_to(r) for r in roots):
                    found[target] = None
                else:
                    log.warning("skipped %s: a link to %s, outside the folders scanned", child, target)
    return sorted(found)


def _parse_row(row: dict[str, str], where: str, written_at: float) -> ManifestRow:
    """Read one manifest row: doc types by any common name or case, years as 2023 or 2022-23."""
    doc_type, year = (row.get("doc_type") or "").strip(), (row.get("year") or "").strip()
    try:
        return ManifestRow(
            title=(row.get("title") or "").strip() or None,
            doc_type=normalise_doc_type(doc_type) if doc_type else None,
            area=" ".join((row.get("area") or "").split()) or None,
            year=parse_year(year) if year else None,
            where=where,
            written_at=written_at,
        )
    except UsageError as error:
        raise ManifestError(f"{where}: {error}") from None


def read_manifest(path: Path) -> dict[Path, ManifestRow]:
    """Read a manifest CSV into {resolved file path: row}.

    Raises:
        ManifestError: a missing `file` column, an unknown doc_type or a bad year (file and line named).
    """
    rows: dict[Path, ManifestRow] = {}
    written_at = path.stat().st_mtime
    with path.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle)
        if not reader.fieldnames or "file" not in reader.fieldnames:
            columns = ",".join(MANIFEST_COLUMNS)
            raise ManifestError(f"{path}:1: the manifest needs a 'file' column ({columns})")
        for row in reader:
            where = f"{path}:{reader.line_num}"
            name = (row.get("file") or "").strip()
            if not name:
                raise ManifestError(f"{where}: the 'file' cell is empty")
            rows[(path.parent / name).resolve()] = _parse_row(row, where, written_at)
    return rows


def find_manifests(paths: list[Path], explicit: Path | None) -> dict[Path, ManifestRow]:
    """Merge every manifest.csv in the folders' trees (a deeper one wins) and then the explicit one."""
    merged: dict[Path, ManifestRow] = {}
    for path in paths:
        if not path.is_dir():
            continue
        found = [candidate for candidate in path.rglob(MANIFEST_NAME) if candidate.is_file()]
        for candidate in sorted(found, key=lambda p: (len(p.parts), str(p))):
            merged.update(read_manifest(candidate))
    if explicit is not None:
        if not explicit.is_file():
            raise ManifestError(f"Manifest not found: {explicit}")
        merged.update(read_manifest(explicit))
    return merged


def apply_manifest(inferred: DocumentMetadata, row: ManifestRow | None) -> DocumentMetadata:
    """Return `inferred` with every non-empty manifest cell taking precedence."""
    if row is None:
        return inferred
    return replace(
        inferred,
        title=row.title or inferred.title,
        doc_type=row.doc_type or inferred.doc_type,
        area=row.area or inferred.area,
        year=row.year if row.year is not None else inferred.year,
    )


def missing_files(manifests: dict[Path, ManifestRow]) -> list[str]:
    """Return a warning for every manifest row that names a file which is not there."""
    return [
        f"{row.where}: the manifest names {path.name}, which is not there (check the file name)"
        for path, row in manifests.items()
        if not path.exists()
    ]
