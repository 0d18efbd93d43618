"""The command line: each command parses options, calls one library function, prints.

Errors map to the exit codes of ../shared/reference/cli.md in `ErrorMappingGroup`:
a PipelineError becomes its own code with its message; anything unexpected is
logged with its traceback and exits 1.
"""

from __future__ import annotations

import json
import logging
import os
import sys
import traceback
from datetime import datetime
from pathlib import Path
from typing import Any

import click

from pipeline import queries
from pipeline.errors import ExitCode, PipelineError
from pipeline.output import FORMATS, default_format, emit, to_json
from pipeline.progress import stderr_is_terminal
from pipeline.records import DOC_TYPES
from warehouse.db import check_read_only_sql, connect_read, default_db_path

CONTEXT_SETTINGS = {"help_option_names": ["-h", "--help"], "max_content_width": 100}
SAMPLE_CORPUS = Path(__file__).resolve().parent.parent / "corpus" / "sample"
log = logging.getLogger("pipeline")


class ErrorMappingGroup(click.Group):
    """A click group that turns our errors into the documented exit codes."""

    def invoke(self, ctx: click.Context) -> Any:
        """Run the command; map PipelineError to its code and crashes to 1 with a log file."""
        try:
            return super().invoke(ctx)
        except PipelineError as error:
            click.echo(f"error: {error}", err=True)
            ctx.exit(int(error.exit_code))
        except (click.exceptions.Exit, click.exceptions.Abort, click.ClickException):
            raise
        except BrokenPipeError:  # the reader of stdout went away (`| head`): not an error
            sys.stderr.close()
            ctx.exit(int(ExitCode.OK))
        except Exception:
            log_path = _write_crash_log(ctx)
            click.echo(f"error: an unexpected internal error occurred; details are in {log_path}", err=True)
            ctx.exit(int(ExitCode.INTERNAL_ERROR))


def _write_crash_log(ctx: click.Context) -> Path:
    db_path = (ctx.obj or {}).get("db_path", default_db_path())
    log_dir = Path(db_path).parent / "logs"
    try:
        log_dir.mkdir(parents=True, exist_ok=True)
    except OSError:
        log_dir = Path.cwd()
    log_path = log_dir / f"error-{datetime.now():%Y%m%d-%H%M%S}.log"
    log_path.write_text(f"{' '.join(sys.argv)}\n\n{traceback.format_exc()}", encoding="utf-8")
    return log_path


def format_option(func: Any) -> Any:
    """Add the shared `--format table|csv|json` option."""
    return click.option(
        "--format",
        "fmt",
        type=click.Choice(FORMATS),
        default=None,
        help="Output format (default: table on a terminal, json otherwise).",
    )(func)


def _db(ctx: click.Context) -> Path:
    return ctx.obj["db_path"]


def _read_con(ctx: click.Context):  # noqa: ANN202 - a duckdb connection
    return connect_read(_db(ctx))


@click.group(cls=ErrorMappingGroup, context_settings=CONTEXT_SETTINGS)
@click.option(
    "--db",
    "db_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Warehouse file (default: $THEMES_DB or warehouse/themes.duckdb).",
)
@click.option(
    "--taxonomy",
    "taxonomy_path",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    envvar="THEMES_TAXONOMY",
    default=None,
    help="Codebook folder (default: $THEMES_TAXONOMY or models/taxonomy).",
)
@click.option("-q", "--quiet", is_flag=True, help="Only errors on stderr; no progress bars.")
@click.option("-v", "--verbose", is_flag=True, help="Debug logging on stderr.")
@click.version_option(package_name="safeguarding-themes")
@click.pass_context
def cli(
    ctx: click.Context, db_path: Path | None, taxonomy_path: Path | None, quiet: bool, verbose: bool
) -> None:
    """Mine practice themes from safeguarding reviews, with evidence.

    \b
    Examples:
      run_pipeline.py run                      # sample corpus: ingest, trend table, heatmap.png
      run_pipeline.py ingest ~/reviews         # your own PDFs (a manifest.csv there supplies metadata)
      run_pipeline.py trends --by doc_type
      run_pipeline.py evidence --theme self_neglect --year 2024
    """
    level = logging.ERROR if quiet else logging.DEBUG if verbose else logging.WARNING
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s", stream=sys.stderr)
    ctx.ensure_object(dict)
    ctx.obj["db_path"] = db_path or default_db_path()
    ctx.obj["taxonomy_path"] = taxonomy_path
    ctx.obj["quiet"] = quiet
    ctx.obj["progress"] = not quiet and stderr_is_terminal()


def main() -> None:
    """Run the CLI (console script entry point)."""
    cli(obj={})


# ---------------------------------------------------------------- ingest and stages


CLASSIFIER_ENV = "THEMES_CLASSIFIER"


def _classifier_path(switch: bool | None) -> Path | None:
    """Resolve --classifier/--no-classifier (None: $THEMES_CLASSIFIER) without importing scikit-learn."""
    if switch is False or (switch is None and not os.environ.get(CLASSIFIER_ENV, "").strip()):
        return None
    from pipeline.classify import classifier_path

    return classifier_path(switch)


def classifier_option(func: Any) -> Any:
    """Add the shared `--classifier/--no-classifier` switch."""
    return click.option(
        "--classifier/--no-classifier",
        "use_classifier",
        default=None,
        help=f"Combine the rules with the trained classifier (default: ${CLASSIFIER_ENV}, off when unset).",
    )(func)


def _ingest_settings(  # noqa: ANN202
    ctx: click.Context, paths: tuple[Path, ...], use_classifier: bool | None = None, **options: Any
):
    from pipeline.run import IngestSettings

    return IngestSettings(
        paths=paths or (SAMPLE_CORPUS,),
        db_path=_db(ctx),
        show_progress=ctx.obj["progress"],
        taxonomy_path=ctx.obj["taxonomy_path"],
        classifier_path=_classifier_path(use_classifier),
        **options,
    )


def _print_summary(summary: Any, fmt: str, quiet: bool) -> None:
    data = summary.as_dict()
    if fmt == "json":
        click.echo(to_json(data))
        return
    if quiet and not summary.quarantined:
        return
    click.echo(
        f"Run {data['run_id']}: seen {data['seen']}, new {data['new']}, skipped {data['skipped']}, "
        f"re-tagged {data['retagged']}, quarantined {len(summary.quarantined)}; "
        f"{data['pages']} pages in {data['duration_s']:.1f} s ({data['pages_per_s']:.1f} pages/s); "
        f"taxonomy {data['taxonomy_version']}"
    )
    for item in summary.quarantined:
        click.echo(f"  quarantined: {item.path}\n    {item.reason}: {item.message}")


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(exists=False, path_type=Path))
@click.option(
    "--manifest", type=click.Path(dir_okay=False, path_type=Path), help="CSV: file,title,doc_type,area,year"
)
@click.option(
    "--workers", type=int, default=1, show_default=True, help="Worker processes for extraction/tagging."
)
@click.option(
    "--retag", is_flag=True, help="Re-tag stored documents with the current taxonomy (no re-extraction)."
)
@click.option(
    "--wait",
    "wait_s",
    type=float,
    default=60.0,
    show_default=True,
    help="Seconds to wait for another ingest.",
)
@click.option(
    "--quarantine-dir", type=click.Path(file_okay=False, path_type=Path), help="Folder for bad files."
)
@click.option(
    "--quarantine-action",
    type=click.Choice(["none", "copy", "move"]),
    default="none",
    show_default=True,
    help="Copy or move quarantined files into --quarantine-dir.",
)
@click.option(
    "--commit-every",
    type=int,
    default=64,
    show_default=True,
    help="Documents per commit at most: fewer redo less after a crash, more load faster.",
)
@classifier_option
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.pass_context
def ingest(ctx: click.Context, paths: tuple[Path, ...], fmt: str, **options: Any) -> None:
    """Extract, tag and load new files into the warehouse (the bundled sample corpus by default).

    Files already loaded (same sha256) are skipped; unreadable files are quarantined
    with a reason and the rest of the batch loads (exit 3). Safe to run nightly:
    a killed run is completed by the next, and a second ingest waits or exits 4.

    \b
    Examples:
      run_pipeline.py ingest                           # the sample corpus
      run_pipeline.py ingest ~/inbox --workers 2       # a folder (manifest.csv inside is read)
      run_pipeline.py -q ingest ~/inbox --quarantine-dir ~/quarantine --quarantine-action move
      run_pipeline.py ingest --retag                   # after editing the taxonomy
    """
    from pipeline.run import ingest as run_ingest

    summary = run_ingest(_ingest_settings(ctx, paths, **options))
    _print_summary(summary, fmt, ctx.obj["quiet"])
    ctx.exit(int(summary.exit_code))


@cli.command()
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def extract(file: Path, fmt: str) -> None:
    """Print the cleaned text of one file, page by page, without touching the warehouse.

    \b
    Examples:
      run_pipeline.py extract report.pdf
      run_pipeline.py extract report.pdf --format json | jq '.pages[0]'
    """
    from pipeline.extract import extract_document, extract_pages_text

    document = extract_document(file)
    pages = extract_pages_text(document)
    if fmt == "json":
        data = {
            "path": str(file),
            "sha256": document.sha256,
            "metadata": document.metadata.__dict__,
            "pages": [{"number": number, "text": text} for number, text in pages],
        }
        click.echo(to_json(data))
        return
    for number, text in pages:
        click.echo(f"--- page {number} ---\n{text}\n")


def _mention_json(mention: Any) -> dict[str, Any]:
    return {
        "theme": mention.theme,
        "start": mention.start,
        "end": mention.end,
        "text": mention.text,
        "sentence": mention.sentence,
        "counted": mention.counted,
        "reason": mention.reason,
        "rule_id": mention.rule_id,
        "source": mention.source,
    }


def _tag_result(mentions: list[Any]) -> dict[str, Any]:
    from pipeline.tag import themes_of

    return {"themes": themes_of(mentions), "mentions": [_mention_json(m) for m in mentions]}


def _read_jsonl(text: str) -> list[dict[str, Any]]:
    from pipeline.errors import UsageError

    rows = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as error:
            raise UsageError(f"line {number}: not JSON ({error.msg})") from None
        if not isinstance(row, dict) or "text" not in row:
            raise UsageError(f"line {number}: expected an object with 'id' and 'text'")
        rows.append(row)
    return rows


@cli.command()
@click.argument("file", type=click.File("r", encoding="utf-8"), default="-")
@click.option(
    "--jsonl", is_flag=True, help='Each input line is {"id": ..., "text": ...}; one output line each.'
)
@classifier_option
@click.pass_context
def tag(ctx: click.Context, file: Any, jsonl: bool, use_classifier: bool | None) -> None:
    """Tag plain text with themes (a file, or stdin), without touching the warehouse.

    \b
    Examples:
      echo "There was no evidence of self-neglect." | run_pipeline.py tag
      run_pipeline.py tag --jsonl sentences.jsonl > tagged.jsonl
    """
    from pipeline.tag import ThemeTagger
    from pipeline.taxonomy import load_taxonomy

    tagger = ThemeTagger(load_taxonomy(ctx.obj["taxonomy_path"]))
    classifier_path = _classifier_path(use_classifier)

    def tag_all(texts: list[str]) -> list[list[Any]]:
        mentions = tagger.tag_texts(texts)
        if classifier_path is None:
            return mentions
        from pipeline.classify import apply_classifier, load_classifier

        return apply_classifier(mentions, texts, load_classifier(classifier_path))

    text = file.read()
    if not jsonl:
        click.echo(to_json(_tag_result(tag_all([text])[0])))
        return
    rows = _read_jsonl(text)
    for row, mentions in zip(rows, tag_all([str(r["text"]) for r in rows]), strict=True):
        click.echo(json.dumps({"id": row.get("id"), **_tag_result(mentions)}, ensure_ascii=False))


@cli.command()
@format_option
@click.pass_context
def themes(ctx: click.Context, fmt: str | None) -> None:
    """List the taxonomy (codebook) in use: id, label, scope, group, definition, version.

    \b
    Example:
      run_pipeline.py themes --format csv > codebook.csv
    """
    from pipeline.taxonomy import load_taxonomy

    taxonomy = load_taxonomy(ctx.obj["taxonomy_path"])
    rows = [
        {
            "id": t.id,
            "label": t.label,
            "scope": t.scope,
            "group": t.group,
            "definition": t.definition,
            "version": taxonomy.version,
        }
        for t in taxonomy.themes
    ]
    emit(
        rows,
        fmt or default_format(),
        columns=["id", "label", "scope", "group", "definition"],
        title=f"Taxonomy {taxonomy.version}",
    )


# ---------------------------------------------------------------- the learning lead's queries


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
    from pipeline.output import print_table

    table_rows, columns = _pivot_rows(rows, metric)
    if not table_rows:
        click.echo("No theme found yet: ingest documents first (run_pipeline.py ingest FOLDER).", err=True)
        return
    print_table(table_rows, columns, title=title)


def _trend_options(func: Any) -> Any:
    for option in reversed(
        [
            click.option("--theme", "themes_", multiple=True, help="Theme id (repeatable; default all)."),
            click.option("--by", type=click.Choice(queries.BUCKETS), default="year", show_default=True),
            click.option("--metric", type=click.Choice(queries.METRICS), default="share", show_default=True),
            click.option("--doc-type", "doc_types", multiple=True, type=click.Choice(DOC_TYPES)),
            click.option("--area", "areas", multiple=True, help="Area (repeatable)."),
            click.option("--since", type=int, help="First year included."),
            click.option("--until", type=int, help="Last year included."),
            click.option(
                "--section",
                "sections",
                multiple=True,
                help="Count only mentions in these sections (e.g. recommendations).",
            ),
        ]
    ):
        func = option(func)
    return func


@cli.command()
@_trend_options
@format_option
@click.pass_context
def trends(ctx: click.Context, themes_: tuple[str, ...], fmt: str | None, **filters: Any) -> None:
    """Theme trend cells: share of documents (default), documents, mentions or per 10,000 words.

    Every (theme, bucket) pair is returned, zeros included, with the bucket's
    document count beside every value.

    \b
    Examples:
      run_pipeline.py trends
      run_pipeline.py trends --theme self_neglect --theme hoarding --format json
      run_pipeline.py trends --by doc_type --since 2021 --section recommendations
    """
    with _read_con(ctx) as con:
        rows = queries.trends(con, themes=themes_, **filters)
    fmt = fmt or default_format()
    if fmt == "table":
        print_trend_table(rows, filters["metric"], f"Themes by {filters['by']} ({filters['metric']})")
    else:
        emit(rows, fmt, columns=["theme", "bucket", "value", "documents", "total_documents", "mentions"])


@cli.command()
@click.option("--min-years", type=int, default=3, show_default=True)
@click.option("--doc-type", "doc_types", multiple=True, type=click.Choice(DOC_TYPES))
@format_option
@click.pass_context
def recurring(ctx: click.Context, min_years: int, doc_types: tuple[str, ...], fmt: str | None) -> None:
    """Themes that keep coming up: present in at least N distinct years, with the years.

    \b
    Example:
      run_pipeline.py recurring --min-years 5 --doc-type sar
    """
    with _read_con(ctx) as con:
        rows = queries.recurring(con, min_years=min_years, doc_types=doc_types)
    emit(rows, fmt or default_format(), title=f"Themes present in at least {min_years} years")


@cli.command()
@click.option("--theme", required=True, help="Theme id.")
@click.option("--year", type=int)
@click.option("--doc-type", "doc_types", multiple=True, type=click.Choice(DOC_TYPES))
@click.option("--area", "areas", multiple=True)
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
def evidence(ctx: click.Context, fmt: str | None, include_review: bool, **filters: Any) -> None:
    """The sentences behind a number: title, year, doc_type, page, sentence, matched text.

    \b
    Examples:
      run_pipeline.py evidence --theme professional_curiosity --year 2023
      run_pipeline.py evidence --theme self_neglect --all --format csv > self_neglect.csv
      run_pipeline.py evidence --theme hoarding --review     # then: review accept REF
    """
    with _read_con(ctx) as con:
        rows = queries.evidence(con, **filters)
    columns = ["title", "year", "doc_type", "page", "sentence", "matched_text"]
    if include_review:
        columns += ["review_status", "review_ref"]
    if filters["include_uncounted"]:
        columns += ["counted", "reason"]
    emit(rows, fmt or default_format(), columns=columns, title=f"Evidence for {filters['theme']}")


@cli.command()
@click.argument("query")
@format_option
@click.pass_context
def sql(ctx: click.Context, query: str, fmt: str | None) -> None:
    """Run one read-only SQL query against the warehouse (writes are refused, exit 2).

    \b
    Examples:
      run_pipeline.py sql "SELECT doc_type, count(*) FROM current_documents GROUP BY ALL"
      run_pipeline.py sql "SELECT theme, count(*) n FROM current_mentions GROUP BY ALL ORDER BY n DESC"
    """
    import duckdb

    from pipeline.errors import UsageError

    check_read_only_sql(query)
    with _read_con(ctx) as con:
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
    from warehouse.db import run_query

    with _read_con(ctx) as con:
        rows = run_query(con, "runs", limit=limit)
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
        "pages",
        "taxonomy_version",
    ]
    emit(rows, fmt, columns=columns if fmt != "json" else None, title="Runs")


@cli.command()
@format_option
@click.pass_context
def documents(ctx: click.Context, fmt: str | None) -> None:
    """The documents counted in trends (the latest version of each file).

    \b
    Example:
      run_pipeline.py documents --format csv > documents.csv
    """
    from warehouse.db import run_query

    with _read_con(ctx) as con:
        rows = run_query(con, "documents")
    columns = ["title", "doc_type", "area", "year", "pages", "themes", "metadata_source", "path"]
    emit(rows, fmt or default_format(), columns=columns if fmt != "json" else None, title="Documents")


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(exists=False, path_type=Path))
@click.option(
    "--heatmap",
    "heatmap_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=Path("heatmap.png"),
    show_default=True,
    help="Where to write the heatmap.",
)
@click.option("--workers", type=int, default=1, show_default=True)
@click.pass_context
def run(ctx: click.Context, paths: tuple[Path, ...], heatmap_path: Path, workers: int) -> None:
    """The main job: ingest (the sample corpus by default), print the theme x year table, write a heatmap.

    \b
    Examples:
      run_pipeline.py run
      run_pipeline.py run ~/reviews --heatmap board/heatmap.png
    """
    from pipeline.export import write_heatmap
    from pipeline.run import ingest as run_ingest

    summary = run_ingest(_ingest_settings(ctx, paths, workers=workers))
    _print_summary(summary, "text", quiet=False)
    with _read_con(ctx) as con:
        rows = queries.trends(con)
        print_trend_table(rows, "share", "Share of documents with each theme, by year: share (documents)")
        write_heatmap(con, heatmap_path)
    click.echo(f"Heatmap written to {heatmap_path}")
    ctx.exit(int(summary.exit_code))


# Commands kept in their own modules register themselves on `cli` when imported.
from pipeline import cli_analysis, cli_export, cli_learn, cli_serve  # noqa: E402,F401
