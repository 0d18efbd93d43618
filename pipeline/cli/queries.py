"""Commands for the learning lead's questions: trends, recurring, evidence, sql, runs, documents."""

from __future__ import annotations

from typing import Any

import click

from pipeline.analysis import queries
from pipeline.analysis.filters import SHARE_METRICS, TrendFilters
from pipeline.analysis.saturation import saturated_themes
from pipeline.cli.base import _db, _read_con, cli, format_option
from pipeline.cli.filters import YEAR, trend_filters
from pipeline.cli.tables import print_trend_table
from pipeline.output import default_format, emit, emit_records
from warehouse.db import check_read_only_sql, connect_read, run_query

OUTSTANDING_LIMIT = 10_000

TREND_COLUMNS = [
    "theme", "bucket", "value", "documents", "total_documents", "mentions",
    "prominent_documents", "prominent_share", "saturated", "reviewed",
]


@cli.command()
@trend_filters()
@format_option
@click.pass_context
def trends(ctx: click.Context, fmt: str | None, filters: TrendFilters) -> None:
    """Theme trend cells: share of documents (default), prominent share, documents, mentions, per 10k words.

    Every (theme, bucket) pair is returned, zeros included, with the bucket's
    document count beside every value. A document counts for a theme when the theme
    is discussed there (`document_themes`); --metric prominent counts the documents
    where it is prominent (in the summary, findings or recommendations, or the subject
    of a paragraph). Themes in nearly every document of every year are marked saturated.

    \b
    Examples:
      run_pipeline.py trends
      run_pipeline.py trends --metric prominent
      run_pipeline.py trends --theme self_neglect --theme hoarding --format json
      run_pipeline.py trends --by doc_type --since 2021 --section recommendations
    """
    with _read_con(ctx) as con:
        queries.require_documents(con, filters)
        rows = queries.trends(con, filters)
        saturated = saturated_themes(con, filters) if filters.metric in SHARE_METRICS else {}
    for row in rows:
        row["saturated"] = row["theme"] in saturated
        row["reviewed"] = filters.reviewed  # a script reading the file can tell corrected counts apart
    fmt = fmt or default_format()
    if fmt == "table":
        applied = ", review decisions applied" if filters.reviewed else ""
        title = f"Themes by {filters.by} ({filters.metric}{applied})"
        print_trend_table(rows, filters.metric, title, saturated=saturated)
    else:
        emit(rows, fmt, columns=TREND_COLUMNS)


@cli.command()
@click.option("--min-years", type=int, default=3, show_default=True)
@trend_filters("doc_types", "areas", "since", "until", "metric", "reviewed", metrics=SHARE_METRICS)
@format_option
@click.pass_context
def recurring(ctx: click.Context, min_years: int, filters: TrendFilters, fmt: str | None) -> None:
    """Themes that keep coming up: present in at least N distinct years, with the years.

    A theme is present in a year when a document of that year discusses it (--metric
    prominent: when it is prominent in one); prominent_share sits beside every share, and
    `saturated` marks themes discussed in nearly every document of every year.

    \b
    Examples:
      run_pipeline.py recurring --min-years 5 --doc-type sar
      run_pipeline.py recurring --metric prominent
    """
    with _read_con(ctx) as con:
        queries.require_documents(con, filters)
        rows = queries.recurring(con, filters, min_years=min_years)
        saturated = saturated_themes(con, filters)
    for row in rows:
        row["saturated"] = row["theme"] in saturated
    emit(rows, fmt or default_format(), title=f"Themes present in at least {min_years} years")


@cli.command()
@click.option("--theme", required=True, help="Theme id.")
@click.option("--year", type=YEAR, help="Only documents of this year (2022-23 reads as 2023).")
@trend_filters("doc_types", "areas", "since", "until", "reviewed")
@click.option("--search", help="Only sentences containing this text.")
@click.option(
    "--all", "include_uncounted", is_flag=True, help="Include mentions not counted, with the reason."
)
@click.option(
    "--review", "include_review", is_flag=True, help="Show review status and the ref `review` takes."
)
@click.option("--limit", type=int, default=queries.DEFAULT_EVIDENCE_LIMIT, show_default=True)
@format_option
@click.pass_context
def evidence(
    ctx: click.Context,
    fmt: str | None,
    include_review: bool,
    theme: str,
    year: int | None,
    filters: TrendFilters,
    **options: Any,
) -> None:
    """The sentences behind a number: title, year, doc_type, page, sentence, matched text.

    \b
    Examples:
      run_pipeline.py evidence --theme professional_curiosity --year 2023
      run_pipeline.py evidence --theme self_neglect --all --format csv > self_neglect.csv
      run_pipeline.py evidence --theme hoarding --review     # then: review accept REF
    """
    if year is not None:
        filters = filters.but(since=year, until=year)
    with _read_con(ctx) as con:
        queries.require_documents(con, filters)
        rows = queries.evidence(con, filters, theme=theme, **options)
    columns = ["title", "year", "doc_type", "page", "sentence", "matched_text"]
    if any(row.get("ocr_engine") for row in rows):  # quotes from pages read by OCR say so
        columns.insert(4, "ocr_engine")
    if include_review:
        columns += ["review_status", "review_ref"]
    if options["include_uncounted"]:
        columns += ["counted", "reason"]
    head = [column for column in columns if column != "sentence"]
    title = f"Evidence for {theme}"
    emit_records(rows, fmt or default_format(), head=head, text="sentence", columns=columns, title=title)
    total = rows[0]["total"] if rows else 0
    if len(rows) < total:
        click.echo(f"Showing {len(rows)} of {total} sentences: --limit {total} shows them all.", err=True)


@cli.command()
@click.argument("query")
@format_option
@click.pass_context
def sql(ctx: click.Context, query: str, fmt: str | None) -> None:
    """Run one read-only SQL query against the warehouse (writes are refused, exit 2).

    The query reads the warehouse and nothing else: files (read_text, glob, read_csv...)
    and other databases are refused.

    \b
    Examples:
      run_pipeline.py sql "SELECT doc_type, count(*) FROM current_documents GROUP BY ALL"
      run_pipeline.py sql "SELECT theme, count(*) n FROM current_mentions GROUP BY ALL ORDER BY n DESC"
    """
    import duckdb

    from pipeline.errors import UsageError

    check_read_only_sql(query)
    with connect_read(_db(ctx), sandboxed=True) as con:
        try:
            cursor = con.execute(query)
        except duckdb.Error as error:
            raise UsageError(f"SQL error: {error}") from None
        columns = [c[0] for c in cursor.description]
        rows = [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]
    emit(rows, fmt or default_format(), columns=columns)


@cli.command()
@click.option("--limit", type=int, default=20, show_default=True)
@format_option
@click.pass_context
def runs(ctx: click.Context, limit: int, fmt: str | None) -> None:
    """Ingestion history, newest first, with quarantined files and their reasons.

    \b
    Example:
      run_pipeline.py runs --limit 5
    """
    from warehouse.lock import describe_holder, lock_holder

    with _read_con(ctx) as con:
        rows = run_query(con, "runs", limit=limit)
    holder = lock_holder(_db(ctx))
    if holder is not None:
        click.echo(f"The warehouse is being written by {describe_holder(holder)}.", err=True)
    for row in rows:  # a run still marked running whose process is gone was interrupted
        alive = holder is not None and holder.get("run_id", row["run_id"]) == row["run_id"]
        if row["status"] == "running" and not alive:
            row["status"] = "interrupted"
    fmt = fmt or default_format()
    if fmt == "table":
        for row in rows:
            row["quarantined"] = [f"{q['path']} ({q['reason']})" for q in row["quarantined"]]
    columns = [
        "run_id",
        "command",
        "status",
        "started_at",
        "finished_at",
        "seen",
        "new",
        "skipped",
        "retagged",
        "quarantined",
        "still_quarantined",
        "pages",
        "taxonomy_version",
    ]
    emit(rows, fmt, columns=columns if fmt != "json" else None, title="Runs")
    if fmt == "table":
        with _read_con(ctx) as con:
            outstanding = len(run_query(con, "web_quarantine", limit=OUTSTANDING_LIMIT))
        if outstanding:
            click.echo(f"{outstanding} file(s) still quarantined: `quarantine` lists them.", err=True)
