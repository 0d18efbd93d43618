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

from pipeline.analysis.filters import BUCKETS, TrendFilters
from pipeline.errors import NoDocumentsError, UsageError
from pipeline.tag.taxonomy import load_taxonomy
from pipeline.vocabulary import did_you_mean
from warehouse.db import run_query

DEFAULT_EVIDENCE_LIMIT = 20
NO_FILTERS = TrendFilters()


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


def _theme_key(theme: str) -> str:
    return theme.strip().lower().replace(" ", "_").replace("-", "_")


def resolve_themes(con: duckdb.DuckDBPyConnection, requested: Sequence[str] | None) -> list[str]:
    """Return the requested theme ids (all when none), refusing unknown ones.

    Raises:
        UsageError: an id is not in the active taxonomy (the message suggests the nearest ids).
    """
    valid = [theme["id"] for theme in active_themes(con)]
    if not requested:
        return valid
    lowered = {theme.lower(): theme for theme in valid}
    resolved = [lowered.get(_theme_key(theme), theme) for theme in requested]
    unknown = [theme for theme in resolved if theme not in valid]
    if unknown:
        hints = "".join(did_you_mean(theme, valid) for theme in unknown)
        if not hints:  # nothing close: say what is valid
            hints = f" Valid ids: {', '.join(sorted(valid))}."
        raise UsageError(
            f"Unknown theme id(s): {', '.join(unknown)}.{hints} "
            f"(`themes` lists the {len(valid)} themes of the codebook.)"
        )
    return list(dict.fromkeys(resolved))


def _area_key(area: str) -> str:
    """Return an area as compared: any case, any spacing, "St." and "St" alike."""
    return " ".join(area.replace(".", " ").split()).lower()


def resolve_areas(con: duckdb.DuckDBPyConnection, requested: Sequence[str]) -> tuple[str, ...]:
    """Return the requested areas spelled as the warehouse stores them (any case; "St." or "St").

    Raises:
        UsageError: an area no document has (the message suggests the nearest ones).
    """
    if not requested:
        return ()
    known = [row["area"] for row in run_query(con, "web_areas")]
    spellings: dict[str, list[str]] = {}
    for area in known:
        spellings.setdefault(_area_key(area), []).append(area)
    resolved = [stored for area in requested for stored in spellings.get(_area_key(area), [])]
    unknown = [area for area in requested if _area_key(area) not in spellings]
    if unknown:
        if not known:
            raise UsageError(
                f"Unknown area {unknown[0]!r}: no document in this warehouse has an area yet "
                "(set areas in a manifest.csv or with `documents set`)."
            )
        hint = did_you_mean(unknown[0], known)
        listed = ", ".join(known[:20]) + (", ..." if len(known) > 20 else "")
        raise UsageError(f"Unknown area {unknown[0]!r}.{hint} Areas in this warehouse: {listed}")
    return tuple(dict.fromkeys(resolved))


def resolve_filters(con: duckdb.DuckDBPyConnection, filters: TrendFilters | None) -> TrendFilters:
    """Return `filters` checked against the warehouse: known theme ids, areas in their stored spelling.

    Raises:
        UsageError: an unknown theme id or area (with the nearest valid ones).
    """
    filters = filters or NO_FILTERS
    themes = tuple(resolve_themes(con, filters.themes)) if filters.themes else ()
    return filters.but(themes=themes, areas=resolve_areas(con, filters.areas))


def query_params(con: duckdb.DuckDBPyConnection, filters: TrendFilters | None) -> dict[str, Any]:
    """Return the SQL parameters of `filters`, resolved; `themes` is every theme when none is named."""
    resolved = resolve_filters(con, filters)
    return {**resolved.sql_params(), "themes": resolve_themes(con, resolved.themes)}


def matching_documents(con: duckdb.DuckDBPyConnection, filters: TrendFilters | None) -> int:
    """Return how many documents trends count under `filters` (themes and sections aside)."""
    return int(run_query(con, "filtered_documents", **query_params(con, filters))[0]["documents"])


def require_documents(con: duckdb.DuckDBPyConnection, filters: TrendFilters | None) -> int:
    """Return the number of documents the filters select; refuse when there are none.

    Every command that counts documents calls this, so an empty selection is the same
    exit (2, a usage error) everywhere.

    Raises:
        NoDocumentsError: the warehouse holds no counted document, or none matches the filters.
    """
    count = matching_documents(con, filters)
    if count == 0:
        narrowed = (filters or NO_FILTERS).describe()
        if narrowed and matching_documents(con, None):
            raise NoDocumentsError(f"No document matches {narrowed}: widen the filters.")
        raise NoDocumentsError(
            "The warehouse holds no documents yet: run `ingest FOLDER` (or `run` for the sample corpus)."
        )
    return count


def trends(con: duckdb.DuckDBPyConnection, filters: TrendFilters | None = None) -> list[dict[str, Any]]:
    """Return every (theme, bucket) cell with its value and document counts, zeros included."""
    filters = filters or NO_FILTERS
    if filters.by not in BUCKETS:
        raise UsageError(f"Unknown --by {filters.by!r}; choose one of {', '.join(BUCKETS)}")
    return run_query(con, "trends", **query_params(con, filters))


def recurring(
    con: duckdb.DuckDBPyConnection, filters: TrendFilters | None = None, *, min_years: int = 3
) -> list[dict[str, Any]]:
    """Return themes with counted mentions in at least `min_years` distinct years."""
    if min_years < 1:
        raise UsageError("--min-years must be at least 1")
    return run_query(con, "recurring", **query_params(con, filters), min_years=min_years)


def evidence(
    con: duckdb.DuckDBPyConnection,
    filters: TrendFilters | None = None,
    *,
    theme: str,
    search: str | None = None,
    include_uncounted: bool = False,
    limit: int = DEFAULT_EVIDENCE_LIMIT,
) -> list[dict[str, Any]]:
    """Return the sentences behind a theme's numbers (title, year, doc_type, page, sentence, match).

    Every row carries `total`, the number of sentences found before the limit, so a
    caller can say "20 of 61".
    """
    (theme,) = resolve_themes(con, [theme])
    if limit < 1:
        raise UsageError("--limit must be at least 1")
    params = {**query_params(con, filters), "themes": [theme]}
    return run_query(
        con,
        "evidence",
        **params,
        theme=theme,
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
    params: dict[str, Any],
) -> tuple[YearRange, YearRange]:
    if early is None or late is None:
        years = [row["year"] for row in run_query(con, "years", **params)]
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
    if direction not in DIRECTIONS:
        raise UsageError(f"Unknown --direction {direction!r}; choose one of {', '.join(DIRECTIONS)}")
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
    filters: TrendFilters | None = None,
    *,
    early: YearRange | None = None,
    late: YearRange | None = None,
    min_documents: int = DEFAULT_MIN_DOCUMENTS,
    alpha: float = DEFAULT_ALPHA,
    direction: str = "both",
    include_all: bool = False,
) -> list[dict[str, Any]]:
    """Return themes whose share of documents rose or fell between two periods (see `compare_periods`).

    Args:
        con: a warehouse connection.
        filters: the documents counted (themes: the ids to test, all when empty; the
            correction runs over the themes tested).
        early: inclusive (first, last) years; default the first half of the years present.
        late: inclusive (first, last) years; default the second half of the years present.
        min_documents: test only themes in at least this many documents over both periods.
        alpha: false discovery rate for `significant`.
        direction: rising | falling | both (filtered after the correction).
        include_all: also return themes whose change is not significant.

    Raises:
        UsageError: an unknown theme id or choice, bad periods, or a period with no documents.
    """
    _check_rising_options(direction, alpha, min_documents)
    params = query_params(con, filters)
    early, late = _resolve_periods(con, early, late, params)
    periods = {"early_from": early[0], "early_to": early[1], "late_from": late[0], "late_to": late[1]}
    counts = run_query(con, "rising", **params, **periods)
    _check_period_totals(counts, early, late)
    tested = [row for row in counts if row["early_documents"] + row["late_documents"] >= min_documents]
    labels = {"early_years": _period_label(early), "late_years": _period_label(late)}
    return [
        {**row, **labels}
        for row in compare_periods(tested, alpha=alpha)
        if (include_all or row["significant"]) and direction in ("both", row["direction"])
    ]
