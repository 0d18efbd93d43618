"""The command line: each command parses options, calls one library function, prints.

Errors map to the exit codes of ../shared/reference/cli.md in `ErrorMappingGroup`:
a PipelineError becomes its own code with its message; anything unexpected is
logged with its traceback and exits 1.
"""

from __future__ import annotations

import logging
import sys
import traceback
from datetime import datetime
from pathlib import Path
from typing import Any

import click

from pipeline.errors import ExitCode, PipelineError
from pipeline.output import FORMATS
from pipeline.progress import stderr_is_terminal
from pipeline.tag.switch import ENV_SWITCH, classifier_path
from warehouse.db import connect_read, default_db_path

CONTEXT_SETTINGS = {"help_option_names": ["-h", "--help"], "max_content_width": 100}
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
            try:
                where = f"details are in {_write_crash_log(ctx)}"
            except OSError as log_error:  # a full disk cannot take the log either
                where = f"the details could not be saved ({log_error.strerror}); run again with -v"
            click.echo(f"error: an unexpected internal error occurred; {where}", err=True)
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



def _classifier_path(switch: bool | None) -> Path | None:
    """Resolve --classifier/--no-classifier (None: $THEMES_CLASSIFIER; on when unset) cheaply."""
    return classifier_path(switch)


def classifier_option(func: Any) -> Any:
    """Add the shared `--classifier/--no-classifier` switch."""
    return click.option(
        "--classifier/--no-classifier",
        "use_classifier",
        default=None,
        help=f"Combine the rules with the learned model (default: on; ${ENV_SWITCH}=0 turns it off).",
    )(func)


