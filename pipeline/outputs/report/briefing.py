"""The learning briefing for a partnership board: HTML (self-contained) or PDF (reportlab).

Contents: the corpus in one line, key messages, the top recurring themes, rising and
falling themes, the theme x year heatmap, evidence quotes cited by title, year and page,
how often people reviewing each theme's hits found them right, and how the numbers were
made. Everything comes from the same named queries as the CLI, so every figure in the
briefing can be reproduced with `trends`, `evidence` and `review precision`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

import duckdb

from pipeline.analysis import queries
from pipeline.analysis.filters import TrendFilters
from pipeline.analysis.quotes import pick_quotes, trim_quote
from pipeline.analysis.review import ThemeCheck, precision_estimates, theme_checks
from pipeline.errors import UsageError
from pipeline.outputs.heatmap.matrix import HeatmapMatrix, heatmap_matrix
from pipeline.records import DOC_TYPE_LABELS
from warehouse.db import run_query

RECURRING_MIN_YEARS = 3
DEFAULT_TOP = 8
DEFAULT_QUOTES = 3
HEATMAP_QUOTES_PER_CELL = 2
MIN_CHANGE = 0.10  # a change of at least 10 percentage points is listed as rising/falling
EVIDENCE_POOL = 200  # sentences fetched per theme before picking quotes from distinct documents
FALLBACK_METHOD = (
    "Rising and falling compare the share of documents with each theme in the first half of the "
    "years against the second half (a simple comparison, without a significance test); changes "
    "of at least {min_change:.0%} points are listed."
)
TESTED_METHOD = (
    "Rising and falling compare the share of documents with each theme between {early} and {late} "
    "(Fisher's exact test, Benjamini-Hochberg corrected); changes of at least {min_change:.0%} points "
    "are listed and those significant at a 5% false discovery rate are marked *."
)

METHOD_NOTE = (
    "Themes were found in each review's text with the codebook (taxonomy version {version}): a phrase "
    "counts only outside contents, glossary and reference sections, and not when negated (\"no evidence "
    "of\"), hedged or statutory boilerplate. A document counts once per theme however often the theme is "
    "mentioned. Share = documents with the theme / all documents in that year; small yearly numbers (n) "
    "make single years volatile. Every figure can be reproduced with the trends and evidence commands; "
    "quotes give the review's title, year and page."
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


@dataclass(frozen=True)
class ThemeSummary:
    """A recurring theme: its share of all documents and the years it appears in."""

    theme: str
    label: str
    share: float
    documents: int
    years_present: int


@dataclass(frozen=True)
class ThemeChange:
    """A theme whose share of documents rose or fell between an early and a late period."""

    theme: str
    label: str
    early_share: float
    late_share: float
    early_years: str
    late_years: str
    significant: bool | None = None  # None when no test was run

    @property
    def change(self) -> float:
        """Return the change in share (late minus early)."""
        return self.late_share - self.early_share


@dataclass
class Briefing:
    """Everything a briefing shows, ready for a template."""

    title: str
    generated: date
    documents: int
    years: list[str]
    doc_types: dict[str, int]
    recurring: list[ThemeSummary]
    rising: list[ThemeChange]
    falling: list[ThemeChange]
    change_method: str
    matrix: HeatmapMatrix
    quotes: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    labels: dict[str, str] = field(default_factory=dict)
    taxonomy_version: str = ""
    checks: list[ThemeCheck] = field(default_factory=list)

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
        return METHOD_NOTE.format(version=self.taxonomy_version)


def recurring_themes(matrix: HeatmapMatrix, *, top: int) -> list[ThemeSummary]:
    """Return the `top` themes present in at least RECURRING_MIN_YEARS years, by share of all documents."""
    total = sum(matrix.totals) or 1
    summaries = [
        ThemeSummary(theme, label, sum(counts) / total, sum(counts), sum(1 for c in counts if c))
        for theme, label, counts in zip(matrix.themes, matrix.labels, matrix.documents, strict=True)
    ]
    recurring = [s for s in summaries if s.years_present >= RECURRING_MIN_YEARS]
    return sorted(recurring, key=lambda s: (-s.share, s.label))[:top]


def _year_columns(matrix: HeatmapMatrix) -> list[int]:
    return [j for j, bucket in enumerate(matrix.buckets) if bucket.isdigit()]


def half_changes(matrix: HeatmapMatrix) -> list[ThemeChange]:
    """Compare each theme's share in the first half of the years with the second half (no test)."""
    columns = _year_columns(matrix)
    half = len(columns) // 2
    if half == 0:
        return []
    early, late = columns[:half], columns[-half:]
    early_total = sum(matrix.totals[j] for j in early) or 1
    late_total = sum(matrix.totals[j] for j in late) or 1

    def years(part: list[int]) -> str:
        first, last = matrix.buckets[part[0]], matrix.buckets[part[-1]]
        return first if first == last else f"{first}-{last}"

    return [
        ThemeChange(theme, label, sum(counts[j] for j in early) / early_total,
                    sum(counts[j] for j in late) / late_total, years(early), years(late))
        for theme, label, counts in zip(matrix.themes, matrix.labels, matrix.documents, strict=True)
    ]


def tested_changes(
    con: duckdb.DuckDBPyConnection, matrix: HeatmapMatrix, filters: TrendFilters
) -> list[ThemeChange]:
    """Return changes from `queries.rising` (significance-tested), over the matrix's halves of years."""
    columns = _year_columns(matrix)
    half = len(columns) // 2
    early = (int(matrix.buckets[columns[0]]), int(matrix.buckets[columns[half - 1]]))
    late = (int(matrix.buckets[columns[-half]]), int(matrix.buckets[columns[-1]]))
    tested = filters.but(themes=tuple(matrix.themes))
    rows = queries.rising(con, tested, early=early, late=late, min_documents=1, include_all=True)
    labels = dict(zip(matrix.themes, matrix.labels, strict=True))
    return [
        ThemeChange(row["theme"], labels.get(row["theme"], row["theme"]), row["early_share"],
                    row["late_share"], row["early_years"], row["late_years"], bool(row["significant"]))
        for row in rows
    ]


def rising_and_falling(
    con: duckdb.DuckDBPyConnection, matrix: HeatmapMatrix, filters: TrendFilters, *, top: int
) -> tuple[list[ThemeChange], list[ThemeChange], str]:
    """Return the top rising and falling themes and a sentence saying how they were found.

    Uses `queries.rising` (a significance test) when there are years to compare and
    documents in both halves; otherwise a first-half vs second-half comparison of shares.
    """
    use_test = len(_year_columns(matrix)) >= 2
    if use_test:
        try:
            changes = tested_changes(con, matrix, filters)
        except UsageError:  # e.g. a period without documents after filtering: fall back
            use_test = False
    if not use_test:
        changes = half_changes(matrix)
    rising = sorted((c for c in changes if c.change >= MIN_CHANGE), key=lambda c: -c.change)[:top]
    falling = sorted((c for c in changes if c.change <= -MIN_CHANGE), key=lambda c: c.change)[:top]
    if use_test and changes:
        method = TESTED_METHOD.format(early=changes[0].early_years, late=changes[0].late_years,
                                      min_change=MIN_CHANGE)
    else:
        method = FALLBACK_METHOD.format(min_change=MIN_CHANGE)
    return rising, falling, method


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
    """Gather the briefing's numbers and quotes from the warehouse (always share of documents by year).

    Raises:
        NoDocumentsError: the warehouse (after filters) holds no documents.
    """
    filters = (filters or TrendFilters()).but(by="year", metric="share")
    queries.require_documents(con, filters)
    matrix = heatmap_matrix(con, filters, evidence_per_cell=HEATMAP_QUOTES_PER_CELL)
    rising, falling, method = rising_and_falling(con, matrix, filters, top=top)
    recurring = recurring_themes(matrix, top=top)
    quoted = dict.fromkeys([*(s.theme for s in recurring), *(c.theme for c in (*rising, *falling))])
    doc_types = _doc_type_counts(con, filters)
    labels = dict(zip(matrix.themes, matrix.labels, strict=True))
    return Briefing(
        title="Learning briefing: recurring themes in safeguarding reviews",
        generated=date.today(),
        documents=sum(matrix.totals),
        years=[b for b in matrix.buckets if b.isdigit()],
        doc_types=doc_types,
        recurring=recurring,
        rising=rising,
        falling=falling,
        change_method=method,
        matrix=matrix,
        quotes={theme: theme_quotes(con, theme, filters, count=quotes) for theme in quoted} if quotes else {},
        labels=labels,
        taxonomy_version=_taxonomy_version(con),
        checks=theme_checks(precision_estimates(con), list(quoted), labels),
    )


def _doc_type_counts(con: duckdb.DuckDBPyConnection, filters: TrendFilters) -> dict[str, int]:
    rows = queries.trends(con, filters.but(by="doc_type", themes=()))
    return {DOC_TYPE_LABELS.get(row["bucket"], row["bucket"]): int(row["total_documents"]) for row in rows}
