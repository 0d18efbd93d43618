"""Commands for the learning lead's comparisons: rising/falling themes and co-occurrence."""

from __future__ import annotations

import re
from typing import Any

import click

from pipeline.analysis import queries
from pipeline.analysis.cooccurrence import DEFAULT_PAIRS_LIMIT
from pipeline.analysis.cooccurrence import cooccurrence as find_pairs
from pipeline.analysis.filters import SHARE_METRICS, TrendFilters
from pipeline.cli.base import _read_con, cli, format_option
from pipeline.cli.filters import trend_filters
from pipeline.output import default_format, emit

YEAR_RANGE = re.compile(r"^\s*(\d{4})\s*(?:-\s*(\d{4}))?\s*$")
RISING_COLUMNS = [
    "theme",
    "early_years",
    "late_years",
    "direction",
    "early_share",
    "early_documents",
    "early_total",
    "late_share",
    "late_documents",
    "late_total",
    "change",
    "p_value",
    "q_value",
    "significant",
]
COOCCURRENCE_COLUMNS = [
    "theme_a",
    "theme_b",
    "documents",
    "documents_a",
    "documents_b",
    "total_documents",
    "lift",
    "p_value",
]


class YearRangeType(click.ParamType):
    """A year or an inclusive range of years: `2021` or `2018-2020`."""

    name = "YEAR[-YEAR]"

    def convert(
        self, value: Any, param: click.Parameter | None, ctx: click.Context | None
    ) -> queries.YearRange:
        """Parse the text into (first, last), failing with exit 2 on anything else."""
        if isinstance(value, tuple):
            return value
        match = YEAR_RANGE.match(str(value))
        if not match:
            self.fail(f"{value!r} is not a year or a range of years such as 2018-2020", param, ctx)
        first = int(match.group(1))
        return first, int(match.group(2) or first)


def _table_rows(rows: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], list[str]]:
    """Show each period's share as "45% (9/20)" under its years and the change in points, for people."""
    if not rows:
        return [], []
    early, late = f"{rows[0]['early_years']} share", f"{rows[0]['late_years']} share"
    table = [
        {
            "theme": row["theme"],
            "direction": row["direction"],
            early: f"{row['early_share']:.0%} ({row['early_documents']}/{row['early_total']})",
            late: f"{row['late_share']:.0%} ({row['late_documents']}/{row['late_total']})",
            "change": f"{row['change'] * 100:+.0f} pts",
            "p": row["p_value"],
            "q": row["q_value"],
            "significant": "yes" if row["significant"] else "no",
        }
        for row in rows
    ]
    return table, list(table[0])


@cli.command()
@click.option("--early", type=YearRangeType(), help="Early period, e.g. 2018-2020 (default: first half).")
@click.option("--late", type=YearRangeType(), help="Late period, e.g. 2023-2025 (default: second half).")
@click.option("--falling", "direction", flag_value="falling", help="Falling themes instead of rising ones.")
@click.option("--both", "direction", flag_value="both", help="Rising and falling themes.")
@trend_filters("themes", "doc_types", "areas", "since", "until", "metric", "reviewed", metrics=SHARE_METRICS)
@click.option(
    "--min-documents",
    type=int,
    default=queries.DEFAULT_MIN_DOCUMENTS,
    show_default=True,
    help="Test only themes in at least this many documents over both periods.",
)
@click.option(
    "--alpha",
    type=float,
    default=queries.DEFAULT_ALPHA,
    show_default=True,
    help="False discovery rate (Benjamini-Hochberg) for `significant`.",
)
@click.option("--all", "include_all", is_flag=True, help="Also list changes that are not significant.")
@format_option
@click.pass_context
def rising(
    ctx: click.Context, direction: str | None, fmt: str | None, filters: TrendFilters, **options: Any
) -> None:
    """Themes whose share of documents rose (or fell) between two periods, with a significance test.

    Compares the share of documents featuring each theme in an early and a late
    period with Fisher's exact test, corrected for testing many themes at once
    (Benjamini-Hochberg q values). Document counts sit beside every share. By
    default the years present are split into a first and a second half (the
    middle year of an odd count is left out) and only significant changes are
    listed; --all lists every theme tested. A document features a theme when it
    discusses it (`document_themes`); --metric prominent tests the share of
    documents where the theme is prominent instead.

    \b
    Examples:
      run_pipeline.py rising
      run_pipeline.py rising --metric prominent --both
      run_pipeline.py rising --early 2018-2020 --late 2023-2025 --both --all
      run_pipeline.py rising --falling --doc-type sar --format csv > falling.csv
    """
    direction = direction or "rising"
    with _read_con(ctx) as con:
        queries.require_documents(con, filters)
        rows = queries.rising(con, filters, direction=direction, **options)
    fmt = fmt or default_format()
    title = "Rising and falling themes" if direction == "both" else f"{direction.capitalize()} themes"
    if fmt == "table":
        table, columns = _table_rows(rows)
        emit(table, fmt, columns=columns, title=title)
    else:
        emit(rows, fmt, columns=RISING_COLUMNS, title=title)


@cli.command()
@trend_filters(
    "themes", "doc_types", "areas", "since", "until", "metric", "reviewed", metrics=SHARE_METRICS
)
@click.option(
    "--min-documents",
    type=click.IntRange(min=1),
    default=None,
    help="Leave out pairs sharing fewer documents (default: 3, or 5% of the documents if more).",
)
@click.option(
    "--limit",
    type=click.IntRange(min=0),
    default=DEFAULT_PAIRS_LIMIT,
    show_default=True,
    help="The strongest pairs shown (0: all).",
)
@format_option
@click.pass_context
def cooccurrence(
    ctx: click.Context, fmt: str | None, filters: TrendFilters, min_documents: int | None, limit: int
) -> None:
    """Themes that go together: documents featuring both of a pair, with lift, highest lift first.

    lift = documents with both x all documents / (documents with one x documents with
    the other): 1 when the themes are independent, above 1 when they go together.

    \b
    Examples:
      run_pipeline.py cooccurrence
      run_pipeline.py cooccurrence --theme self_neglect --min-documents 3
      run_pipeline.py cooccurrence --doc-type sar --format csv > pairs.csv
    """
    with _read_con(ctx) as con:
        queries.require_documents(con, filters)
        rows = find_pairs(con, filters, min_documents=min_documents, limit=limit or None)
    emit(rows, fmt or default_format(), columns=COOCCURRENCE_COLUMNS, title="Themes that go together")
    if rows and len(rows) < rows[0]["total_pairs"]:
        click.echo(
            f"Showing the {len(rows)} strongest of {rows[0]['total_pairs']} pairs sharing at least "
            f"{rows[0]['min_documents']} documents: --limit 0 shows them all, "
            "--min-documents changes the support.",
            err=True,
        )
