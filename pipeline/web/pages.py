"""What each dashboard page shows: one function per page, from a read-only connection to a `Page`.

Every function runs named queries only (warehouse/queries/*.sql, through
`pipeline.analysis.queries` where the CLI has the same question) and returns the template
context plus the rows a CSV/JSON download of the page holds.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import duckdb
from starlette.datastructures import QueryParams

from pipeline.analysis import queries
from pipeline.analysis.cooccurrence import cooccurrence
from pipeline.analysis.filters import ALL_BUCKETS, METRICS, SHARE_METRICS, TrendFilters
from pipeline.analysis.review import ThemeCheck, precision_estimates, theme_checks
from pipeline.analysis.saturation import saturated_themes
from pipeline.errors import UsageError
from pipeline.outputs.heatmap.matrix import ROW_ORDERS, build_matrix, heatmap_rows
from pipeline.outputs.heatmap.style import SMALL_COLUMN, scale_max
from pipeline.records import DOC_TYPES
from pipeline.tag.taxonomy import GROUPS
from pipeline.web import forms
from pipeline.web.cache import StateCache
from pipeline.web.text import find_match, mark_spans
from warehouse.db import run_query

PAGE_SIZE = 100
DOWNLOAD_LIMIT = 10_000
RECENT_RUNS = 5
RUNS_LIMIT = 100
QUARANTINE_LIMIT = 200
TOP_DOCUMENTS = 15
TOP_COOCCURRING = 12
MIN_PARTNER_DOCUMENTS = 2  # the theme page lists partners sharing at least this many documents
EVIDENCE_COLUMNS = (
    "title",
    "year",
    "doc_type",
    "area",
    "page",
    "section",
    "sentence",
    "matched_text",
    "mentions",
    "counted",
    "reasons",
    "sha256",
)
# Cells with a value fall in bins 1..COLOUR_BINS of the shared colour scale (style.scale_max, the
# scale of every heatmap file); bin 0 is "none".
COLOUR_BINS = 6
TREND_COLUMNS = ("theme", "bucket", "value", "documents", "total_documents", "mentions")


class NotFound(LookupError):
    """The page's subject (a theme, a document) does not exist; the message says what to try."""


@dataclass
class Page:
    """A page's template and context, and the rows its CSV/JSON download holds."""

    template: str
    context: dict[str, Any]
    rows: Sequence[dict[str, Any]] = ()
    columns: Sequence[str] | None = None
    download_name: str = "page"
    title: str = ""


def _offset(params: QueryParams, fmt: str) -> tuple[int, int, int]:
    """Return (page number, limit, offset); a download holds everything up to DOWNLOAD_LIMIT."""
    if fmt != "html":
        return 1, DOWNLOAD_LIMIT, 0
    number = forms.page_number(params)
    return number, PAGE_SIZE, (number - 1) * PAGE_SIZE


def _pages(total: int) -> int:
    return max(1, -(-total // PAGE_SIZE))


def theme_labels(con: duckdb.DuckDBPyConnection) -> dict[str, dict[str, Any]]:
    """Return the active codebook keyed by theme id."""
    return {theme["id"]: theme for theme in queries.active_themes(con)}


def require_theme(themes: dict[str, dict[str, Any]], theme_id: str | None) -> dict[str, Any]:
    """Return a theme of the codebook, or raise NotFound naming where to look."""
    if not theme_id or theme_id not in themes:
        raise NotFound(f"There is no theme {theme_id!r} in the active codebook; see the taxonomy page.")
    return themes[theme_id]


# ---------------------------------------------------------------- overview


def _by_year_and_type(rows: Sequence[dict[str, Any]]) -> dict[str, Any]:
    types = [t for t in DOC_TYPES if any(r["doc_type"] == t for r in rows)]
    types += sorted({r["doc_type"] for r in rows} - set(types))
    years = list(dict.fromkeys(r["year"] for r in rows))
    counts = {(r["year"], r["doc_type"]): r["documents"] for r in rows}
    return {
        "types": types,
        "rows": [{"year": y, "counts": [counts.get((y, t), 0) for t in types]} for y in years],
        "type_totals": [sum(counts.get((y, t), 0) for y in years) for t in types],
    }


def overview(con: duckdb.DuckDBPyConnection, params: QueryParams, fmt: str) -> Page:
    """Documents by year and type, the last runs, and files still quarantined."""
    documents = run_query(con, "web_overview_documents")
    return Page(
        "overview.html",
        {
            "totals": run_query(con, "web_overview_totals")[0],
            "matrix": _by_year_and_type(documents),
            "runs": run_query(con, "runs", limit=RECENT_RUNS),
            "quarantined": run_query(con, "web_quarantine", limit=QUARANTINE_LIMIT),
        },
        rows=documents,
        download_name="documents-by-year-and-type",
        title="Overview",
    )


# ---------------------------------------------------------------- heatmap


def _cell_text(value: float, documents: int, metric: str) -> str:
    if not documents:
        return "·"
    if metric in SHARE_METRICS:
        return f"{value:.0%}"
    return f"{value:.3g}" if metric == "per_10k" else f"{value:.0f}"


def _colour_bin(value: float, documents: int, top: float) -> int:
    if not documents or top <= 0:
        return 0
    return 1 + min(COLOUR_BINS - 1, int(value / top * COLOUR_BINS))


def _heatmap_rows(matrix: Any, filters: forms.HeatmapView) -> list[dict[str, Any]]:
    top = scale_max(matrix)
    cell_params = filters.cell_params()
    rows = []
    for i, theme in enumerate(matrix.themes):
        cells = []
        for j, bucket in enumerate(matrix.buckets):
            value, documents = matrix.values[i][j], matrix.documents[i][j]
            cells.append(
                {
                    "bucket": bucket,
                    "text": _cell_text(value, documents, filters.metric),
                    "bin": _colour_bin(value, documents, top),
                    "documents": documents,
                    "total": matrix.totals[j],
                    "query": forms.query_string(theme=theme, bucket=bucket, **cell_params)
                    if documents
                    else "",
                }
            )
        label, definition = matrix.display_labels[i], matrix.definitions[i]
        rows.append({"theme": theme, "label": label, "definition": definition, "cells": cells})
    return rows


def _legend(metric: str, top: float) -> list[dict[str, Any]]:
    step = (1.0 if metric in SHARE_METRICS else top) / COLOUR_BINS
    fmt = "{:.0%}" if metric in SHARE_METRICS else "{:.3g}"
    return [
        {"bin": n, "label": f"{fmt.format(step * (n - 1))}–{fmt.format(step * n)}"}
        for n in range(1, COLOUR_BINS + 1)
    ]


def heatmap(con: duckdb.DuckDBPyConnection, params: QueryParams, fmt: str) -> Page:
    """Theme x bucket cells with the CLI's metric and filters; each cell links to its evidence."""
    view = forms.HeatmapView.parse(params)
    themes = theme_labels(con)
    in_group = [t for t, theme in themes.items() if view.group in (None, theme.get("group"))]
    chosen = list(view.themes) or in_group
    filters = view.filters.but(themes=tuple(chosen))
    rows = heatmap_rows(con, filters)
    matrix = build_matrix(
        rows,
        {t: theme["label"] for t, theme in themes.items()},
        view.metric,
        by=view.by,
        order=view.order,
        definitions={t: theme.get("definition", "") for t, theme in themes.items()},
        saturation=saturated_themes(con, filters) if view.metric in SHARE_METRICS else None,
        reviewed=view.reviewed,
    )
    top = scale_max(matrix)
    return Page(
        "heatmap.html",
        {
            "filters": view,
            "matrix": matrix,
            "rows": _heatmap_rows(matrix, view),
            "legend": _legend(view.metric, top),
            "options": {
                "buckets": ALL_BUCKETS,
                "orders": ROW_ORDERS,
                "metrics": METRICS,
                "doc_types": DOC_TYPES,
                "areas": [row["area"] for row in run_query(con, "web_areas")],
                "groups": GROUPS,
                "sections": ("body", "summary", "recommendations", "front_matter"),
            },
            "hidden_themes": len(chosen) - len(matrix.themes),
            "small_column": SMALL_COLUMN,
        },
        rows=rows,
        columns=[*TREND_COLUMNS, "prominent_documents"],
        download_name=f"heatmap-by-{view.by}-{view.metric}",
        title="Heatmap",
    )


# ---------------------------------------------------------------- evidence


def evidence(con: duckdb.DuckDBPyConnection, params: QueryParams, fmt: str) -> Page:
    """The sentences behind a cell: title, year, doc_type, page and the highlighted match."""
    theme = require_theme(theme_labels(con), params.get("theme"))
    filters = forms.HeatmapView.parse(params)
    bucket, search = forms.text(params, "bucket"), forms.text(params, "q")
    include_uncounted = params.get("all") == "1"
    number, limit, offset = _offset(params, fmt)
    rows = run_query(
        con,
        "web_evidence",
        **queries.query_params(con, filters.filters),
        theme=theme["id"],
        bucket=bucket,
        patterns=forms.like_patterns(search),
        include_uncounted=include_uncounted,
        limit=limit,
        offset=offset,
    )
    for row in rows:
        row["snippet"] = mark_spans(row["sentence"], row["matches"])
    totals = {
        key: rows[0][key] if rows else 0 for key in ("total_mentions", "total_sentences", "total_documents")
    }
    return Page(
        "evidence.html",
        {
            "theme": theme,
            "filters": filters,
            "bucket": bucket,
            "search": search,
            "include_uncounted": include_uncounted,
            "results": rows,
            **totals,
            "page": number,
            "pages": _pages(totals["total_sentences"]),
        },
        rows=rows,
        columns=EVIDENCE_COLUMNS,
        download_name=f"evidence-{theme['id']}" + (f"-{bucket}" if bucket else ""),
        title=f"Evidence: {theme['label']}",
    )


# ---------------------------------------------------------------- theme


def _status(con: duckdb.DuckDBPyConnection, cache: StateCache, theme_id: str) -> dict[str, Any] | None:
    """Return the theme's rising/falling test, run over all themes as the CLI's `rising` does."""

    def test_all() -> list[dict[str, Any]] | str:
        try:
            return queries.rising(con, include_all=True)
        except UsageError as error:  # e.g. fewer than two years of documents
            return str(error)

    tested = cache.get("rising", test_all)
    if isinstance(tested, str):
        return {"direction": "untested", "note": tested}
    return next((row for row in tested if row["theme"] == theme_id), None)


def _cooccurring(con: duckdb.DuckDBPyConnection, cache: StateCache, theme_id: str) -> list[dict[str, Any]]:
    """Return the themes found with this one more often than chance (lift above 1), strongest first."""

    def all_pairs() -> list[dict[str, Any]]:
        return cooccurrence(con, min_documents=MIN_PARTNER_DOCUMENTS, limit=None)

    pairs = cache.get("cooccurrence", all_pairs)
    partners = [
        {**pair, "other": pair["theme_b"] if pair["theme_a"] == theme_id else pair["theme_a"]}
        for pair in pairs
        if theme_id in (pair["theme_a"], pair["theme_b"]) and pair["lift"] > 1
    ]
    return partners[:TOP_COOCCURRING]


def _check(con: duckdb.DuckDBPyConnection, cache: StateCache, theme_id: str, label: str) -> ThemeCheck:
    """Return how many of the theme's hits people checked and judged right (one query per warehouse state)."""
    estimates = cache.get("review_precision", lambda: precision_estimates(con))
    return theme_checks(estimates, [theme_id], {theme_id: label})[0]


def theme(
    con: duckdb.DuckDBPyConnection, params: QueryParams, fmt: str, theme_id: str, *, cache: StateCache
) -> Page:
    """A theme's trend by year with document counts, its rising/falling status, partners, top documents."""
    themes = theme_labels(con)
    info = require_theme(themes, theme_id)
    trend = queries.trends(con, TrendFilters(themes=(theme_id,)))
    return Page(
        "theme.html",
        {
            "theme": info,
            "themes": themes,
            "trend": trend,
            "status": _status(con, cache, theme_id),
            "check": _check(con, cache, theme_id, info["label"]),
            "cooccurring": _cooccurring(con, cache, theme_id),
            "documents": run_query(con, "web_theme_documents", theme=theme_id, limit=TOP_DOCUMENTS),
        },
        rows=trend,
        columns=["theme", "bucket", "value", "documents", "total_documents", "mentions"],
        download_name=f"theme-{theme_id}-by-year",
        title=info["label"],
    )


# ---------------------------------------------------------------- runs, taxonomy, search


def runs(con: duckdb.DuckDBPyConnection, params: QueryParams, fmt: str) -> Page:
    """The ingestion history with each run's quarantined files."""
    rows = run_query(con, "runs", limit=RUNS_LIMIT)
    return Page("runs.html", {"runs": rows}, rows=rows, download_name="runs", title="Runs")


def taxonomy(con: duckdb.DuckDBPyConnection, params: QueryParams, fmt: str) -> Page:
    """The codebook the warehouse counts with."""
    themes = queries.active_themes(con)
    version = run_query(con, "active_themes")
    return Page(
        "taxonomy.html",
        {"themes": themes, "version": version[0]["version"] if version else None},
        rows=themes,
        columns=["id", "label", "scope", "group", "definition"],
        download_name="taxonomy",
        title="Taxonomy",
    )


def _matching_themes(con: duckdb.DuckDBPyConnection, search: str) -> list[dict[str, Any]]:
    needle = search.lower()
    return [
        theme
        for theme in queries.active_themes(con)
        if any(needle in str(theme.get(key) or "").lower() for key in ("id", "label", "definition"))
    ]


def search(con: duckdb.DuckDBPyConnection, params: QueryParams, fmt: str) -> Page:
    """Themes whose id, label or definition, and sentences whose text, contain the search words."""
    needle = forms.text(params, "q")
    number, limit, offset = _offset(params, fmt)
    sentences = (
        run_query(con, "web_search", patterns=forms.like_patterns(needle), limit=limit, offset=offset)
        if needle
        else []
    )
    for row in sentences:
        row["snippet"] = find_match(row["sentence"], forms.search_terms(needle))
    total = sentences[0]["total"] if sentences else 0
    return Page(
        "search.html",
        {
            "search": needle,
            "themes": _matching_themes(con, needle) if needle else [],
            "labels": theme_labels(con),
            "sentences": sentences,
            "total": total,
            "page": number,
            "pages": _pages(total),
        },
        rows=sentences,
        columns=["title", "year", "doc_type", "page", "sentence", "themes", "sha256"],
        download_name="search",
        title=f"Search: {needle}" if needle else "Search",
    )
