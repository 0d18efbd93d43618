"""Trend rows printed as a theme x bucket table for people (`trends`, `run`)."""

from __future__ import annotations

import textwrap
from collections.abc import Collection
from typing import Any

import click

from pipeline.analysis import queries
from pipeline.analysis.filters import SHARE_METRICS
from pipeline.terminal import console_width

SATURATED_MARK = " *"
SATURATED_FOOTNOTE = (
    "* saturated: discussed in nearly every document of every year; after '·', the share of "
    "documents where it is prominent (a strand of the summary, findings or recommendations)."
)


def _share_cell(cell: dict[str, Any], metric: str, saturated: bool) -> str:
    count = cell["prominent_documents"] if metric == "prominent" else cell["documents"]
    if not cell["documents"]:
        return "·"
    text = f"{cell['value']:.0%} ({count})"
    return f"{text} · {cell['prominent_share']:.0%}" if saturated and metric == "share" else text


def _pivot_rows(
    rows: list[dict[str, Any]], metric: str, saturated: Collection[str] = ()
) -> tuple[list[dict[str, Any]], list[str]]:
    buckets, table = queries.pivot_trends(rows)
    totals = {bucket: next(r["total_documents"] for r in rows if r["bucket"] == bucket) for bucket in buckets}
    header = [f"{bucket}\n(n={totals[bucket]})" for bucket in buckets]
    out = []
    for theme, cells in table.items():
        if not any(cell["documents"] for cell in cells.values()):
            continue
        row: dict[str, Any] = {"theme": theme + (SATURATED_MARK if theme in saturated else "")}
        for bucket, label in zip(buckets, header, strict=True):
            cell = cells[bucket]
            if metric in SHARE_METRICS:
                row[label] = _share_cell(cell, metric, theme in saturated)
            else:
                row[label] = cell["value"]
        out.append(row)
    return out, ["theme", *header]


def print_trend_table(
    rows: list[dict[str, Any]], metric: str, title: str, *, saturated: Collection[str] = ()
) -> None:
    """Print trends as a theme x bucket table (share cells read "45% (9)": share, documents).

    Saturated themes are marked with a star and their share cells end with the share of
    documents where the theme is prominent ("98% (40) · 35%"), explained under the table.
    """
    from pipeline.output import print_wide_table

    table_rows, columns = _pivot_rows(rows, metric, saturated)
    if not table_rows:
        click.echo("No theme has a counted mention in the documents these filters select.", err=True)
        return
    print_wide_table(table_rows, columns, title=title)
    if saturated and metric in SHARE_METRICS:
        click.echo(textwrap.fill(SATURATED_FOOTNOTE, width=console_width()))


