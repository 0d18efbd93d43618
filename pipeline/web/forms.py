"""Parse and validate the query strings of dashboard URLs.

Every filter a page accepts is read here, checked against an allowlist or a type,
and bounded, so handlers only ever pass clean values to named queries. A bad value
raises `BadRequest` (a 400 page that says what is allowed).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from starlette.datastructures import QueryParams

from pipeline.analysis.filters import ALL_BUCKETS, METRICS, TrendFilters
from pipeline.errors import UsageError
from pipeline.outputs.heatmap.matrix import ROW_ORDERS
from pipeline.records import SECTIONS
from pipeline.tag.taxonomy import GROUPS

MAX_TEXT_LENGTH = 200
MAX_LIST_VALUES = 50
MAX_PAGE = 10_000
MAX_SEARCH_TERMS = 10
SEARCH_TERM = re.compile(r'"([^"]+)"|(\S+)')
YEAR_RANGE = (1900, 2100)
DOWNLOAD_FORMATS = ("html", "csv", "json")


class BadRequest(ValueError):
    """A query-string value the page cannot use; the message says what is allowed."""


def text(params: QueryParams, name: str) -> str | None:
    """Return a stripped, length-bounded text parameter, or None when empty."""
    value = (params.get(name) or "").strip()
    if len(value) > MAX_TEXT_LENGTH:
        raise BadRequest(f"{name} is longer than {MAX_TEXT_LENGTH} characters")
    return value or None


def choice(params: QueryParams, name: str, choices: Sequence[str], default: str) -> str:
    """Return a parameter that must be one of `choices`."""
    value = params.get(name) or default
    if value not in choices:
        raise BadRequest(f"Unknown {name} {value!r}; choose one of {', '.join(choices)}")
    return value


def choices(params: QueryParams, name: str, allowed: Sequence[str] | None = None) -> list[str]:
    """Return a repeatable parameter's distinct non-empty values (checked when `allowed` is given)."""
    values = [value.strip() for value in params.getlist(name) if value.strip()]
    if len(values) > MAX_LIST_VALUES or any(len(value) > MAX_TEXT_LENGTH for value in values):
        raise BadRequest(f"Too many or too long values for {name}")
    unknown = [value for value in values if allowed is not None and value not in allowed]
    if unknown:
        raise BadRequest(f"Unknown {name} {', '.join(unknown)}; choose from {', '.join(allowed or ())}")
    return list(dict.fromkeys(values))


def integer(params: QueryParams, name: str, bounds: tuple[int, int]) -> int | None:
    """Return an integer parameter within `bounds` (inclusive), or None when empty."""
    value = (params.get(name) or "").strip()
    if not value:
        return None
    if not value.lstrip("-").isdigit() or not bounds[0] <= int(value) <= bounds[1]:
        raise BadRequest(f"{name} must be a whole number from {bounds[0]} to {bounds[1]}")
    return int(value)


def search_terms(value: str | None) -> list[str]:
    """Split search words into terms: each word, or each "quoted phrase", must appear."""
    if not value:
        return []
    terms = [phrase or word for phrase, word in SEARCH_TERM.findall(value)]
    return list(dict.fromkeys(term for term in terms if term))[:MAX_SEARCH_TERMS]


def like_patterns(value: str | None) -> list[str] | None:
    """Return an ILIKE pattern per search term, longest first, matching it literally (`%`, `_`, `\\` escaped).

    Returns:
        The patterns, or None when there is nothing to search for (the named queries' "no filter").
    """
    escaped = [
        term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        for term in sorted(search_terms(value), key=len, reverse=True)
    ]
    return [f"%{term}%" for term in escaped] or None


def page_number(params: QueryParams) -> int:
    """Return the 1-based page of a paged list."""
    return integer(params, "page", (1, MAX_PAGE)) or 1


def download_format(params: QueryParams) -> str:
    """Return html (the page), csv or json (a download of what the page shows)."""
    return choice(params, "format", DOWNLOAD_FORMATS, "html")


def query_string(**params: Any) -> str:
    """Encode parameters for a link, leaving out empty values; lists repeat their key."""
    kept = {key: value for key, value in params.items() if value not in (None, "", [], (), False)}
    return urlencode({key: 1 if value is True else value for key, value in kept.items()}, doseq=True)


def trend_filters(params: QueryParams) -> TrendFilters:
    """Read the trend filters from a query string (the names of the CLI's `trends` options)."""
    try:
        return TrendFilters(
            themes=tuple(choices(params, "theme")),
            by=choice(params, "by", ALL_BUCKETS, "year"),
            metric=choice(params, "metric", METRICS, "share"),
            doc_types=tuple(choices(params, "doc_type")),
            areas=tuple(choices(params, "area")),
            since=integer(params, "since", YEAR_RANGE),
            until=integer(params, "until", YEAR_RANGE),
            sections=tuple(choices(params, "section", SECTIONS)),
            reviewed=params.get("reviewed") == "1",
        )
    except UsageError as error:
        raise BadRequest(str(error)) from None


def filter_params(filters: TrendFilters) -> dict[str, Any]:
    """Return the filters as URL parameters (the names the pages' forms use); themes are left out."""
    return {
        "by": filters.by,
        "metric": filters.metric,
        "doc_type": list(filters.doc_types),
        "area": list(filters.areas),
        "since": filters.since,
        "until": filters.until,
        "section": list(filters.sections),
        "reviewed": 1 if filters.reviewed else None,
    }


@dataclass(frozen=True)
class HeatmapView:
    """The heatmap page's trend filters plus how it shows them (a theme group, a row order).

    Attribute reads fall through to the filters, so templates say `view.by`, `view.areas`.
    """

    filters: TrendFilters
    group: str | None = None
    order: str = "total"

    @classmethod
    def parse(cls, params: QueryParams) -> HeatmapView:
        """Read the filters, the theme group and the row order from a query string."""
        group = params.get("group") or None
        if group is not None and group not in GROUPS:
            raise BadRequest(f"Unknown group {group!r}; choose one of {', '.join(GROUPS)}")
        return cls(trend_filters(params), group, choice(params, "order", ROW_ORDERS, "total"))

    def __getattr__(self, name: str) -> Any:
        """Read a trend filter (by, metric, doc_types, areas, since, until, sections, reviewed)."""
        if name.startswith("__") or name == "filters":
            raise AttributeError(name)
        return getattr(self.filters, name)

    def link_params(self) -> dict[str, Any]:
        """Return the view as URL parameters."""
        return {
            **filter_params(self.filters),
            "group": self.group,
            "order": None if self.order == "total" else self.order,
        }

    def cell_params(self) -> dict[str, Any]:
        """Return the URL parameters that narrow evidence the way this heatmap's cells count."""
        params = filter_params(self.filters)
        del params["metric"]
        return params
