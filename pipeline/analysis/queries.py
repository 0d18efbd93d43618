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
from pipeline.tag.taxonomy import load_taxonomy
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


# ---------------------------------------------------------------- rising and falling themes

YearRange = tuple[int, int]
DIRECTIONS = ("rising", "falling", "both")
DEFAULT_ALPHA = 0.05
# A theme must feature in this many documents over both periods to be tested at all:
# below it no 2x2 table can reach significance, and testing it only adds to the correction.
DEFAULT_MIN_DOCUMENTS = 3
MIN_YEARS_TO_COMPARE = 2


def default_periods(years: Sequence[int]) -> tuple[YearRange, YearRange]:
    """Split the years present into a first and a second half (the middle year of an odd count is left out).

    Raises:
        UsageError: fewer than two years are present.
    """
    if len(years) < MIN_YEARS_TO_COMPARE:
        raise UsageError(
            f"Comparing periods needs documents from at least {MIN_YEARS_TO_COMPARE} years; "
            f"the warehouse has {len(years)} ({', '.join(map(str, years)) or 'none'})."
        )
    half = len(years) // 2
    return (years[0], years[half - 1]), (years[-half], years[-1])


def _check_periods(early: YearRange, late: YearRange) -> None:
    for name, (first, last) in (("--early", early), ("--late", late)):
        if first > last:
            raise UsageError(f"{name} {first}-{last}: the first year must not be after the last.")
    if early[1] >= late[0]:
        raise UsageError(
            f"--early {_period_label(early)} must end before --late {_period_label(late)} starts."
        )


def _resolve_periods(
    con: duckdb.DuckDBPyConnection,
    early: YearRange | None,
    late: YearRange | None,
    doc_types: list[str] | None,
) -> tuple[YearRange, YearRange]:
    if early is None or late is None:
        years = [row["year"] for row in run_query(con, "years", doc_types=doc_types)]
        default_early, default_late = default_periods(years)
        early, late = early or default_early, late or default_late
    _check_periods(early, late)
    return early, late


def _period_label(period: YearRange) -> str:
    return str(period[0]) if period[0] == period[1] else f"{period[0]}-{period[1]}"


def _direction(early_share: float, late_share: float) -> str:
    if late_share > early_share:
        return "rising"
    return "falling" if late_share < early_share else "flat"


def _fisher_p(row: dict[str, Any]) -> float:
    """Return the two-sided p value of Fisher's exact test on one theme's with/without x late/early table."""
    from scipy.stats import fisher_exact  # imported here: scipy adds ~0.5 s to every CLI start

    table = [
        [row["late_documents"], row["late_total"] - row["late_documents"]],
        [row["early_documents"], row["early_total"] - row["early_documents"]],
    ]
    return min(1.0, float(fisher_exact(table).pvalue))


def compare_periods(rows: Sequence[dict[str, Any]], *, alpha: float) -> list[dict[str, Any]]:
    """Test each theme's change in document share between two periods; most significant first.

    Test: Fisher's exact test (two-sided) on the 2x2 table documents with / without
    the theme x early / late period. Review counts are small (a partnership
    publishes a handful of reviews a year), so expected cells are often below 5,
    where the chi-square approximation is unreliable; Fisher's test is exact at any
    size and compares exactly what national analyses report, the share of documents.

    Correction: Benjamini-Hochberg over all themes tested. Testing some 50 themes at
    5% would flag two or three by chance alone; BH keeps the expected share of false
    flags among the flagged themes at `alpha` and, unlike Bonferroni, keeps some power
    with counts this small (Fisher's test is conservative already).

    Args:
        rows: per theme, early_documents, early_total, late_documents, late_total (totals > 0).
        alpha: false discovery rate; a theme is `significant` when its q value is at most this.

    Returns:
        The rows with early_share, late_share, change (late - early), direction
        (rising | falling | flat), p_value, q_value and significant.
    """
    from scipy.stats import false_discovery_control

    if not rows:
        return []
    p_values = [_fisher_p(row) for row in rows]
    q_values = false_discovery_control(p_values, method="bh")
    tested = []
    for row, p_value, q_value in zip(rows, p_values, q_values, strict=True):
        early_share = row["early_documents"] / row["early_total"]
        late_share = row["late_documents"] / row["late_total"]
        tested.append(
            {
                **row,
                "early_share": early_share,
                "late_share": late_share,
                "change": late_share - early_share,
                "direction": _direction(early_share, late_share),
                "p_value": p_value,
                "q_value": float(q_value),
                "significant": bool(q_value <= alpha),
            }
        )
    return sorted(tested, key=lambda row: (row["q_value"], -abs(row["change"]), row["theme"]))


def _check_rising_options(direction: str, alpha: float, min_documents: int) -> None:
    _check_choice(direction, DIRECTIONS, "--direction")
    if not 0 < alpha < 1:
        raise UsageError("--alpha must be between 0 and 1")
    if min_documents < 1:
        raise UsageError("--min-documents must be at least 1")


def _check_period_totals(counts: Sequence[dict[str, Any]], early: YearRange, late: YearRange) -> None:
    for name, period, key in (("early", early, "early_total"), ("late", late, "late_total")):
        if counts and counts[0][key] == 0:
            raise UsageError(f"No documents in the {name} period {_period_label(period)}.")


def rising(
    con: duckdb.DuckDBPyConnection,
    *,
    early: YearRange | None = None,
    late: YearRange | None = None,
    min_documents: int = DEFAULT_MIN_DOCUMENTS,
    alpha: float = DEFAULT_ALPHA,
    doc_types: Sequence[str] | None = None,
    themes: Sequence[str] | None = None,
    direction: str = "both",
    include_all: bool = False,
) -> list[dict[str, Any]]:
    """Return themes whose share of documents rose or fell between two periods (see `compare_periods`).

    Args:
        con: a warehouse connection.
        early: inclusive (first, last) years; default the first half of the years present.
        late: inclusive (first, last) years; default the second half of the years present.
        min_documents: test only themes in at least this many documents over both periods.
        alpha: false discovery rate for `significant`.
        doc_types: count only these document types (all when empty).
        themes: theme ids to test (all when empty); the correction runs over the themes tested.
        direction: rising | falling | both (filtered after the correction).
        include_all: also return themes whose change is not significant.

    Raises:
        UsageError: an unknown theme id or choice, bad periods, or a period with no documents.
    """
    _check_rising_options(direction, alpha, min_documents)
    types = _optional_list(doc_types)
    early, late = _resolve_periods(con, early, late, types)
    counts = run_query(
        con,
        "rising",
        themes=resolve_themes(con, themes),
        doc_types=types,
        early_from=early[0],
        early_to=early[1],
        late_from=late[0],
        late_to=late[1],
    )
    _check_period_totals(counts, early, late)
    tested = [row for row in counts if row["early_documents"] + row["late_documents"] >= min_documents]
    labels = {"early_years": _period_label(early), "late_years": _period_label(late)}
    return [
        {**row, **labels}
        for row in compare_periods(tested, alpha=alpha)
        if (include_all or row["significant"]) and direction in ("both", row["direction"])
    ]


# ---------------------------------------------------------------- co-occurrence

DEFAULT_MIN_COOCCURRENCE = 2


def cooccurrence(
    con: duckdb.DuckDBPyConnection,
    *,
    themes: Sequence[str] | None = None,
    doc_types: Sequence[str] | None = None,
    min_documents: int = DEFAULT_MIN_COOCCURRENCE,
) -> list[dict[str, Any]]:
    """Return theme pairs counted in the same documents, with their counts and lift, highest lift first.

    lift = documents with both x all documents / (documents with a x documents with b):
    1 when the themes are independent, above 1 when they go together.

    Args:
        con: a warehouse connection.
        themes: only pairs that involve one of these ids (all pairs when empty).
        doc_types: count only these document types (all when empty).
        min_documents: leave out pairs sharing fewer documents (lift is noise on one or two).

    Raises:
        UsageError: an unknown theme id, or min_documents below 1.
    """
    if min_documents < 1:
        raise UsageError("--min-documents must be at least 1")
    return run_query(
        con,
        "cooccurrence",
        themes=resolve_themes(con, themes) if themes else None,
        doc_types=_optional_list(doc_types),
        min_documents=min_documents,
    )
