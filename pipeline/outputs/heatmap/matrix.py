"""The one heatmap matrix (theme rows x bucket columns) behind every format and the dashboard.

The matrix comes from the same named `trends` query as the CLI (or, per document,
`heatmap_documents`), so a heatmap cell always equals the number `trends` prints.
`write.py` dispatches it to one writer module per format.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from typing import Any

import duckdb

from pipeline.analysis import queries
from pipeline.analysis.filters import ALL_BUCKETS, SHARE_METRICS, TrendFilters
from pipeline.analysis.saturation import Saturation, saturated_themes
from pipeline.errors import UsageError
from pipeline.records import DOC_TYPE_LABELS
from warehouse.db import run_query

# The column of a trend row that counts a cell's documents, by metric (default: "documents").
COUNT_COLUMNS = {"prominent": "prominent_documents"}
HEATMAP_BUCKETS = ALL_BUCKETS
ROW_ORDERS = ("total", "trend", "cluster")
MIN_ROWS_TO_CLUSTER = 3


@dataclass(frozen=True)
class HeatmapMatrix:
    """Theme rows x bucket columns, with document counts for every cell and column.

    Attributes:
        buckets: column keys as the queries return them (a sha256 for `by="document"`).
        bucket_labels: column headings for people.
        totals: documents per column (the `n` under each heading).
        definitions: each theme's codebook definition, for tooltips.
        evidence: {(theme, bucket): top evidence rows}, filled for formats that show quotes.
        saturation: {theme: Saturation} of the saturated rows (shares only): discussed in nearly
            every document of every year; shown with their prominent share, last in "total" order.
    """

    themes: list[str]
    labels: list[str]
    buckets: list[str]
    values: list[list[float]]
    documents: list[list[int]]
    totals: list[int]
    metric: str
    by: str = "year"
    order: str = "total"
    bucket_labels: list[str] = field(default_factory=list)
    definitions: list[str] = field(default_factory=list)
    evidence: dict[tuple[str, str], list[dict[str, Any]]] = field(default_factory=dict)
    saturation: dict[str, Saturation] = field(default_factory=dict)
    reviewed: bool = False  # review decisions applied (rejected hits out, added themes in)

    @property
    def display_labels(self) -> list[str]:
        """Return the row labels for people: a saturated theme's label says so, with its prominent share."""
        return [
            f"{label} ({self.saturation[theme].label_note})" if theme in self.saturation else label
            for theme, label in zip(self.themes, self.labels, strict=True)
        ]


def _trend_slope(values: Sequence[float]) -> float:
    """Return the least-squares slope of values over their column index."""
    count = len(values)
    if count < 2:
        return 0.0
    mean_x, mean_y = (count - 1) / 2, sum(values) / count
    numerator = sum((x - mean_x) * (y - mean_y) for x, y in enumerate(values))
    return numerator / sum((x - mean_x) ** 2 for x in range(count))


def _cluster_order(rows: list[list[float]]) -> list[int]:
    """Return row indexes ordered so that rows with similar profiles sit together."""
    if len(rows) < MIN_ROWS_TO_CLUSTER:
        return list(range(len(rows)))
    from scipy.cluster.hierarchy import leaves_list, linkage

    return [int(i) for i in leaves_list(linkage(rows, method="average", optimal_ordering=True))]


def order_rows(
    themes: list[str],
    table: dict[str, dict[str, dict[str, Any]]],
    order: str,
    *,
    count: str = "documents",
    last: Collection[str] = (),
) -> list[str]:
    """Order theme rows by total documents (`count`), by rising trend first, or by clustering.

    In "total" order the themes in `last` (the saturated ones) come after all the others.

    Raises:
        UsageError: `order` is not one of ROW_ORDERS.
    """
    if order not in ROW_ORDERS:
        raise UsageError(f"Unknown --order {order!r}; choose one of {', '.join(ROW_ORDERS)}")

    def total(theme: str) -> int:
        return sum(cell[count] for cell in table[theme].values())

    by_total = sorted(themes, key=lambda theme: (theme in last, -total(theme), theme))
    if order == "total":
        return by_total
    rows = [[float(cell["value"] or 0) for cell in table[theme].values()] for theme in by_total]
    if order == "trend":
        slopes = dict(zip(by_total, map(_trend_slope, rows), strict=True))
        return sorted(by_total, key=lambda theme: -slopes[theme])
    return [by_total[i] for i in _cluster_order(rows)]


def column_label(row: dict[str, Any], by: str) -> str:
    """Return a column heading for people: a document's title, a review type's name, a year or area."""
    if by == "doc_type":
        return DOC_TYPE_LABELS.get(row["bucket"], row["bucket"])
    return str(row.get("bucket_label") or row["bucket"])


def build_matrix(
    rows: Sequence[dict[str, Any]],
    labels: dict[str, str],
    metric: str,
    *,
    by: str = "year",
    order: str = "total",
    keep: Sequence[str] = (),
    definitions: dict[str, str] | None = None,
    saturation: dict[str, Saturation] | None = None,
    reviewed: bool = False,
) -> HeatmapMatrix:
    """Arrange trend rows as a matrix of the themes with any hit (and those in `keep`).

    A cell's document count is the documents discussing the theme, or, for the prominent
    metric, the documents where it is prominent; `saturation` marks saturated rows.
    """
    buckets, table = queries.pivot_trends(rows)
    count = COUNT_COLUMNS.get(metric, "documents")
    present = [
        theme
        for theme, cells in table.items()
        if theme in keep or any(cell["documents"] for cell in cells.values())
    ]
    saturation = {t: s for t, s in (saturation or {}).items() if t in present}
    # On shares, saturated rows go last: the themes every report has must not lead a board's heatmap.
    themes = order_rows(present, table, order, count=count, last=saturation if metric == "share" else ())
    first = {row["bucket"]: row for row in reversed(rows)}
    return HeatmapMatrix(
        themes=themes,
        labels=[labels.get(theme, theme) for theme in themes],
        buckets=buckets,
        values=[[float(table[t][b]["value"] or 0) for b in buckets] for t in themes],
        documents=[[int(table[t][b][count]) for b in buckets] for t in themes],
        totals=[int(first[b]["total_documents"]) for b in buckets],
        metric=metric,
        by=by,
        order=order,
        bucket_labels=[column_label(first[b], by) for b in buckets],
        definitions=[(definitions or {}).get(theme, "") for theme in themes],
        saturation=saturation,
        reviewed=reviewed,
    )


def heatmap_rows(con: duckdb.DuckDBPyConnection, filters: TrendFilters) -> list[dict[str, Any]]:
    """Return the trend cells of a heatmap: `trends`, or one column per document for `by="document"`."""
    if filters.by == "document":
        return run_query(con, "heatmap_documents", **queries.query_params(con, filters))
    return queries.trends(con, filters)


def cell_evidence(
    con: duckdb.DuckDBPyConnection, matrix: HeatmapMatrix, filters: TrendFilters, *, per_cell: int
) -> dict[tuple[str, str], list[dict[str, Any]]]:
    """Return the top `per_cell` evidence sentences of every non-empty cell of `matrix`."""
    if not matrix.themes:
        return {}
    params = queries.query_params(con, filters.but(themes=tuple(matrix.themes), by=matrix.by))
    rows = run_query(con, "cell_evidence", **params, per_cell=per_cell)
    evidence: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for row in rows:
        evidence.setdefault((row["theme"], row["bucket"]), []).append(row)
    return evidence


def heatmap_matrix(
    con: duckdb.DuckDBPyConnection,
    filters: TrendFilters | None = None,
    *,
    order: str = "total",
    evidence_per_cell: int = 0,
) -> HeatmapMatrix:
    """Query the warehouse and build the heatmap matrix (with evidence when `evidence_per_cell`).

    Raises:
        UsageError: an unknown --order or theme id, or --order trend without --by year.
    """
    filters = filters or TrendFilters()
    if order == "trend" and filters.by != "year":
        raise UsageError("--order trend needs --by year (a trend runs over years).")
    rows = heatmap_rows(con, filters)
    codebook = queries.active_themes(con)
    saturation = saturated_themes(con, filters) if filters.metric in SHARE_METRICS else {}  # marked on shares
    matrix = build_matrix(
        rows,
        {theme["id"]: theme["label"] for theme in codebook},
        filters.metric,
        by=filters.by,
        order=order,
        keep=queries.resolve_themes(con, filters.themes) if filters.themes else (),
        definitions={theme["id"]: theme.get("definition") or "" for theme in codebook},
        saturation=saturation,
        reviewed=filters.reviewed,
    )
    if evidence_per_cell:
        matrix.evidence.update(cell_evidence(con, matrix, filters, per_cell=evidence_per_cell))
    return matrix
