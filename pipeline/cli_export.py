"""Commands that write files for people: heatmap, report, export."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from pipeline import queries
from pipeline.cli import _read_con, cli
from pipeline.records import DOC_TYPES


@cli.command()
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="Output file: .png, .svg or .csv.",
)
@click.option("--by", type=click.Choice(queries.BUCKETS), default="year", show_default=True)
@click.option("--metric", type=click.Choice(queries.METRICS), default="share", show_default=True)
@click.option("--theme", "themes", multiple=True, help="Theme id (repeatable; default all with a hit).")
@click.option("--doc-type", "doc_types", multiple=True, type=click.Choice(DOC_TYPES))
@click.pass_context
def heatmap(ctx: click.Context, out: Path, **filters: Any) -> None:
    """Write a theme heatmap; the format follows the extension.

    \b
    Examples:
      run_pipeline.py heatmap --out heatmap.png
      run_pipeline.py heatmap --out by-type.svg --by doc_type --doc-type sar --doc-type cspr
    """
    from pipeline.export import write_heatmap

    with _read_con(ctx) as con:
        matrix = write_heatmap(con, out, **filters)
    click.echo(f"Wrote {out} ({len(matrix.themes)} themes x {len(matrix.buckets)} {filters['by']} columns)")
