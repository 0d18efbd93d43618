"""The learning briefing for a partnership board: HTML (self-contained) or PDF (reportlab).

Contents: the corpus in one line, key messages (each with its evidence), the top recurring
themes, the saturated ones (in nearly every report) with their prominent share, rising and
falling themes (only those the `rising` test finds significant, with q values; large changes
that are not significant are listed as such), the theme x year heatmap, evidence quotes cited
by title, year and page, how often people reviewing each theme's hits found them right, and
how the numbers were made. Everything comes from the same named queries as the CLI, so every
figure can be reproduced with `trends`, `recurring`, `rising`, `evidence` and `review precision`.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import duckdb

from pipeline.analysis import queries
from pipeline.analysis.filters import TrendFilters
from pipeline.analysis.quotes import pick_quotes, trim_quote
from pipeline.analysis.review import ThemeCheck, precision_estimates, theme_checks
from pipeline.outputs.heatmap.matrix import HeatmapMatrix, heatmap_matrix
from pipeline.outputs.report.changes import find_changes
from pipeline.outputs.report.figures import Changes, ThemeChange, ThemeSummary
from pipeline.outputs.report.messages import KeyMessage, key_messages
from pipeline.records import DOC_TYPE_LABELS
from warehouse.db import run_query

RECURRING_MIN_YEARS = 3
DEFAULT_TOP = 8
DEFAULT_QUOTES = 3
HEATMAP_QUOTES_PER_CELL = 2
EVIDENCE_POOL = 200  # sentences fetched per theme before picking quotes from distinct documents
BASIS = {"share": "discussing each theme", "prominent": "where each theme is prominent"}

METHOD_NOTE = (
    "Themes were found in each review's text with the codebook (taxonomy version {version}): a phrase "
    'counts only outside contents, glossary and reference sections, and not when negated ("no evidence '
    'of"), hedged or statutory boilerplate. A document discusses a theme when it has a counted sentence '
    "of it (more for an adults' theme in a children's report, and the reverse), and the theme is prominent "
    "there when it sits in the summary, key findings, what needs to improve or recommendations, or fills "
    "a paragraph or several sentences (document theme settings {settings}). A document counts once per "
    "theme however often the theme is mentioned. Share = documents discussing the theme / all documents in "
    "that year; small yearly numbers (n) make single years volatile. Every figure can be reproduced with "
    "the trends, recurring, rising and evidence commands; quotes give the review's title, year and page."
)

REVIEWED_METHOD = (
    "Review decisions are applied: hits people rejected (review reject) are not counted, and themes "
    "they added to a sentence (review add) are."
)
CHECKS_NOTE = (
    "People checked a sample of each theme's hits with the review command (review list shows hits in "
    "a fair random order). Precision is the share of checked hits they judged right, with a 95% "
    "interval. A document counts for a theme if any of its hits is right, so a wrong hit changes a "
    "share only when it is that document's only hit of the theme."
)
NO_CHECKS_NOTE = (
    "No hit of these themes has been checked by a person yet. Checking 20-30 hits per theme "
    "(run_pipeline.py review list, then review accept or review reject) measures how often each "
    "theme's hits are right, and the result appears here."
)


@dataclass
class Briefing:
    """Everything a briefing shows, ready for a template (HTML) or reportlab (PDF)."""

    title: str
    generated: date
    documents: int
    years: list[str]
    doc_types: dict[str, int]
    recurring: list[ThemeSummary]
    changes: Changes
    matrix: HeatmapMatrix
    saturated: list[ThemeSummary] = field(default_factory=list)
    metric: str = "share"
    options: str = ""  # the filters as command-line options, to reproduce every figure
    alpha: float = queries.DEFAULT_ALPHA
    quotes: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    labels: dict[str, str] = field(default_factory=dict)
    taxonomy_version: str = ""
    settings_version: str = ""
    checks: list[ThemeCheck] = field(default_factory=list)

    @property
    def rising(self) -> list[ThemeChange]:
        """Return the themes whose share rose significantly (the `rising` test)."""
        return self.changes.rising

    @property
    def falling(self) -> list[ThemeChange]:
        """Return the themes whose share fell significantly (the `rising` test)."""
        return self.changes.falling

    @property
    def change_method(self) -> str:
        """Return how rising and falling were decided, in plain words."""
        return self.changes.method

    @property
    def key_messages(self) -> list[KeyMessage]:
        """Return the key messages, each with its evidence (the same in HTML and PDF)."""
        return key_messages(self)

    @property
    def reviewed_any(self) -> bool:
        """Return whether any hit of a theme in the briefing has been reviewed."""
        return any(check.reviewed for check in self.checks)

    @property
    def checks_note(self) -> str:
        """Return how to read the review table, or how to start reviewing when nothing is reviewed."""
        return CHECKS_NOTE if self.reviewed_any else NO_CHECKS_NOTE

    @property
    def method(self) -> str:
        """Return how the numbers were made, in plain words."""
        note = METHOD_NOTE.format(version=self.taxonomy_version, settings=self.settings_version)
        return note + (f" {REVIEWED_METHOD}" if self.matrix.reviewed else "")


def recurring_themes(
    rows: list[dict[str, Any]], labels: dict[str, str], saturated: Collection[str], *, top: int
) -> tuple[list[ThemeSummary], list[ThemeSummary]]:
    """Return the `top` recurring themes that are not saturated, and the saturated ones, by share.

    Args:
        rows: `queries.recurring` rows (themes present in at least RECURRING_MIN_YEARS years).
    """
    summaries = [
        ThemeSummary(
            row["theme"],
            labels.get(row["theme"], row["theme"]),
            float(row["share"]),
            int(row["documents"]),
            int(row["years_present"]),
            float(row["prominent_share"]),
            row["theme"] in saturated,
        )
        for row in rows
    ]
    ranked = sorted(summaries, key=lambda s: (-s.share, s.label))
    return [s for s in ranked if not s.saturated][:top], [s for s in ranked if s.saturated]


def theme_quotes(
    con: duckdb.DuckDBPyConnection, theme: str, filters: TrendFilters, *, count: int
) -> list[dict[str, Any]]:
    """Return up to `count` quotes for a theme within the filters, cut around the match."""
    rows = queries.evidence(con, filters.but(themes=()), theme=theme, limit=EVIDENCE_POOL)
    return [trim_quote(row) for row in pick_quotes(rows, count)]


def _taxonomy_version(con: duckdb.DuckDBPyConnection) -> str:
    rows = run_query(con, "active_taxonomy_version")
    return rows[0]["version"] if rows else "none"


def build_briefing(
    con: duckdb.DuckDBPyConnection,
    filters: TrendFilters | None = None,
    *,
    top: int = DEFAULT_TOP,
    quotes: int = DEFAULT_QUOTES,
) -> Briefing:
    """Gather the briefing's numbers and quotes from the warehouse (shares of documents by year).

    The metric of `filters` chooses the share: of documents discussing each theme (share) or
    of documents where it is prominent (prominent).

    Raises:
        NoDocumentsError: the warehouse (after filters) holds no documents.
    """
    filters = (filters or TrendFilters()).but(by="year")
    if filters.metric not in BASIS:
        filters = filters.but(metric="share")
    queries.require_documents(con, filters)
    matrix = heatmap_matrix(con, filters, evidence_per_cell=HEATMAP_QUOTES_PER_CELL)
    labels = {theme["id"]: theme["label"] for theme in queries.active_themes(con)}
    recurring_rows = queries.recurring(con, filters, min_years=RECURRING_MIN_YEARS)
    recurring, saturated = recurring_themes(recurring_rows, labels, matrix.saturation, top=top)
    changes = find_changes(con, matrix, filters, top=top, basis=BASIS[filters.metric])
    named: list[ThemeSummary | ThemeChange] = [*recurring, *changes.rising, *changes.falling]
    quoted = list(dict.fromkeys(item.theme for item in named))
    return Briefing(
        title="Learning briefing: recurring themes in safeguarding reviews",
        generated=date.today(),
        documents=sum(matrix.totals),
        years=[b for b in matrix.buckets if b.isdigit()],
        doc_types=_doc_type_counts(con, filters),
        recurring=recurring,
        changes=changes,
        matrix=matrix,
        saturated=saturated,
        metric=filters.metric,
        options=" ".join(part for part in (filters.describe(), _metric_option(filters)) if part),
        quotes={theme: theme_quotes(con, theme, filters, count=quotes) for theme in quoted} if quotes else {},
        labels=labels,
        taxonomy_version=_taxonomy_version(con),
        settings_version=run_query(con, "document_settings")[0]["version"],
        checks=theme_checks(precision_estimates(con), quoted, labels),
    )


def _metric_option(filters: TrendFilters) -> str:
    return "--metric prominent" if filters.metric == "prominent" else ""


def _doc_type_counts(con: duckdb.DuckDBPyConnection, filters: TrendFilters) -> dict[str, int]:
    rows = queries.trends(con, filters.but(by="doc_type", themes=()))
    return {DOC_TYPE_LABELS.get(row["bucket"], row["bucket"]): int(row["total_documents"]) for row in rows}
