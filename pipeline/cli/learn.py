"""Commands that learn beyond the rules: train, review, discover."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from pipeline.cli.base import _read_con, cli, format_option
from pipeline.output import default_format, emit, emit_records, to_json
from pipeline.paths import DEFAULT_CLASSIFIER_PATH as DEFAULT_MODEL_PATH
from warehouse.db import connect_write, writer_lock

DEFAULT_WAIT_S = 60.0
QUEUE_COLUMNS = ["ref", "theme", "status", "source", "title", "year", "page", "sentence", "matched_text"]
DECISION_COLUMNS = ["review_id", "decision", "theme", "sha256", "unit_no", "sentence"]
PRECISION_COLUMNS = [
    "theme",
    "source",
    "hits",
    "reviewed",
    "accepted",
    "rejected",
    "precision",
    "precision_low",
    "precision_high",
]
DISCOVER_COLUMNS = [
    "rank",
    "term",
    "kind",
    "score",
    "period",
    "documents_recent",
    "share_recent",
    "share_earlier",
    "coverage",
    "related",
    "example",
]


@cli.command()
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    default=DEFAULT_MODEL_PATH,
    show_default=True,
    help="Where to write the model.",
)
@click.option(
    "--labels",
    "label_files",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    multiple=True,
    help="Extra labelled sentences (JSON lines, as `evaluate` reads them); lines without a split train.",
)
@click.option(
    "--sources",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    multiple=True,
    help="Folder(s) with the reports keyed labels point to (default: ../shared/corpus/real and seeds).",
)
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.pass_context
def train(
    ctx: click.Context, out: Path, label_files: tuple[Path, ...], sources: tuple[Path, ...], fmt: str
) -> None:
    """Retrain the theme model: the labelled corpus, your reviewed sentences and any --labels files.

    Your review decisions (accept, reject, add) become labels for their sentences. Keyed
    corpus sentences whose report is not on this machine are skipped (and counted). No
    network is needed; training takes seconds. Check the result with `evaluate`.

    \b
    Examples:
      run_pipeline.py train --out ~/models/our-model.joblib
      run_pipeline.py train --labels our-sample.jsonl --out ~/models/our-model.joblib
      THEMES_CLASSIFIER=~/models/our-model.joblib run_pipeline.py ingest --retag
    """
    from pipeline.paths import LABELLED_CORPUS, SHARED_SOURCES
    from pipeline.tag.labelled import corpus_rows, read_labelled, reviewed_rows, train_from_rows
    from pipeline.tag.learned import save_model
    from pipeline.tag.taxonomy import load_taxonomy

    rows = corpus_rows(LABELLED_CORPUS) + [row for path in label_files for row in read_labelled(path)]
    if ctx.obj["db_path"].exists():
        with _read_con(ctx) as con:
            rows += reviewed_rows(con)
    taxonomy = load_taxonomy(ctx.obj["taxonomy_path"])
    trained, resolved = train_from_rows(rows, list(sources or SHARED_SOURCES), taxonomy)
    size = save_model(trained.model, out)
    report = {"model": trained.model.name, "path": str(out), "size_bytes": size, **trained.report}
    if fmt == "json":
        click.echo(to_json(report))
        return
    counts = report["sentences"]
    click.echo(
        f"Trained {report['model']} on {counts['train']} + {counts['val']} validation sentences "
        f"({resolved.unresolved} keyed sentences skipped: report not found) "
        f"in {report['train_seconds']:.1f} s -> {out}"
    )


@cli.group()
def review() -> None:
    """Accept or reject theme hits, add themes the machine missed, and see per-theme precision.

    Decisions are stored apart from the machine's hits (table `reviews`), the latest
    one per sentence and theme wins, and `train` uses them as labels. `review list`
    prints each hit's reference (document:sentence:theme) in a fixed random order,
    so the first hits you review are a fair sample for `review precision`.

    \b
    Examples:
      run_pipeline.py review list --theme self_neglect --limit 10
      run_pipeline.py review accept 3fa9c2d1e0b4:17:self_neglect
      run_pipeline.py review reject 3fa9c2d1e0b4:18:self_neglect --note "statutory boilerplate"
      run_pipeline.py review add 3fa9c2d1e0b4:21 --theme hoarding
      run_pipeline.py review precision
    """


@review.command("list")
@click.option("--theme", help="Theme id (default: all).")
@click.option("--source", type=click.Choice(["rules", "classifier"]), help="Only hits from this source.")
@click.option(
    "--status",
    type=click.Choice(["unreviewed", "accepted", "rejected", "all"]),
    default="unreviewed",
    show_default=True,
)
@click.option("--limit", type=int, default=20, show_default=True)
@format_option
@click.pass_context
def review_list(ctx: click.Context, fmt: str | None, **filters: Any) -> None:
    """List counted hits to review, one per sentence and theme, with their references.

    \b
    Example:
      run_pipeline.py review list --theme hoarding --status all --format csv
    """
    from pipeline.analysis.review import review_queue

    with _read_con(ctx) as con:
        rows = review_queue(con, **filters)
    head = [column for column in QUEUE_COLUMNS if column not in ("sentence", "theme")]  # ref names it
    fmt = fmt or default_format()
    emit_records(rows, fmt, head=head, text="sentence", columns=QUEUE_COLUMNS, title="Hits to review")
    total = rows[0]["total"] if rows else 0
    if len(rows) < total:
        click.echo(f"Showing {len(rows)} of {total} hits: --limit {total} shows them all.", err=True)


def _record(
    ctx: click.Context, refs: list[Any], decision: str, fmt: str | None, wait_s: float, **options: Any
) -> None:
    """Record decisions under the writer lock, closing the warehouse promptly, and print them."""
    from pipeline.analysis.review import record_decisions

    path = ctx.obj["db_path"]
    with writer_lock(path, wait_s=wait_s):
        con = connect_write(path, wait_s=wait_s)
        try:
            rows = record_decisions(con, refs, decision, **options)
        finally:
            con.close()
    emit(rows, fmt or default_format(), columns=DECISION_COLUMNS, title=f"Recorded ({decision})")


def _decision_options(func: Any) -> Any:
    for option in reversed(
        [
            click.option("--note", help="A comment kept with the decision."),
            click.option("--reviewer", help="Who decided (default: your login name)."),
            click.option(
                "--wait",
                "wait_s",
                type=float,
                default=DEFAULT_WAIT_S,
                show_default=True,
                help="Seconds to wait for a running ingest.",
            ),
        ]
    ):
        func = option(func)
    return format_option(func)


@review.command()
@click.argument("refs", nargs=-1, required=True)
@_decision_options
@click.pass_context
def accept(ctx: click.Context, refs: tuple[str, ...], fmt: str | None, wait_s: float, **options: Any) -> None:
    """Accept hits: the theme is right for the sentence.

    \b
    Example:
      run_pipeline.py review accept 3fa9c2d1e0b4:17:self_neglect 3fa9c2d1e0b4:40:self_neglect
    """
    from pipeline.analysis.review import parse_ref

    _record(ctx, [parse_ref(r, with_theme=True) for r in refs], "accept", fmt, wait_s, **options)


@review.command()
@click.argument("refs", nargs=-1, required=True)
@_decision_options
@click.pass_context
def reject(ctx: click.Context, refs: tuple[str, ...], fmt: str | None, wait_s: float, **options: Any) -> None:
    """Reject hits: the theme is wrong for the sentence (`--reviewed` stops counting it; `train` learns).

    \b
    Example:
      run_pipeline.py review reject 3fa9c2d1e0b4:18:self_neglect --note "statutory boilerplate"
    """
    from pipeline.analysis.review import parse_ref

    _record(ctx, [parse_ref(r, with_theme=True) for r in refs], "reject", fmt, wait_s, **options)


@review.command()
@click.argument("refs", nargs=-1, required=True)
@click.option("--theme", required=True, help="The theme the sentence is about.")
@_decision_options
@click.pass_context
def add(ctx: click.Context, refs: tuple[str, ...], fmt: str | None, wait_s: float, **options: Any) -> None:
    """Add a theme the machine missed to sentences (references document:sentence).

    \b
    Example:
      run_pipeline.py review add 3fa9c2d1e0b4:21 --theme hoarding
    """
    from pipeline.analysis.review import parse_ref

    _record(ctx, [parse_ref(r, with_theme=False) for r in refs], "add", fmt, wait_s, **options)


@review.command()
@format_option
@click.pass_context
def precision(ctx: click.Context, fmt: str | None) -> None:
    """Per theme and source: hits, reviewed, accepted, rejected and precision with a 95% interval.

    \b
    Example:
      run_pipeline.py review precision --format csv > precision.csv
    """
    from pipeline.analysis.review import precision_estimates

    with _read_con(ctx) as con:
        rows = precision_estimates(con)
    emit(rows, fmt or default_format(), columns=PRECISION_COLUMNS, title="Review precision")


@cli.command()
@click.option("--since", type=int, help="Split year: this year on vs the years before (default: each).")
@click.option("--min-docs", type=int, default=3, show_default=True, help="Minimum recent documents.")
@click.option("--limit", type=int, default=15, show_default=True)
@click.option("--topics", type=int, default=8, show_default=True, help="NMF topics over uncovered sentences.")
@click.option("--examples", type=int, default=3, show_default=True, help="Example sentences per candidate.")
@format_option
@click.pass_context
def discover(ctx: click.Context, fmt: str | None, **settings: Any) -> None:
    """Candidate new themes or synonyms: phrases and uncovered topics whose document share rose most.

    Each candidate has the period it rose in, its shares before and after, how much
    of it the codebook already covers, related phrases, example sentences and the
    documents, so you can decide whether to extend the codebook.

    \b
    Examples:
      run_pipeline.py discover
      run_pipeline.py discover --since 2023 --format json > candidates.json
    """
    from pipeline.analysis.discover import DiscoverSettings
    from pipeline.analysis.discover import discover as find_candidates

    with _read_con(ctx) as con:
        rows = find_candidates(con, DiscoverSettings(**settings))
    fmt = fmt or default_format()
    if fmt != "json":
        rows = [{**row, "example": row["examples"][0]["text"] if row["examples"] else ""} for row in rows]
    emit(rows, fmt, columns=DISCOVER_COLUMNS, title="Candidate new themes and synonyms")
