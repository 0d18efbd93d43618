"""Find the files to ingest and read manifests.

A `manifest.csv` (columns `file,title,doc_type,area,year`; `file` relative to the
manifest; empty cells mean "infer") supplies metadata that overrides inference.
"""

from __future__ import annotations

import csv
import logging
import os
from dataclasses import dataclass, replace
from pathlib import Path

from pipeline.errors import ManifestError, UsageError
from pipeline.records import DOC_TYPES, DocumentMetadata

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


def _parse_year(value: str, where: str) -> int | None:
    if not value.strip():
        return None
    try:
        year = int(value)
    except ValueError:
        raise ManifestError(f"{where}: year {value!r} is not a whole number (e.g. 2024)") from None
    if not 1900 <= year <= 2100:
        raise ManifestError(f"{where}: year {year} is out of range")
    return year


def _parse_row(row: dict[str, str], where: str) -> ManifestRow:
    doc_type = (row.get("doc_type") or "").strip() or None
    if doc_type is not None and doc_type not in DOC_TYPES:
        raise ManifestError(f"{where}: doc_type {doc_type!r} is not one of {', '.join(DOC_TYPES)}")
    return ManifestRow(
        title=(row.get("title") or "").strip() or None,
        doc_type=doc_type,
        area=(row.get("area") or "").strip() or None,
        year=_parse_year(row.get("year") or "", where),
    )


def read_manifest(path: Path) -> dict[Path, ManifestRow]:
    """Read a manifest CSV into {resolved file path: row}.

    Raises:
        ManifestError: a missing `file` column, an unknown doc_type or a bad year (file and line named).
    """
    rows: dict[Path, ManifestRow] = {}
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
            rows[(path.parent / name).resolve()] = _parse_row(row, where)
    return rows


def find_manifests(paths: list[Path], explicit: Path | None) -> dict[Path, ManifestRow]:
    """Merge the explicit manifest and any manifest.csv at the top of a given folder."""
    merged: dict[Path, ManifestRow] = {}
    for path in paths:
        candidate = path / MANIFEST_NAME
        if path.is_dir() and candidate.is_file():
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
