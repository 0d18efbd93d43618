"""Shed load politely: past a number of requests in flight, answer a small 503 page with Retry-After.

uvicorn's own `limit_concurrency` answers a plain-text 503 without Retry-After and counts
idle keep-alive connections too; this middleware counts requests being answered and says,
in a page a person can read, when to come back. uvicorn's limit stays as a backstop.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Receive, Scope, Send

SHED_RETRY_S = 2
SHED_PAGE = (
    b"<!doctype html><html lang=en><head><meta charset=utf-8><title>Busy</title></head><body>"
    b"<h1>The dashboard is busy</h1><p>Many pages are being opened at once. "
    b"Try again in a few seconds; nothing needs doing.</p></body></html>"
)


class LoadShedding:
    """ASGI middleware: at most `limit` HTTP requests in flight; the rest get a 503 page."""

    def __init__(self, app: ASGIApp, *, limit: int) -> None:
        """Wrap `app`."""
        self.app = app
        self.limit = limit
        self.in_flight = 0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Answer the request, or a 503 page with Retry-After when too many are in flight."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if self.in_flight >= self.limit:
            await _busy(send)
            return
        self.in_flight += 1
        try:
            await self.app(scope, receive, send)
        finally:
            self.in_flight -= 1


async def _busy(send: Send) -> None:
    headers = [
        (b"content-type", b"text/html; charset=utf-8"),
        (b"content-length", str(len(SHED_PAGE)).encode()),
        (b"retry-after", str(SHED_RETRY_S).encode()),
        (b"cache-control", b"no-store"),
    ]
    await send({"type": "http.response.start", "status": 503, "headers": headers})
    await send({"type": "http.response.body", "body": SHED_PAGE})
