"""Which themes go together: pairs counted in the same documents, strongest first.

Lift alone ranks badly on a partnership's few dozen reviews: two themes found in the
same two documents, and nowhere else, get the highest lift of all (any lift-like
ratio favours rare themes). So pairs need a minimum support (documents sharing both)
and are ranked by how unlikely their overlap would be if the themes were independent:
the one-sided p value of Fisher's exact test (the hypergeometric tail, the same test
`rising` uses). A strong association seen in twenty documents then outranks a perfect
one seen in two; lift is shown beside it as the size of the association.
"""

from __future__ import annotations

import math
from typing import Any

import duckdb

from pipeline.analysis.filters import TrendFilters
from pipeline.analysis.queries import query_params
from pipeline.errors import UsageError
from warehouse.db import run_query

# Support: at least this many shared documents, or this share of all documents if larger.
DEFAULT_MIN_COOCCURRENCE = 3
MIN_SUPPORT_SHARE = 0.05
DEFAULT_PAIRS_LIMIT = 20


def default_min_documents(total_documents: int) -> int:
    """Return the default minimum support for a warehouse of `total_documents` documents."""
    return max(DEFAULT_MIN_COOCCURRENCE, math.ceil(total_documents * MIN_SUPPORT_SHARE))


def association_p(rows: list[dict[str, Any]]) -> list[float]:
    """Return, per pair, the chance of at least this many shared documents if the themes were independent.

    That is the upper tail of the hypergeometric distribution (Fisher's exact test, one-sided):
    `documents_b` documents drawn from `total_documents`, of which `documents_a` have theme a.
    """
    from scipy.stats import hypergeom  # imported here: scipy adds ~0.5 s to every CLI start

    if not rows:
        return []
    shared = [row["documents"] - 1 for row in rows]
    total = [row["total_documents"] for row in rows]
    with_a = [row["documents_a"] for row in rows]
    with_b = [row["documents_b"] for row in rows]
    return [float(p) for p in hypergeom.sf(shared, total, with_a, with_b)]


def cooccurrence(
    con: duckdb.DuckDBPyConnection,
    filters: TrendFilters | None = None,
    *,
    min_documents: int | None = None,
    limit: int | None = DEFAULT_PAIRS_LIMIT,
) -> list[dict[str, Any]]:
    """Return the strongest theme pairs counted in the same documents, with counts, lift and p_value.

    lift = documents with both x all documents / (documents with a x documents with b):
    1 when the themes are independent, above 1 when they go together.

    Args:
        con: a warehouse connection.
        filters: the documents counted; with themes, only pairs that involve one of them.
        min_documents: leave out pairs sharing fewer documents (default: 3, or 5% of the
            documents when that is more).
        limit: the strongest pairs returned (None: all); every row carries `total_pairs`,
            the number of pairs before the limit.

    Raises:
        UsageError: an unknown theme id, min_documents or limit below 1.
    """
    if min_documents is not None and min_documents < 1:
        raise UsageError("--min-documents must be at least 1")
    if limit is not None and limit < 1:
        raise UsageError("--limit must be at least 1")
    filters = filters or TrendFilters()
    params = query_params(con, filters)
    if min_documents is None:
        total = run_query(con, "filtered_documents", **params)[0]["documents"]
        min_documents = default_min_documents(int(total))
    if not filters.themes:
        params["themes"] = None
    rows = run_query(con, "cooccurrence", **params, min_documents=min_documents)
    for row, p_value in zip(rows, association_p(rows), strict=True):
        row["p_value"] = p_value
    rows.sort(key=lambda row: (row["p_value"], -row["lift"], row["theme_a"], row["theme_b"]))
    for row in rows:
        row["total_pairs"] = len(rows)
        row["min_documents"] = min_documents
    return rows[:limit] if limit is not None else rows
