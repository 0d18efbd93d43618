"""The review screen: check the machine's hits (accept, reject) and add themes it missed.

Reading is a page like the others (a read-only connection per request). A decision is a
form POST that writes through the same single-writer path as `review accept/reject/add`:
the writer lock, waited for only briefly (an ingest holding it is never kept waiting by a
reviewer: the reviewer is asked to try again), a write connection open for one short
transaction, and `analysis.review.record_decisions`, so the CLI and the screen record
exactly the same rows. Forms carry a per-process token and must come from this dashboard
(Origin), so another web page cannot post decisions through the reviewer's browser.
"""

from __future__ import annotations

import getpass
import hmac
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, parse_qsl, urlencode, urlsplit

import duckdb
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import QueryParams
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response

from pipeline.analysis.review import DECISIONS, STATUSES, parse_ref, record_decisions, review_queue
from pipeline.errors import UsageError, WarehouseBusyError
from pipeline.web import forms
from pipeline.web.pages import Page, theme_labels
from pipeline.web.text import find_match
from warehouse.db import connect_write, writer_lock

QUEUE_PAGE = 25  # hits per screen
WRITE_WAIT_S = 2.0  # a decision waits this long for the writer lock, then asks to try again
MAX_FORM_BYTES = 4096
QUEUE_COLUMNS = ("ref", "theme", "status", "source", "title", "year", "page", "sentence", "matched_text")


@dataclass(frozen=True)
class Decision:
    """One decision posted from the review screen."""

    ref: str
    decision: str
    theme: str | None
    reviewer: str | None
    back: str  # where to return: the review screen with its filters


def review(con: duckdb.DuckDBPyConnection, params: QueryParams, fmt: str, *, token: str) -> Page:
    """Hits to review in the fixed fair order, each with accept/reject and an add-a-theme form."""
    themes = theme_labels(con)
    theme = forms.text(params, "theme")
    if theme is not None and theme not in themes:
        raise forms.BadRequest(f"Unknown theme {theme!r}; the Themes page lists them.")
    status = forms.choice(params, "status", STATUSES, "unreviewed")
    reviewer = forms.text(params, "reviewer")
    hits = review_queue(con, theme=theme, status=status, limit=QUEUE_PAGE if fmt == "html" else 10_000)
    for hit in hits:
        hit["snippet"] = find_match(hit["sentence"], str(hit["matched_text"] or "").split(" | "))
    back = "/review?" + forms.query_string(theme=theme, status=None if status == "unreviewed" else status,
                                           reviewer=reviewer)
    return Page(
        "review.html",
        {
            "hits": hits,
            "themes": themes,
            "theme": theme,
            "status": status,
            "statuses": STATUSES,
            "reviewer": reviewer or "",
            "token": token,
            "back": back,
            "done": forms.text(params, "done"),
        },
        rows=hits,
        columns=QUEUE_COLUMNS,
        download_name="review-queue",
        title="Review hits",
    )


def _field(form: dict[str, list[str]], name: str) -> str | None:
    value = (form.get(name) or [""])[0].strip()
    if len(value) > forms.MAX_TEXT_LENGTH:
        raise forms.BadRequest(f"{name} is longer than {forms.MAX_TEXT_LENGTH} characters")
    return value or None


def parse_decision(body: bytes, token: str) -> Decision:
    """Read and check a posted decision (token, decision, reference, theme, return address).

    Raises:
        BadRequest: a missing or wrong token, an unknown decision, a malformed field.
    """
    if len(body) > MAX_FORM_BYTES:
        raise forms.BadRequest("The form is too large.")
    form = parse_qs(body.decode("utf-8", errors="replace"), keep_blank_values=True)
    if not hmac.compare_digest(_field(form, "csrf") or "", token):
        raise forms.BadRequest("This form has expired (the dashboard was restarted): reload the page.")
    decision = _field(form, "decision")
    if decision not in DECISIONS:
        raise forms.BadRequest(f"Unknown decision {decision!r}; choose one of {', '.join(DECISIONS)}")
    back = _field(form, "back") or "/review"
    if not back.startswith("/review") or urlsplit(back).netloc:
        back = "/review"
    ref = _field(form, "ref")
    if ref is None:
        raise forms.BadRequest("Which hit? The form names none.")
    return Decision(ref, decision, _field(form, "theme"), _field(form, "reviewer"), back)


def record(db_path: Path, decision: Decision) -> list[dict[str, Any]]:
    """Write one decision through the single-writer path (as `review accept/reject/add`).

    Raises:
        WarehouseBusyError: an ingest holds the warehouse (the decision is not recorded).
        UsageError: the reference or theme resolves to nothing.
    """
    adding = decision.decision == "add"
    ref = parse_ref(decision.ref, with_theme=not adding)
    with writer_lock(db_path, wait_s=WRITE_WAIT_S, command="review (dashboard)"):
        con = connect_write(db_path, wait_s=WRITE_WAIT_S)
        try:
            return record_decisions(
                con,
                [ref],
                decision.decision,
                theme=decision.theme if adding else None,
                reviewer=decision.reviewer or getpass.getuser(),
                note="dashboard",
            )
        finally:
            con.close()


def _same_origin(request: Request) -> bool:
    """Return False for a post another site made the browser send (the token is checked as well).

    Browsers say where a request comes from in Sec-Fetch-Site; Origin is "null" here because
    the dashboard's Referrer-Policy is no-referrer, so only a real, different origin is refused.
    """
    if request.headers.get("sec-fetch-site", "same-origin") not in ("same-origin", "none"):
        return False
    origin = request.headers.get("origin")
    if origin in (None, "null"):
        return True
    return urlsplit(origin).netloc == request.headers.get("host", "")


def decide_endpoint(
    db_path: Path, token: str, error_page: Callable[[Request, int, str], Response]
) -> Callable[[Request], Awaitable[Response]]:
    """Return the POST /review handler: check the form, record the decision, go back to the queue."""

    async def endpoint(request: Request) -> Response:
        if not _same_origin(request):
            return error_page(request, 403, "Decisions can only be posted from this dashboard.")
        try:
            decision = parse_decision(await request.body(), token)
            rows = await run_in_threadpool(record, db_path, decision)
        except forms.BadRequest as error:
            return error_page(request, 400, str(error))
        except UsageError as error:
            return error_page(request, 400, str(error))
        except WarehouseBusyError:
            return error_page(
                request, 503, "The nightly ingest is writing to the warehouse: your decision was not "
                "recorded. Go back and try again in a minute."
            )
        done = f"{decision.decision}: {rows[0]['theme']} in {decision.ref.split(':')[0]}"
        back = urlsplit(decision.back)
        query = urlencode([*parse_qsl(back.query), ("done", done)])
        return RedirectResponse(f"{back.path}?{query}", status_code=303)

    return endpoint
