"""The learning lead's questions, as functions over the named SQL queries.

Each function validates its arguments (unknown theme ids, buckets, metrics give a
UsageError that lists the valid values) and runs one named query from
warehouse/queries; the CLI and the web dashboard share them.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import duckdb

from pipeline.errors import UsageError
from pipeline.taxonomy import load_taxonomy
from warehouse.db import run_query

BUCKETS = ("year", "doc_type", "area")
METRICS = ("share", "documents", "mentions", "per_10k")
DEFAULT_EVIDENCE_LIMIT = 20


def active_themes(con: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    """Return the codebook the warehouse counts with (the taxonomy file's, before any ingest)."""
    rows = run_query(con, "active_themes")
    if rows:
        return [json.loads(row["theme"]) if isinstance(row["theme"], str) else row["theme"] for row in rows]
    taxonomy = load_taxonomy()
    return [
        {"id": t.id, "label": t.label, "scope": t.scope, "group": t.group, "definition": t.definition}
        for t in taxonomy.themes
    ]


def resolve_themes(con: duckdb.DuckDBPyConnection, requested: Sequence[str] | None) -> list[str]:
    """Return the requested theme ids (all when none), refusing unknown ones.

    Raises:
        UsageError: an id is not in the active taxonomy (the message lists the valid ids).
    """
    valid = [theme["id"] for theme in active_themes(con)]
    if not requested:
        return valid
    unknown = [theme for theme in requested if theme not in valid]
    if unknown:
        raise UsageError(f"Unknown theme id(s): {', '.join(unknown)}. Valid ids: {', '.join(sorted(valid))}")
    return list(dict.fromkeys(requested))


def _check_choice(value: str, choices: Sequence[str], what: str) -> None:
    if value not in choices:
        raise UsageError(f"Unknown {what} {value!r}; choose one of {', '.join(choices)}")


def _optional_list(values: Sequence[str] | None) -> list[str] | None:
    return list(values) if values else None


def trends(
    con: duckdb.DuckDBPyConnection,
    *,
    themes: Sequence[str] | None = None,
    by: str = "year",
    metric: str = "share",
    doc_types: Sequence[str] | None = None,
    areas: Sequence[str] | None = None,
    since: int | None = None,
    until: int | None = None,
    sections: Sequence[str] | None = None,
) -> list[dict[str, Any]]:
    """Return every (theme, bucket) cell with its value and document counts, zeros included."""
    _check_choice(by, BUCKETS, "--by")
    _check_choice(metric, METRICS, "--metric")
    return run_query(
        con,
        "trends",
        themes=resolve_themes(con, themes),
        by=by,
        metric=metric,
        doc_types=_optional_list(doc_types),
        areas=_optional_list(areas),
        since=since,
        until=until,
        sections=_optional_list(sections),
    )


def recurring(
    con: duckdb.DuckDBPyConnection, *, min_years: int = 3, doc_types: Sequence[str] | None = None
) -> list[dict[str, Any]]:
    """Return themes with counted mentions in at least `min_years` distinct years."""
    if min_years < 1:
        raise UsageError("--min-years must be at least 1")
    return run_query(con, "recurring", min_years=min_years, doc_types=_optional_list(doc_types))


def evidence(
    con: duckdb.DuckDBPyConnection,
    *,
    theme: str,
    year: int | None = None,
    doc_types: Sequence[str] | None = None,
    areas: Sequence[str] | None = None,
    search: str | None = None,
    include_uncounted: bool = False,
    limit: int = DEFAULT_EVIDENCE_LIMIT,
) -> list[dict[str, Any]]:
    """Return the sentences behind a theme's numbers (title, year, doc_type, page, sentence, match)."""
    resolve_themes(con, [theme])
    if limit < 1:
        raise UsageError("--limit must be at least 1")
    return run_query(
        con,
        "evidence",
        theme=theme,
        year=year,
        doc_types=_optional_list(doc_types),
        areas=_optional_list(areas),
        search=search or None,
        include_uncounted=include_uncounted,
        limit=limit,
    )


def pivot_trends(rows: Sequence[dict[str, Any]]) -> tuple[list[str], dict[str, dict[str, dict[str, Any]]]]:
    """Turn trend rows into (buckets in order, {theme: {bucket: row}})."""
    buckets = list(dict.fromkeys(row["bucket"] for row in rows))
    table: dict[str, dict[str, dict[str, Any]]] = {}
    for row in rows:
        table.setdefault(row["theme"], {})[row["bucket"]] = row
    return buckets, table
