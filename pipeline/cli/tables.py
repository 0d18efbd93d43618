"""Trend rows printed as a theme x bucket table for people (`trends`, `run`)."""

from __future__ import annotations

from typing import Any

import click

from pipeline.analysis import queries


def _pivot_rows(rows: list[dict[str, Any]], metric: str) -> tuple[list[dict[str, Any]], list[str]]:
    buckets, table = queries.pivot_trends(rows)
    totals = {bucket: next(r["total_documents"] for r in rows if r["bucket"] == bucket) for bucket in buckets}
    header = [f"{bucket}\n(n={totals[bucket]})" for bucket in buckets]
    out = []
    for theme, cells in table.items():
        if not any(cell["documents"] for cell in cells.values()):
            continue
        row: dict[str, Any] = {"theme": theme}
        for bucket, label in zip(buckets, header, strict=True):
            cell = cells[bucket]
            if metric == "share":
                row[label] = f"{cell['value']:.0%} ({cell['documents']})" if cell["documents"] else "·"
            else:
                row[label] = cell["value"]
        out.append(row)
    return out, ["theme", *header]


def print_trend_table(rows: list[dict[str, Any]], metric: str, title: str) -> None:
    """Print trends as a theme x bucket table (share cells read "45% (9)": share, documents)."""
    from pipeline.output import print_wide_table

    table_rows, columns = _pivot_rows(rows, metric)
    if not table_rows:
        click.echo("No theme has a counted mention in the documents these filters select.", err=True)
        return
    print_wide_table(table_rows, columns, title=title)


