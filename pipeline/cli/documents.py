"""Commands about the documents themselves: list them, correct their metadata, see quarantined files."""

from __future__ import annotations

from pathlib import Path

import click

from pipeline.cli.base import _db, _read_con, cli, format_option
from pipeline.cli.filters import DOC_TYPE
from pipeline.output import default_format, emit
from warehouse.db import connect_write, run_query, writer_lock

DEFAULT_WAIT_S = 60.0
DOCUMENT_COLUMNS = ["ref", "title", "doc_type", "area", "year", "pages", "themes", "metadata_source", "path"]
CHANGE_COLUMNS = ["changed_at", "changed_by", "source", "field", "old_value", "new_value", "title", "note"]
QUARANTINE_COLUMNS = ["path", "reason", "message", "quarantined_at", "times", "on_disk"]
QUARANTINE_LIMIT = 10_000


@cli.group(invoke_without_command=True)
@format_option
@click.pass_context
def documents(ctx: click.Context, fmt: str | None) -> None:
    """The documents counted in trends (the latest version of each file); correct their metadata.

    `ref` is the start of each document's sha256: `documents set REF` takes it (or the path).

    \b
    Examples:
      run_pipeline.py documents --format csv > documents.csv
      run_pipeline.py documents set 3fa9c2d1e0b4 --area "St. Helens" --year 2022-23
      run_pipeline.py documents changes
    """
    if ctx.invoked_subcommand is not None:
        return
    with _read_con(ctx) as con:
        rows = run_query(con, "documents")
    for row in rows:
        row["ref"] = row["sha256"][:12]
    fmt = fmt or default_format()
    emit(rows, fmt, columns=DOCUMENT_COLUMNS if fmt != "json" else None, title="Documents")


@documents.command("set")
@click.argument("ref")
@click.option("--title", help="The document's title.")
@click.option("--doc-type", "doc_type", type=DOC_TYPE, help="Its type: sar, SAR, SCR, DHR, annual report...")
@click.option("--area", help="The area it is about, e.g. 'St. Helens'.")
@click.option("--year", help="Its year: 2023, or a reporting period such as 2022-23 (the end year).")
@click.option("--note", help="Why, kept with the change.")
@click.option("--by", "who", help="Who changed it (default: your login name).")
@click.option(
    "--wait",
    "wait_s",
    type=float,
    default=DEFAULT_WAIT_S,
    show_default=True,
    help="Seconds to wait for a running ingest.",
)
@format_option
@click.pass_context
def set_document(
    ctx: click.Context,
    ref: str,
    fmt: str | None,
    wait_s: float,
    note: str | None,
    who: str | None,
    **values: str | None,
) -> None:
    """Correct a document's title, type, area or year; the change is recorded with who and when.

    REF is the start of the sha256 that `documents` lists, or the file's path. Trends,
    heatmaps and the briefing use the corrected values at once. A manifest row for the
    same file that is edited later overrides this again.

    \b
    Examples:
      run_pipeline.py documents set 3fa9c2d1e0b4 --doc-type SAR --year 2022-23
      run_pipeline.py documents set ~/reviews/sar-k.pdf --area "West Northamptonshire" --note "from the cover"
    """
    from pipeline.ingest.corrections import set_metadata

    path = _db(ctx)
    with writer_lock(path, wait_s=wait_s, command="documents set"):
        con = connect_write(path, wait_s=wait_s)
        try:
            changes = set_metadata(con, ref, values, who=who, note=note)
        finally:
            con.close()
    rows = [change.__dict__ for change in changes]
    if not rows:
        click.echo("Nothing to change: the document already has these values.", err=True)
        return
    emit(rows, fmt or default_format(), columns=["field", "old_value", "new_value", "path"], title="Changed")


@documents.command()
@click.argument("ref", required=False)
@click.option("--limit", type=click.IntRange(min=1), default=50, show_default=True)
@format_option
@click.pass_context
def changes(ctx: click.Context, ref: str | None, limit: int, fmt: str | None) -> None:
    """Corrections of document metadata, newest first: from a manifest or `documents set`, who and when.

    \b
    Examples:
      run_pipeline.py documents changes
      run_pipeline.py documents changes 3fa9c2d1e0b4 --format csv
    """
    from pipeline.ingest.corrections import find_document

    with _read_con(ctx) as con:
        sha256 = find_document(con, ref)["sha256"] if ref else None
        rows = run_query(con, "metadata_changes", sha256=sha256, limit=limit)
    emit(rows, fmt or default_format(), columns=CHANGE_COLUMNS, title="Metadata changes")


@cli.command()
@format_option
@click.pass_context
def quarantine(ctx: click.Context, fmt: str | None) -> None:
    """Files still quarantined (not loaded since), with the reason; each was reported once.

    A quarantined file is not read or reported again until it changes; replace it
    (or fix it) and the next ingest reads it. `ingest --retry-quarantined` reads them all.

    \b
    Example:
      run_pipeline.py quarantine --format csv > quarantined.csv
    """
    with _read_con(ctx) as con:
        rows = run_query(con, "web_quarantine", limit=QUARANTINE_LIMIT)
    for row in rows:
        row["on_disk"] = Path(row["path"]).exists()
    if not rows:
        click.echo("No file is quarantined.", err=True)
        return
    emit(rows, fmt or default_format(), columns=QUARANTINE_COLUMNS, title="Quarantined files")
