"""The `serve` command: the local web dashboard (it reads; only review decisions are written)."""

from __future__ import annotations

import ipaddress
import json
import sys
import threading
from typing import Any

import click

from pipeline.cli.base import cli
from pipeline.errors import ExitCode, UsageError

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000
MAX_CONCURRENT_REQUESTS = 32  # answered at once; more get a 503 page with Retry-After
BACKSTOP_CONNECTIONS = 8 * MAX_CONCURRENT_REQUESTS  # uvicorn's own (plain-text) limit, never reached first
KEEP_ALIVE_S = 5
HTTP_OK = 200
# --get: an HTTP status maps to an exit code of the CLI contract.
STATUS_EXIT_CODES = {400: ExitCode.USAGE, 404: ExitCode.USAGE, 503: ExitCode.WAREHOUSE_BUSY}


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _allowed_hosts(host: str) -> tuple[str, ...]:
    from pipeline.web.app import LOCAL_HOSTS

    return LOCAL_HOSTS if _is_loopback(host) else ("*",)


def _warm_up(app: Any) -> None:
    """Open one theme page in-process, so the first one a reader opens is quick.

    The theme page needs scipy (about a second to import) and the whole-warehouse
    rising/falling and co-occurrence analyses, which are then cached until the warehouse changes.
    """
    from pipeline.web.app import get

    status, _, body = get(app, "/taxonomy?format=json")
    themes = json.loads(body) if status == HTTP_OK else []
    if themes:
        get(app, f"/themes/{themes[0]['id']}")


def _get(app: Any, path: str) -> None:
    from pipeline.web.app import get

    status, _, body = get(app, path)
    sys.stdout.buffer.write(body)
    sys.stdout.flush()
    if status >= 400:
        raise click.exceptions.Exit(int(STATUS_EXIT_CODES.get(status, ExitCode.INTERNAL_ERROR)))


@cli.command()
@click.option(
    "--host",
    default=DEFAULT_HOST,
    show_default=True,
    help="Address to listen on (this computer only by default).",
)
@click.option("--port", type=click.IntRange(1, 65535), default=DEFAULT_PORT, show_default=True)
@click.option(
    "--get", "get_path", metavar="PATH", help="Print one page's response (e.g. /heatmap?format=csv) and exit."
)
@click.pass_context
def serve(ctx: click.Context, host: str, port: int, get_path: str | None) -> None:
    """Open the dashboard: heatmap, evidence, themes, documents and runs, in your browser.

    The warehouse is opened read-only for each page and closed straight after, so
    the nightly ingest keeps running; the Review screen's decisions are written
    through the writer lock for a moment, as `review` does. Every page has CSV and
    JSON downloads (add ?format=csv or ?format=json to its address).

    \b
    Examples:
      run_pipeline.py serve                     # then open http://127.0.0.1:8000/
      run_pipeline.py serve --port 8080
      run_pipeline.py serve --get "/heatmap?by=doc_type&format=csv"
    """
    from pipeline.web.app import create_app

    db_path = ctx.obj["db_path"]
    if not db_path.exists():
        raise UsageError(
            f"No warehouse at {db_path}: run `run_pipeline.py ingest FOLDER` first, or pass --db."
        )
    app = create_app(db_path, allowed_hosts=_allowed_hosts(host))
    if get_path is not None:
        _get(app, get_path)
        return
    import uvicorn

    from pipeline.web.shedding import LoadShedding

    threading.Thread(target=_warm_up, args=(app,), daemon=True).start()
    if not _is_loopback(host):
        click.echo(
            f"warning: listening on {host}: other computers on the network can read the reports "
            "and record review decisions.",
            err=True,
        )
    click.echo(f"Dashboard on http://{host}:{port}/ (review decisions are written; Ctrl+C to stop)", err=True)
    uvicorn.run(
        LoadShedding(app, limit=MAX_CONCURRENT_REQUESTS),
        host=host,
        port=port,
        log_level="warning",
        server_header=False,
        proxy_headers=False,
        limit_concurrency=BACKSTOP_CONNECTIONS,
        timeout_keep_alive=KEEP_ALIVE_S,
    )
