"""The local dashboard: a Starlette app rendering Jinja2 templates over named queries.

Why Starlette + Jinja2 and no chart library: the whole stack is a few pure-Python
wheels already in the project (no Node, no CDN, no telemetry, unlike Streamlit's
default usage statistics), the heatmap is an HTML table of coloured cells (readable,
printable, links in every cell), and the only JavaScript is a small vendored file.

Safety by construction:
- review decisions (the review screen) are its only write, through the writer lock,
  as the CLI's `review` records them;
- each request opens the warehouse read-only and closes it before rendering, so the
  nightly ingest is never kept out for longer than one page's queries;
- every value reaches SQL as a parameter of a named query, after `forms` validates it;
- templates autoescape everything (report text is untrusted), and the Content-Security-Policy
  forbids inline scripts as a second line of defence;
- static assets are read from the package into memory at start-up and served by name:
  no part of a URL is ever used as a file path;
- the Host header must name this machine (defeats DNS rebinding from a web page).
"""

from __future__ import annotations

import asyncio
import csv
import functools
import hashlib
import io
import re
import secrets
from collections.abc import Callable
from datetime import date, datetime
from http import HTTPStatus
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import duckdb
import jinja2
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from pipeline.errors import UsageError, WarehouseBusyError
from pipeline.output import format_cell, to_json
from pipeline.records import DOC_TYPE_LABELS
from pipeline.web import document_pages, forms, pages, review_pages
from pipeline.web.cache import StateCache
from pipeline.web.pages import NotFound, Page
from pipeline.web.palette import PALETTE_ASSET, palette_css
from warehouse.db import connect_read

READ_WAIT_S = 5.0  # how long a page waits for an ingest batch to commit before saying "busy"
BUSY_RETRY_S = 5
BUSY_MESSAGE = (
    "The nightly ingest is saving a batch of documents right now. "
    f"This page reloads in {BUSY_RETRY_S} seconds; nothing needs doing."
)
MAX_FILENAME = 80
LOCAL_HOSTS = ("127.0.0.1", "localhost", "[::1]", "::1")
SHA256_PATTERN = re.compile(r"^[0-9a-f]{64}$")
SAFE_FILENAME = re.compile(r"[^A-Za-z0-9._-]+")
CSV_FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")  # spreadsheets would run these as formulas
INTERNAL_KEYS = frozenset({"snippet", "segments"})
STATIC_TYPES = {  # the kinds of file pyproject's package data ships
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
}
SECURITY_HEADERS = {
    "content-security-policy": (
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
    ),
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "x-frame-options": "DENY",
}
NAV = (
    ("/", "Overview"),
    ("/heatmap", "Heatmap"),
    ("/taxonomy", "Themes"),
    ("/documents", "Documents"),
    ("/runs", "Runs"),
    ("/review", "Review"),
)

PageBuilder = Callable[..., Page]


class SecurityHeaders:
    """ASGI middleware adding the security headers to every response."""

    def __init__(self, app: ASGIApp) -> None:
        """Wrap `app`."""
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Pass the request on; add the headers to the response start."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = list(message.get("headers", [])) + [
                    (name.encode(), value.encode()) for name, value in SECURITY_HEADERS.items()
                ]
            await send(message)

        await self.app(scope, receive, send_with_headers)


# ---------------------------------------------------------------- templates and assets


def load_static() -> dict[str, tuple[bytes, str, str]]:
    """Read the packaged static files into memory: name -> (bytes, media type, content hash)."""
    folder = resources.files("pipeline.web").joinpath("static")
    assets = {}
    for entry in folder.iterdir():
        suffix = Path(entry.name).suffix
        if suffix in STATIC_TYPES:
            data = entry.read_bytes()
            assets[entry.name] = (data, STATIC_TYPES[suffix], hashlib.sha256(data).hexdigest()[:10])
    css = palette_css(pages.COLOUR_BINS)
    assets[PALETTE_ASSET] = (css, STATIC_TYPES[".css"], hashlib.sha256(css).hexdigest()[:10])
    return assets


def url(path: str, **params: Any) -> str:
    """Build a link: `path` plus the non-empty parameters."""
    query = forms.query_string(**params)
    return f"{path}?{query}" if query else path


def _format_datetime(value: datetime | date | None) -> str:
    return value.strftime("%Y-%m-%d %H:%M") if isinstance(value, datetime) else format_cell(value)


def _format_share(value: float | None) -> str:
    return "" if value is None else f"{value:.0%}"


def make_environment(assets: dict[str, tuple[bytes, str, str]]) -> jinja2.Environment:
    """Build the template environment: autoescaping always on, undefined names are errors."""
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("pipeline.web", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals.update(
        url=url,
        nav=NAV,
        static=lambda name: f"/static/{name}?v={assets[name][2]}",
    )
    env.filters.update(
        dt=_format_datetime,
        share=_format_share,
        cell=format_cell,
        doc_type_label=lambda code: DOC_TYPE_LABELS.get(code, str(code).replace("_", " ")),
    )
    return env


# ---------------------------------------------------------------- responses


def _safe_cell(value: Any) -> str:
    text = format_cell(value)
    return "'" + text if text.startswith(CSV_FORMULA_PREFIXES) else text


def _download_rows(page: Page) -> list[dict[str, Any]]:
    return [{key: value for key, value in row.items() if key not in INTERNAL_KEYS} for row in page.rows]


def _csv_body(page: Page) -> str:
    rows = _download_rows(page)
    columns = list(page.columns or (rows[0].keys() if rows else []))
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    writer.writerows([_safe_cell(row.get(column)) for column in columns] for row in rows)
    return out.getvalue()


def _download(page: Page, fmt: str) -> Response:
    name = SAFE_FILENAME.sub("-", page.download_name)[:MAX_FILENAME] or "page"
    disposition = {"content-disposition": f'attachment; filename="{name}.{fmt}"'}
    if fmt == "json":
        return Response(to_json(_download_rows(page)), media_type="application/json", headers=disposition)
    return Response(_csv_body(page), media_type="text/csv; charset=utf-8", headers=disposition)


def _download_links(request: Request) -> dict[str, str]:
    kept = [(k, v) for k, v in request.query_params.multi_items() if k not in ("format", "page")]
    return {
        fmt: f"{request.url.path}?{urlencode([*kept, ('format', fmt)])}" for fmt in forms.DOWNLOAD_FORMATS[1:]
    }


def _render(
    env: jinja2.Environment, request: Request, template: str, status_code: int, **context: Any
) -> Response:
    html = env.get_template(template).render(
        path=request.url.path,
        search_box=request.query_params.get("q", "") if request.url.path == "/search" else "",
        **context,
    )
    return HTMLResponse(html, status_code=status_code, headers={"cache-control": "no-store"})


def error_page(env: jinja2.Environment, request: Request, status: int, message: str) -> Response:
    """Render an error page that says what went wrong and what to do."""
    response = _render(env, request, "error.html", status, status=status, message=message, title="Error")
    if status == HTTPStatus.SERVICE_UNAVAILABLE:
        response.headers["retry-after"] = str(BUSY_RETRY_S)
    return response


def _build_page(db_path: Path, build: PageBuilder, request: Request, fmt: str) -> Page:
    with connect_read(db_path, wait_s=READ_WAIT_S) as con:
        return build(con, request.query_params, fmt, **request.path_params)


def page_endpoint(
    db_path: Path, env: jinja2.Environment, build: PageBuilder
) -> Callable[[Request], Response]:
    """Wrap a page builder: validate, query with a short-lived read-only connection, then respond."""

    def endpoint(request: Request) -> Response:
        sha256 = request.path_params.get("sha256")
        if sha256 is not None and not SHA256_PATTERN.match(sha256):
            return error_page(
                env, request, HTTPStatus.NOT_FOUND, "A document address is 64 hexadecimal characters."
            )
        try:
            fmt = forms.download_format(request.query_params)
            page = _build_page(db_path, build, request, fmt)
        except NotFound as error:
            return error_page(env, request, HTTPStatus.NOT_FOUND, str(error))
        except (forms.BadRequest, UsageError) as error:
            return error_page(env, request, HTTPStatus.BAD_REQUEST, str(error))
        except WarehouseBusyError:
            return error_page(env, request, HTTPStatus.SERVICE_UNAVAILABLE, BUSY_MESSAGE)
        except duckdb.IOException as error:
            return error_page(
                env, request, HTTPStatus.SERVICE_UNAVAILABLE, f"The warehouse cannot be read: {error}"
            )
        if fmt != "html":
            return _download(page, fmt)
        return _render(
            env,
            request,
            page.template,
            HTTPStatus.OK,
            title=page.title,
            downloads=_download_links(request),
            **page.context,
        )

    return endpoint


def static_endpoint(assets: dict[str, tuple[bytes, str, str]]) -> Callable[[Request], Response]:
    """Serve a packaged asset by name from memory (a URL never reaches the file system)."""

    def endpoint(request: Request) -> Response:
        found = assets.get(request.path_params["name"])
        if found is None:
            raise HTTPException(HTTPStatus.NOT_FOUND)
        data, media_type, _ = found
        return Response(data, media_type=media_type, headers={"cache-control": "public, max-age=86400"})

    return endpoint


# ---------------------------------------------------------------- the app


def page_routes(cache: StateCache) -> tuple[tuple[str, PageBuilder], ...]:
    """Return each page's path and builder (the theme page reuses whole-warehouse results)."""
    return (
        ("/", pages.overview),
        ("/heatmap", pages.heatmap),
        ("/evidence", pages.evidence),
        ("/themes/{theme_id:str}", functools.partial(pages.theme, cache=cache)),
        ("/documents", document_pages.documents),
        ("/documents/{sha256:str}", document_pages.document),
        ("/documents/{sha256:str}/text", document_pages.document_text),
        ("/runs", pages.runs),
        ("/taxonomy", pages.taxonomy),
        ("/search", pages.search),
    )


def create_app(db_path: Path, *, allowed_hosts: tuple[str, ...] = LOCAL_HOSTS) -> Starlette:
    """Return the dashboard app over the warehouse at `db_path` (opened read-only per request).

    The review screen's decisions are the one write: through the writer lock, briefly,
    as `review accept/reject/add` (pipeline.web.review_pages).

    Args:
        db_path: the DuckDB warehouse file.
        allowed_hosts: Host header values accepted (this machine's names by default).
    """
    assets = load_static()
    env = make_environment(assets)
    db_path = Path(db_path)
    token = secrets.token_urlsafe(32)  # review forms carry it: another site cannot post decisions
    routes = [
        Route(path, page_endpoint(db_path, env, build), methods=["GET"])
        for path, build in page_routes(StateCache(db_path))
    ]
    review_page = functools.partial(review_pages.review, token=token)
    decide = review_pages.decide_endpoint(db_path, token, functools.partial(error_page, env))
    routes += [
        Route("/review", page_endpoint(db_path, env, review_page), methods=["GET"]),
        Route("/review", decide, methods=["POST"]),
        Route("/static/{name:str}", static_endpoint(assets), methods=["GET"]),
    ]

    async def http_error(request: Request, error: Exception) -> Response:
        status = getattr(error, "status_code", HTTPStatus.INTERNAL_SERVER_ERROR)
        messages = {
            HTTPStatus.NOT_FOUND: "There is no page at this address.",
            HTTPStatus.METHOD_NOT_ALLOWED: "This address only reads: use GET (decisions go to /review).",
        }
        return error_page(env, request, status, messages.get(status, "The request could not be handled."))

    return Starlette(
        routes=routes,
        middleware=[
            Middleware(TrustedHostMiddleware, allowed_hosts=list(allowed_hosts)),
            Middleware(SecurityHeaders),
        ],
        exception_handlers={HTTPException: http_error},
    )


# ---------------------------------------------------------------- one request without a server


async def _call(app: ASGIApp, path: str) -> tuple[int, dict[str, str], bytes]:
    raw_path, _, query = path.partition("?")
    scope: Scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": raw_path,
        "raw_path": raw_path.encode(),
        "root_path": "",
        "query_string": query.encode(),
        "headers": [(b"host", b"localhost")],
        "client": ("127.0.0.1", 0),
        "server": ("127.0.0.1", 80),
    }
    status, headers, body = int(HTTPStatus.INTERNAL_SERVER_ERROR), dict[str, str](), bytearray()

    async def receive() -> Message:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: Message) -> None:
        nonlocal status
        if message["type"] == "http.response.start":
            status = message["status"]
            headers.update((k.decode(), v.decode()) for k, v in message.get("headers", []))
        elif message["type"] == "http.response.body":
            body.extend(message.get("body", b""))

    await app(scope, receive, send)
    return status, headers, bytes(body)


def get(app: ASGIApp, path: str) -> tuple[int, dict[str, str], bytes]:
    """Make one GET request to the app in-process (like `datasette --get`): (status, headers, body)."""
    if not path.startswith("/"):
        path = "/" + path
    return asyncio.run(_call(app, path))
