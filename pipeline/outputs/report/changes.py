"""Which themes a briefing may call rising or falling: only those the `rising` test finds significant.

A board reads "Rising: unpaid carers (12% -> 43%)" as a finding. With a handful of reports a
year such a change is often chance, so the briefing calls a theme rising or falling only when
`queries.rising` (Fisher's exact test, Benjamini-Hochberg corrected) says the change is
significant, and gives its q value; large changes that are not significant are listed as such,
and when no test can run (documents from fewer than two years) nothing is called rising.
"""

from __future__ import annotations

import duckdb

from pipeline.analysis import queries
from pipeline.analysis.filters import TrendFilters
from pipeline.errors import UsageError
from pipeline.outputs.heatmap.matrix import HeatmapMatrix
from pipeline.outputs.report.figures import Changes, ThemeChange

MIN_CHANGE = 0.10  # changes of at least 10 percentage points that are not significant are listed as such
TESTED_METHOD = (
    "Rising and falling compare the share of documents {basis} between {early} and {late} with "
    "Fisher's exact test, Benjamini-Hochberg corrected across the {tested} themes tested; a theme is "
    "called rising or falling only when its q value is at most {alpha:g} (the `rising` command gives "
    "the same result). Changes of at least {min_change:.0%} points that are not significant are listed "
    "as not significant."
)
UNTESTED_METHOD = (
    "Rising and falling could not be tested ({reason}); no theme is called rising or falling. "
    "The first and second halves of the years are compared below without a test."
)


def _year_columns(matrix: HeatmapMatrix) -> list[int]:
    return [j for j, bucket in enumerate(matrix.buckets) if bucket.isdigit()]


def _halves(matrix: HeatmapMatrix) -> tuple[list[int], list[int]]:
    columns = _year_columns(matrix)
    half = len(columns) // 2
    return columns[:half], columns[-half:] if half else []


def _years(matrix: HeatmapMatrix, part: list[int]) -> str:
    first, last = matrix.buckets[part[0]], matrix.buckets[part[-1]]
    return first if first == last else f"{first}-{last}"


def half_changes(matrix: HeatmapMatrix) -> list[ThemeChange]:
    """Compare each theme's share in the first half of the years with the second half (no test)."""
    early, late = _halves(matrix)
    if not early:
        return []
    early_total, late_total = sum(matrix.totals[j] for j in early), sum(matrix.totals[j] for j in late)
    changes = []
    for theme, label, counts in zip(matrix.themes, matrix.labels, matrix.documents, strict=True):
        before, after = sum(counts[j] for j in early), sum(counts[j] for j in late)
        changes.append(
            ThemeChange(
                theme,
                label,
                before / (early_total or 1),
                after / (late_total or 1),
                _years(matrix, early),
                _years(matrix, late),
                before,
                early_total,
                after,
                late_total,
            )
        )
    return changes


def tested_changes(
    con: duckdb.DuckDBPyConnection, filters: TrendFilters, labels: dict[str, str]
) -> list[ThemeChange]:
    """Return every tested theme's change from `queries.rising`, run exactly as `rising --both --all`.

    The same filters, default periods (first and second half of the years present) and
    defaults (themes in fewer than 3 documents untested), so the same q values.

    Raises:
        UsageError: fewer than two years, or a period without documents.
    """
    rows = queries.rising(con, filters, include_all=True)
    return [
        ThemeChange(
            row["theme"],
            labels.get(row["theme"], row["theme"]),
            row["early_share"],
            row["late_share"],
            row["early_years"],
            row["late_years"],
            row["early_documents"],
            row["early_total"],
            row["late_documents"],
            row["late_total"],
            row["q_value"],
            bool(row["significant"]),
        )
        for row in rows
    ]


def _reason(error: UsageError) -> str:
    text = str(error).rstrip(".")
    return text[:1].lower() + text[1:]


def find_changes(
    con: duckdb.DuckDBPyConnection, matrix: HeatmapMatrix, filters: TrendFilters, *, top: int, basis: str
) -> Changes:
    """Return the significant rises and falls (at most `top` each) and the large changes that are not.

    Args:
        basis: how the share is counted, for the method sentence ("discussing each theme").
    """
    try:
        changes = tested_changes(con, filters, dict(zip(matrix.themes, matrix.labels, strict=True)))
    except UsageError as error:
        untested = sorted(half_changes(matrix), key=lambda c: (-abs(c.change), c.label))
        listed = [c for c in untested if abs(c.change) >= MIN_CHANGE][:top]
        reason = _reason(error)
        return Changes(not_significant=listed, method=UNTESTED_METHOD.format(reason=reason), reason=reason)
    significant = [c for c in changes if c.significant]
    rising = sorted((c for c in significant if c.change > 0), key=lambda c: (-c.change, c.label))[:top]
    falling = sorted((c for c in significant if c.change < 0), key=lambda c: (c.change, c.label))[:top]
    others = [c for c in changes if not c.significant and abs(c.change) >= MIN_CHANGE]
    early, late = (changes[0].early_years, changes[0].late_years) if changes else ("", "")
    method = TESTED_METHOD.format(
        basis=basis,
        early=early,
        late=late,
        tested=len(changes),
        alpha=queries.DEFAULT_ALPHA,
        min_change=MIN_CHANGE,
    )
    ranked = sorted(others, key=lambda c: (-abs(c.change), c.label))[:top]
    return Changes(rising, falling, ranked, tested=True, method=method)
