"""Saturated themes: found in nearly every document of every year, so their share says nothing.

Framework headings (supervision, thresholds, voice of the child, multi-agency working) are
discussed in 96-100% of inspection reports each year; a board heatmap led by them hides what
changes. A theme is *saturated* when it is discussed in at least `saturated_share` (the
document theme settings, 90% by default) of the documents of every year under the filters;
outputs mark it and show beside it the share of documents where it is *prominent*, which
still tells a main concern from a heading every report has.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import duckdb

from pipeline.analysis import queries
from pipeline.analysis.filters import TrendFilters
from warehouse.db import run_query

UNKNOWN_YEAR = "unknown"


@dataclass(frozen=True)
class Saturation:
    """A saturated theme: its lowest yearly share and the share of documents where it is prominent."""

    theme: str
    lowest_share: float
    prominent_share: float
    years: int

    @property
    def label_note(self) -> str:
        """Return the words shown beside the theme's name wherever its share is shown."""
        return f"saturated; prominent in {self.prominent_share:.0%}"

    @property
    def note(self) -> str:
        """Return the longer explanation (tooltips, footnotes)."""
        return (
            f"Saturated: discussed in at least {self.lowest_share:.0%} of the documents of each of "
            f"{self.years} years; prominent (a strand of the summary, findings or recommendations, or "
            f"the subject of a paragraph) in {self.prominent_share:.0%} of them."
        )


def saturation_threshold(con: duckdb.DuckDBPyConnection) -> float:
    """Return the share of every year's documents that makes a theme saturated (document theme settings)."""
    rows = run_query(con, "document_settings")
    return float(rows[0]["saturated_share"]) if rows else 1.0


def saturated_from_rows(rows: Sequence[dict[str, Any]], threshold: float) -> dict[str, Saturation]:
    """Return the saturated themes of by-year trend rows (the `unknown` year is not a year)."""
    per_theme: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        if row["bucket"] != UNKNOWN_YEAR and row["total_documents"]:
            per_theme.setdefault(row["theme"], []).append(row)
    found = {}
    for theme, cells in per_theme.items():
        shares = [cell["documents"] / cell["total_documents"] for cell in cells]
        if shares and min(shares) >= threshold:
            total = sum(cell["total_documents"] for cell in cells)
            prominent = sum(cell["prominent_documents"] for cell in cells)
            found[theme] = Saturation(theme, min(shares), prominent / total, len(cells))
    return found


def saturated_themes(
    con: duckdb.DuckDBPyConnection, filters: TrendFilters | None = None
) -> dict[str, Saturation]:
    """Return the themes saturated under `filters` (their documents and sections; grouped by year)."""
    by_year = (filters or TrendFilters()).but(by="year", metric="share")
    return saturated_from_rows(queries.trends(con, by_year), saturation_threshold(con))
