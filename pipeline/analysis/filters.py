"""The one set of trend filters, from the CLI and the dashboard down to the named queries.

`TrendFilters` is declared here only: the CLI options (`cli/filters.py`) and the
dashboard's query strings (`web/forms.py`) build one, every analysis and output takes
one, and `sql_params()` turns it into the `$name` parameters the SQL files read.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from typing import Any

from pipeline.errors import UsageError
from pipeline.records import SECTIONS
from pipeline.vocabulary import normalise_doc_type

BUCKETS = ("year", "doc_type", "area")
# The heatmap (and only the heatmap) can also show one column per document.
ALL_BUCKETS = (*BUCKETS, "document")
METRICS = ("share", "prominent", "documents", "mentions", "per_10k")
# Metrics whose values are shares of a column's documents (shown as %, on a 0-100% colour scale).
SHARE_METRICS = ("share", "prominent")
LIST_FIELDS = ("themes", "doc_types", "areas", "sections")


def _check(value: str, choices: tuple[str, ...], option: str) -> None:
    if value not in choices:
        raise UsageError(f"Unknown {option} {value!r}; choose one of {', '.join(choices)}")


@dataclass(frozen=True)
class TrendFilters:
    """Which documents and mentions a trend counts, and how it groups and measures them.

    Empty tuples mean "no filter" (every theme, type, area, section). Values are checked
    on creation (document types may be given as SAR, Serious Case Review, ...);
    themes and areas are checked against the warehouse by `queries.resolve_filters`.

    Attributes:
        themes: theme ids (all when empty).
        by: the column of a trend: year, doc_type, area (or document, heatmaps only).
        metric: share, prominent (share of documents where the theme is prominent), documents,
            mentions or per_10k.
        doc_types, areas, sections: count only these.
        since, until: first and last year counted (inclusive).
        reviewed: apply review decisions (rejected hits removed, added themes counted).
    """

    themes: tuple[str, ...] = ()
    by: str = "year"
    metric: str = "share"
    doc_types: tuple[str, ...] = ()
    areas: tuple[str, ...] = ()
    since: int | None = None
    until: int | None = None
    sections: tuple[str, ...] = ()
    reviewed: bool = False

    def __post_init__(self) -> None:
        for name in LIST_FIELDS:
            values = (str(value).strip() for value in getattr(self, name) or ())
            object.__setattr__(self, name, tuple(dict.fromkeys(value for value in values if value)))
        object.__setattr__(self, "doc_types", tuple(dict.fromkeys(map(normalise_doc_type, self.doc_types))))
        _check(self.by, ALL_BUCKETS, "--by")
        _check(self.metric, METRICS, "--metric")
        for section in self.sections:
            _check(section, SECTIONS, "--section")
        if self.since is not None and self.until is not None and self.since > self.until:
            raise UsageError(f"--since {self.since} is after --until {self.until}: nothing could match.")

    def but(self, **changes: Any) -> TrendFilters:
        """Return a copy with some fields changed (validated again)."""
        return replace(self, **changes)

    def sql_params(self) -> dict[str, Any]:
        """Return the `$name` parameters of the trend SQL files (empty lists as NULL: no filter).

        Themes are left out: they must be resolved against the codebook first
        (`queries.resolve_themes`).
        """
        return {
            "by": self.by,
            "metric": self.metric,
            "doc_types": list(self.doc_types) or None,
            "areas": list(self.areas) or None,
            "since": self.since,
            "until": self.until,
            "sections": list(self.sections) or None,
            "reviewed": self.reviewed,
        }

    def describe(self) -> str:
        """Return the narrowing filters as the CLI options that set them ("" when none)."""
        parts = [f"--doc-type {value}" for value in self.doc_types]
        parts += [f"--area {value!r}" if " " in value else f"--area {value}" for value in self.areas]
        parts += [f"--since {self.since}"] if self.since is not None else []
        parts += [f"--until {self.until}"] if self.until is not None else []
        parts += [f"--section {value}" for value in self.sections]
        return " ".join(parts)

    @classmethod
    def field_names(cls) -> tuple[str, ...]:
        """Return the names of the filters (the CLI options and URL parameters map onto them)."""
        return tuple(f.name for f in fields(cls))
