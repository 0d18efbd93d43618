"""Commands that run the stages: ingest, extract, tag, themes and run (all of them)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from pipeline.analysis import queries
from pipeline.analysis.filters import TrendFilters
from pipeline.analysis.saturation import saturated_themes
from pipeline.cli.base import (
    _classifier_path,
    _db,
    _read_con,
    classifier_option,
    cli,
    format_option,
)
from pipeline.cli.tables import print_trend_table
from pipeline.errors import ExitCode
from pipeline.output import default_format, emit, to_json


def _ingest_settings(  # noqa: ANN202
    ctx: click.Context, paths: tuple[Path, ...], use_classifier: bool | None = None, **options: Any
):
    from pipeline.ingest.outcomes import IngestSettings

    return IngestSettings(
        paths=paths,
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
    if summary.folders:
        click.echo(f"  scanned: {', '.join(summary.folders)}")
    if summary.corrected:
        fields = f"{summary.corrected} metadata field(s)"
        click.echo(f"  corrected: {fields} of stored documents from the manifest (`documents changes`)")
    for item in summary.quarantined:
        click.echo(f"  quarantined: {item.path}\n    {item.reason}: {item.message}")
    if summary.still_quarantined:
        click.echo(
            f"  still quarantined: {summary.still_quarantined} file(s) reported before and unchanged "
            "(`quarantine` lists them; --retry-quarantined reads them again)"
        )
    for warning in summary.warnings:
        click.echo(f"  warning: {warning}")


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
@click.option(
    "--time-limit",
    "time_limit_s",
    type=click.FloatRange(min=0, min_open=True),
    default=300.0,
    show_default=True,
    help="Seconds one file may take to read and tag; a slower one is quarantined (timeout).",
)
@click.option(
    "--retry-quarantined", is_flag=True, help="Read again files quarantined before, even if unchanged."
)
@click.option("--follow-symlinks", is_flag=True, help="Follow links that point outside the folders scanned.")
@click.option(
    "--ocr",
    is_flag=True,
    envvar="THEMES_OCR",
    help="OCR pages without a text layer (scans); needs [ocr] and Tesseract (nightly: THEMES_OCR=1).",
)
@click.option(
    "--executor",
    type=click.Choice(["processes", "ray"]),
    default="processes",
    show_default=True,
    help="Run extraction/OCR/tagging in worker processes, or as Ray tasks (needs the [cluster] extra).",
)
@click.option(
    "--address", help="With --executor ray: the Ray cluster to join (default: a local one of --workers CPUs)."
)
@click.option(
    "--send-bytes",
    is_flag=True,
    help="With --executor ray: send each file's bytes to the workers (machines without the shared folder).",
)
@classifier_option
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.pass_context
def ingest(ctx: click.Context, paths: tuple[Path, ...], fmt: str, **options: Any) -> None:
    """Extract, tag and load new files into the warehouse: the folders named, else those fed before.

    Files already loaded (same sha256) are skipped; unreadable files are quarantined
    with a reason and the rest of the batch loads (exit 3). Safe to run nightly:
    a killed run is completed by the next, and a second ingest waits or exits 4.

    \b
    Examples:
      run_pipeline.py ingest ~/reviews                 # a folder; remembered for next time
      run_pipeline.py ingest                           # the folders this warehouse was fed before
      run_pipeline.py ingest ~/inbox --workers 2       # a folder (manifest.csv inside is read)
      run_pipeline.py -q ingest ~/inbox --quarantine-dir ~/quarantine --quarantine-action move
      run_pipeline.py ingest --retag                   # after editing the taxonomy (scans nothing)
      run_pipeline.py ingest ~/archive --ocr --retry-quarantined   # read scans quarantined before
      run_pipeline.py ingest /shared/archive --ocr --executor ray --address ray-head:6379
      run_pipeline.py ingest ~/archive --ocr --executor ray --address ray-head:6379 --send-bytes
    """
    from pipeline.ingest.orchestrator import ingest as run_ingest

    summary = run_ingest(_ingest_settings(ctx, paths, **options))
    _print_summary(summary, fmt, ctx.obj["quiet"])
    ctx.exit(int(summary.exit_code))


@cli.command()
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--ocr",
    is_flag=True,
    envvar="THEMES_OCR",
    help="OCR pages without a text layer (scans); needs [ocr] and Tesseract (nightly: THEMES_OCR=1).",
)
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def extract(file: Path, fmt: str, ocr: bool) -> None:
    """Print the cleaned text of one file, page by page, without touching the warehouse.

    \b
    Examples:
      run_pipeline.py extract report.pdf
      run_pipeline.py extract report.pdf --format json | jq '.pages[0]'
      run_pipeline.py extract scan.pdf --ocr          # pages without a text layer read by Tesseract
    """
    from pipeline.extract.document import ExtractSettings, extract_document, extract_pages_text

    document = extract_document(file, settings=ExtractSettings(ocr=ocr))
    pages = extract_pages_text(document)
    ocr_pages = {flag.page: flag for flag in document.ocr_pages}
    if fmt == "json":
        data = {
            "path": str(file),
            "sha256": document.sha256,
            "metadata": document.metadata.__dict__,
            "pages": [_page_json(number, text, ocr_pages.get(number)) for number, text in pages],
        }
        click.echo(to_json(data))
        return
    for number, text in pages:
        flag = ocr_pages.get(number)
        note = f" (OCR: {flag.engine}, confidence {flag.confidence:.2f})" if flag else ""
        click.echo(f"--- page {number}{note} ---\n{text}\n")


def _page_json(number: int, text: str, flag: Any) -> dict[str, Any]:
    ocr = {"engine": flag.engine, "confidence": flag.confidence} if flag else None
    return {"number": number, "text": text, "ocr": ocr}


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
    from pipeline.tag.rules import themes_of

    return {"themes": themes_of(mentions), "mentions": [_mention_json(m) for m in mentions]}


def _read_jsonl(text: str) -> list[dict[str, Any]]:
    """Return one row per non-blank line: the object, or {"id", "line", "error"} for a line we cannot tag."""
    rows: list[dict[str, Any]] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as error:
            rows.append({"id": None, "line": number, "error": f"not JSON ({error.msg})"})
            continue
        if not isinstance(row, dict) or not isinstance(row.get("text"), str):
            row_id = row.get("id") if isinstance(row, dict) else None
            rows.append({"id": row_id, "line": number, "error": "expected an object with 'id' and 'text'"})
            continue
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

    With --jsonl, a line that is not {"id": ..., "text": ...} is reported on stderr
    and answered in place with {"id", "line", "error"}; every other line is tagged,
    and the command then exits 2.

    \b
    Examples:
      echo "There was no evidence of self-neglect." | run_pipeline.py tag
      run_pipeline.py tag --jsonl sentences.jsonl > tagged.jsonl
    """
    from pipeline.tag.tagger import VersionedTagger
    from pipeline.tag.taxonomy import load_taxonomy

    tagger = VersionedTagger(load_taxonomy(ctx.obj["taxonomy_path"]), _classifier_path(use_classifier))
    tag_all = tagger.tag_texts

    text = file.read()
    if not jsonl:
        click.echo(to_json(_tag_result(tag_all([text])[0])))
        return
    rows = _read_jsonl(text)
    good = [row for row in rows if "error" not in row]
    tagged = iter(tag_all([row["text"] for row in good]))
    for row in rows:
        if "error" in row:
            click.echo(f"error: line {row['line']}: {row['error']}; the other lines are tagged", err=True)
            click.echo(json.dumps(row, ensure_ascii=False))
        else:
            click.echo(json.dumps({"id": row.get("id"), **_tag_result(next(tagged))}, ensure_ascii=False))
    if len(good) < len(rows):
        ctx.exit(int(ExitCode.USAGE))


@cli.command()
@format_option
@click.pass_context
def themes(ctx: click.Context, fmt: str | None) -> None:
    """List the taxonomy (codebook) in use: id, label, scope, group, definition, version.

    \b
    Example:
      run_pipeline.py themes --format csv > codebook.csv
    """
    from pipeline.tag.taxonomy import load_taxonomy

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
    """The main job: ingest, print the theme x year table, write a heatmap.

    Without a folder: the folders this warehouse was fed before, or, on a new warehouse
    (or one made for it), the bundled sample corpus of 40 fictional reports. The sample
    never goes into a warehouse that holds your own reports.

    \b
    Examples:
      run_pipeline.py run                                    # the sample, in a new warehouse
      run_pipeline.py run ~/reviews --heatmap board/heatmap.png
    """
    from pipeline.ingest.orchestrator import ingest as run_ingest
    from pipeline.outputs.heatmap.write import write_heatmap

    summary = run_ingest(_ingest_settings(ctx, paths, workers=workers, sample_if_new=True))
    _print_summary(summary, "text", quiet=False)
    with _read_con(ctx) as con:
        if not queries.matching_documents(con, TrendFilters()) and summary.quarantined:
            ctx.exit(int(summary.exit_code))  # nothing loaded: the summary above says why
        rows = queries.trends(con, TrendFilters())
        saturated = saturated_themes(con, TrendFilters())
        title = "Share of documents with each theme, by year: share (documents)"
        print_trend_table(rows, "share", title, saturated=saturated)
        write_heatmap(con, heatmap_path, TrendFilters())
    click.echo(f"Heatmap written to {heatmap_path}")
    ctx.exit(int(summary.exit_code))
