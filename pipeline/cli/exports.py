"""Commands that write files for people: heatmap, report, export."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from pipeline.analysis import queries
from pipeline.analysis.filters import SHARE_METRICS, TrendFilters
from pipeline.cli.base import _read_con, cli
from pipeline.cli.filters import trend_filters
from pipeline.outputs.heatmap.matrix import HEATMAP_BUCKETS, ROW_ORDERS
from pipeline.outputs.heatmap.style import DEFAULT_PALETTE, PALETTES
from pipeline.outputs.heatmap.write import DEFAULT_EVIDENCE_PER_CELL
from pipeline.outputs.qdpx import DEFAULT_PROJECT_NAME

OUT_TYPE = click.Path(dir_okay=False, path_type=Path)


@cli.command()
@click.option("--out", type=OUT_TYPE, required=True, help="Output file: .png, .svg, .html, .csv or .xlsx.")
@trend_filters(buckets=HEATMAP_BUCKETS)
@click.option(
    "--order",
    type=click.Choice(ROW_ORDERS),
    default="total",
    show_default=True,
    help="Rows by total documents, by rising trend (--by year), or clustered by similar profile.",
)
@click.option(
    "--values/--no-values", "show_values", default=True, show_default=True, help="Numbers in the cells."
)
@click.option(
    "--palette",
    type=click.Choice(PALETTES),
    default=DEFAULT_PALETTE,
    show_default=True,
    help="Colour-blind-safe sequential palette.",
)
@click.option(
    "--quotes",
    "evidence_per_cell",
    type=click.IntRange(0, 20),
    default=DEFAULT_EVIDENCE_PER_CELL,
    show_default=True,
    help="Evidence sentences per cell (.html, .xlsx).",
)
@click.pass_context
def heatmap(ctx: click.Context, out: Path, filters: TrendFilters, **options: Any) -> None:
    """Write a theme heatmap; the format follows the extension.

    PNG and SVG are static and print-ready; HTML is interactive and self-contained
    (hover a cell for its share, document count and evidence quotes); CSV and XLSX
    hold the numbers (XLSX also the quotes). Columns show their document count.

    \b
    Examples:
      run_pipeline.py heatmap --out heatmap.png
      run_pipeline.py heatmap --out heatmap.html --order cluster
      run_pipeline.py heatmap --out by-type.svg --by doc_type --doc-type sar --doc-type cspr
      run_pipeline.py heatmap --out documents.xlsx --by document --metric mentions
    """
    from pipeline.outputs.heatmap.write import write_heatmap

    with _read_con(ctx) as con:
        matrix = write_heatmap(con, out, filters, **options)
    click.echo(f"Wrote {out} ({len(matrix.themes)} themes x {len(matrix.buckets)} {filters.by} columns)")


@cli.command()
@click.option("--out", type=OUT_TYPE, required=True, help="Output file: .html (or .pdf).")
@trend_filters("themes", "doc_types", "areas", "since", "until", "metric", "reviewed", metrics=SHARE_METRICS)
@click.option("--top", type=click.IntRange(min=1), default=8, show_default=True, help="Themes per list.")
@click.option("--quotes", type=click.IntRange(0, 10), default=3, show_default=True, help="Quotes per theme.")
@click.pass_context
def report(ctx: click.Context, out: Path, filters: TrendFilters, top: int, quotes: int) -> None:
    """Write a learning briefing for a board: recurring, rising and falling themes, heatmap, quotes,
    and how often people checking each theme's hits (`review`) found them right.

    Every quote is cited with the review's title, year and page, and every key message
    with the command that reproduces it. A theme is called rising or falling only when
    the `rising` test finds the change significant (its q value is given). Themes in
    nearly every report (saturated) are listed apart with their prominent share.
    --metric prominent bases it on the documents where each theme is prominent. `.pdf`
    is written with reportlab (no browser or system tools needed) and has the same sections.

    \b
    Examples:
      run_pipeline.py report --out briefing.html
      run_pipeline.py report --out briefing.pdf --doc-type sar --since 2020
      run_pipeline.py report --out prominent.html --metric prominent
    """
    from pipeline.outputs.report.write import write_report

    with _read_con(ctx) as con:
        briefing = write_report(con, out, filters, top=top, quotes=quotes)
    click.echo(f"Wrote {out} ({briefing.documents} documents, {len(briefing.recurring)} recurring themes)")


@cli.command("export")
@click.option("--format", "fmt", type=click.Choice(["qdpx"]), default="qdpx", show_default=True)
@click.option("--out", type=OUT_TYPE, required=True, help="Output file, e.g. project.qdpx.")
@click.option("--name", default=DEFAULT_PROJECT_NAME, show_default=True, help="Project name.")
@trend_filters("reviewed")
@click.pass_context
def export_project(ctx: click.Context, fmt: str, out: Path, name: str, filters: TrendFilters) -> None:
    """Export the warehouse as a REFI-QDA project for NVivo, MAXQDA, ATLAS.ti or QualCoder.

    The taxonomy becomes the codebook (with definitions), each document a text
    source (its cleaned text), each counted mention a coded selection, and
    doc_type, area and year source variables.

    \b
    Example:
      run_pipeline.py export --format qdpx --out project.qdpx
    """
    from pipeline.outputs.qdpx import write_qdpx

    with _read_con(ctx) as con:
        queries.require_documents(con, TrendFilters())
        summary = write_qdpx(con, out, name=name, reviewed=filters.reviewed)
    click.echo(
        f"Wrote {out} ({fmt}): {summary.sources} sources, {summary.codes} codes, "
        f"{summary.selections} coded selections"
    )
