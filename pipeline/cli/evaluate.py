"""The `evaluate` command: score the tagger on any labelled set of sentences."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from pipeline.cli.base import _classifier_path, classifier_option, cli, format_option
from pipeline.output import default_format, emit
from pipeline.paths import SHARED_SOURCES

SUMMARY_COLUMNS = [
    "group",
    "sentences",
    "precision",
    "recall",
    "micro_f1",
    "macro_f1",
    "theme_free",
    "false_hit_rate",
]
THEME_COLUMNS = ["theme", "support", "tp", "fp", "fn", "precision", "recall", "f1"]


def _summary_rows(scores: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    return [
        {
            "group": group,
            "sentences": s["sentences"],
            "precision": s["micro"]["precision"],
            "recall": s["micro"]["recall"],
            "micro_f1": s["micro"]["f1"],
            "macro_f1": s["macro_f1"],
            "theme_free": s["theme_free_sentences"],
            "false_hit_rate": s["theme_free_false_hit_rate"],
        }
        for group, s in scores.items()
    ]


def _groups(sentences: list[Any], rows: list[dict[str, Any]], field: str | None) -> list[str]:
    """Return each sentence's value of the --by field (its own attribute, else its line's field)."""
    if field is None:
        return ["" for _ in sentences]
    if field in ("genre", "split", "source"):
        return [str(getattr(sentence, field) or "") for sentence in sentences]
    by_id = {str(row.get("id", "")): str(row.get(field, "")) for row in rows}
    return [by_id.get(sentence.id, "") for sentence in sentences]


def _check_resolved(resolved: Any) -> None:
    """Refuse keyed lines whose report is missing; warn about sentences the extractor no longer yields."""
    from pipeline.errors import UsageError

    if resolved.missing_files:
        raise UsageError(
            f"{resolved.unresolved} keyed lines point to reports not found "
            f"({', '.join(sorted(resolved.missing_files))}); pass --sources."
        )
    if resolved.unresolved:
        click.echo(
            f"warning: {resolved.unresolved} keyed lines were not scored: their sentence is no longer "
            "in the extracted text (the extractor changed since they were labelled).",
            err=True,
        )


@cli.command()
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--by", "group_by", default=None, help="Also score each value of this field (e.g. genre).")
@click.option(
    "--sources",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    multiple=True,
    help="Folder(s) with the reports keyed lines point to (default: ../shared/corpus/real and seeds).",
)
@click.option("--themes", "show_themes", is_flag=True, help="Print the per-theme table too.")
@classifier_option
@format_option
@click.pass_context
def evaluate(
    ctx: click.Context,
    file: Path,
    group_by: str | None,
    sources: tuple[Path, ...],
    show_themes: bool,
    use_classifier: bool | None,
    fmt: str | None,
) -> None:
    """Score the tagger on labelled sentences: per theme P/R/F1, micro, macro, theme-free false hits.

    FILE is JSON lines: {"id": ..., "text": ..., "themes": [...]} (other fields, such as
    "genre", may be used with --by). Lines keyed to a report instead of carrying text
    ({"file", "start", "end", "text_hash", ...}) are re-derived from --sources.

    \b
    Examples:
      run_pipeline.py evaluate my-sample.jsonl
      run_pipeline.py evaluate my-sample.jsonl --by genre --themes
      run_pipeline.py evaluate my-sample.jsonl --no-classifier --format json
    """
    from pipeline.tag.evaluation import by_group
    from pipeline.tag.labelled import read_labelled, tagged_sentences
    from pipeline.tag.rules import themes_of
    from pipeline.tag.tagger import VersionedTagger
    from pipeline.tag.taxonomy import load_taxonomy

    tagger = VersionedTagger(load_taxonomy(ctx.obj["taxonomy_path"]), _classifier_path(use_classifier))
    rows = read_labelled(file)
    sentences, mentions, resolved = tagged_sentences(rows, list(sources or SHARED_SOURCES), tagger)
    _check_resolved(resolved)
    groups = _groups(sentences, rows, group_by)
    scores = by_group([set(s.themes) for s in sentences], [set(themes_of(m)) for m in mentions], groups)
    fmt = fmt or default_format()
    if fmt == "json":
        report = {"file": str(file), "tagging": tagger.version, "not_scored": resolved.unresolved}
        report["groups"] = scores
        click.echo(json.dumps(report, indent=2))
        return
    emit(_summary_rows(scores), fmt, columns=SUMMARY_COLUMNS, title=f"{file.name} ({tagger.version})")
    if show_themes:
        theme_rows = [{"theme": theme, **counts} for theme, counts in scores["all"]["themes"].items()]
        emit(theme_rows, fmt, columns=THEME_COLUMNS, title="Per theme (all sentences)")
