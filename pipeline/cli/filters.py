"""The trend filter options, declared once and handed to commands as one `TrendFilters`.

`trend_filters(...)` adds the options a command offers (a subset of `TrendFilters`'
fields) and replaces them by a single `filters` argument, so `trends`, `heatmap`,
`report`, `evidence`, `recurring`, `rising` and `cooccurrence` read the same names,
types and help, and pass one object down to the analyses.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

import click

from pipeline.analysis.filters import BUCKETS, METRICS, TrendFilters
from pipeline.errors import UsageError
from pipeline.records import SECTIONS
from pipeline.vocabulary import normalise_doc_type, parse_year


class DocTypeType(click.ParamType):
    """A document type, in any case, or a common name: sar, SAR, SCR, Serious Case Review, DHR..."""

    name = "TYPE"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> str:
        """Return the doc_type code; fail (exit 2) with the nearest valid ones."""
        try:
            return normalise_doc_type(str(value))
        except UsageError as error:
            self.fail(str(error), param, ctx)


class YearType(click.ParamType):
    """A year, or a reporting period read as its end year (2022-23 is 2023)."""

    name = "YEAR"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> int:
        """Return the year; fail (exit 2) on anything else."""
        if isinstance(value, int):
            return value
        try:
            return parse_year(str(value))
        except UsageError as error:
            self.fail(str(error), param, ctx)


DOC_TYPE = DocTypeType()
YEAR = YearType()


def _options(buckets: tuple[str, ...], metrics: tuple[str, ...]) -> dict[str, Callable[[Any], Any]]:
    """Return each filter's click option, keyed by its TrendFilters field."""
    return {
        "themes": click.option(
            "--theme", "themes", multiple=True, help="Theme id (repeatable; default all)."
        ),
        "by": click.option("--by", type=click.Choice(buckets), default="year", show_default=True),
        "metric": click.option(
            "--metric",
            type=click.Choice(metrics),
            default="share",
            show_default=True,
            help="share: of documents discussing the theme; prominent: of documents where it is prominent.",
        ),
        "doc_types": click.option(
            "--doc-type",
            "doc_types",
            multiple=True,
            type=DOC_TYPE,
            help="Document type (repeatable; sar, SAR, SCR, DHR... are understood).",
        ),
        "areas": click.option("--area", "areas", multiple=True, help="Area, any case (repeatable)."),
        "since": click.option("--since", type=YEAR, help="First year included (2022-23 reads as 2023)."),
        "until": click.option("--until", type=YEAR, help="Last year included."),
        "sections": click.option(
            "--section",
            "sections",
            multiple=True,
            type=click.Choice(SECTIONS),
            help="Count only mentions in these sections (summary: executive summary, key findings; "
            "recommendations: also what needs to improve, areas for improvement, learning points).",
        ),
        "reviewed": click.option(
            "--reviewed",
            is_flag=True,
            help="Apply review decisions: rejected hits removed, themes added by reviewers counted.",
        ),
    }


def trend_filters(
    *names: str, buckets: tuple[str, ...] = BUCKETS, metrics: tuple[str, ...] = METRICS
) -> Callable[[Any], Any]:
    """Add the named filter options to a command and pass them on as one `filters: TrendFilters`.

    Args:
        names: TrendFilters fields to offer, in help order (default: all of them).
        buckets: the `--by` choices (the heatmap adds `document`).
        metrics: the `--metric` choices (commands that compare documents offer share and prominent).
    """
    options = _options(buckets, metrics)
    chosen = names or tuple(options)

    def decorate(command: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(command)
        def with_filters(*args: Any, **kwargs: Any) -> Any:
            values = {name: kwargs.pop(name) for name in chosen}
            return command(*args, filters=TrendFilters(**values), **kwargs)

        for name in reversed(chosen):
            with_filters = options[name](with_filters)
        return with_filters

    return decorate
