"""Item 10 of issue 17 (the rest): `sql` reads the warehouse only; the dashboard sheds load politely."""

from __future__ import annotations

import asyncio

import httpx
import pytest

from pipeline.web.shedding import LoadShedding
from tests.faults.helpers import run


@pytest.mark.parametrize(
    "query",
    [
        "SELECT * FROM read_text('/etc/passwd')",
        "SELECT count(*) FROM glob('/etc/*')",
        "SELECT * FROM read_csv('/etc/hostname')",
    ],
)
def test_sql_cannot_read_files_outside_the_warehouse(tmp_path, query):
    from warehouse.db import connect_write

    db = tmp_path / "w.duckdb"
    connect_write(db).close()  # a read never creates the warehouse
    assert run(db, "sql", "SELECT count(*) FROM documents").returncode == 0
    result = run(db, "sql", query, "--format", "json")
    assert result.returncode == 2
    assert "disabled by configuration" in result.stderr
    assert "root:" not in result.stdout


def test_the_dashboard_answers_a_503_page_with_retry_after_beyond_its_limit():
    release = asyncio.Event()

    async def slow_page(scope, receive, send):
        await release.wait()
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"ok"})

    async def scenario():
        app = LoadShedding(slow_page, limit=3)
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1") as client:
            held = [asyncio.create_task(client.get("/")) for _ in range(3)]
            await asyncio.sleep(0.05)
            shed = await client.get("/heatmap")
            release.set()
            answered = await asyncio.gather(*held)
            after = await client.get("/")
        return shed, answered, after

    shed, answered, after = asyncio.run(scenario())
    assert shed.status_code == 503
    assert shed.headers["retry-after"] == "2" and shed.headers["content-type"].startswith("text/html")
    assert "<h1>The dashboard is busy</h1>" in shed.text
    assert [r.status_code for r in answered] == [200, 200, 200] and after.status_code == 200


def test_serve_runs_the_dashboard_behind_the_load_shedding():
    import inspect

    from pipeline.cli import serve

    source = inspect.getsource(serve.serve.callback)
    assert "LoadShedding(app, limit=MAX_CONCURRENT_REQUESTS)" in source
    assert serve.BACKSTOP_CONNECTIONS > serve.MAX_CONCURRENT_REQUESTS
