"""Benchmark the dashboard: how long each page takes on a given warehouse.

Each page is requested in-process through the ASGI app (the same path as
`serve --get`): opening the warehouse read-only, the named queries, rendering and
closing, i.e. everything but the socket. One untimed request warms each route
first (its time is the "first" column: cold caches, e.g. the theme page's whole-warehouse
rising/co-occurrence analyses); the table gives the median and the slowest of the timed requests.

Targets (issue 9): < 300 ms per page on the sample warehouse, < 1 s on the
1M-mention benchmark warehouse (`python -m benchmarks.bench_warehouse --keep PATH`).

Run:
    .venv/bin/python -m benchmarks.bench_web --db /tmp/sample.duckdb
    .venv/bin/python -m benchmarks.bench_web --db /tmp/bench.duckdb --target-ms 1000
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path
from urllib.parse import quote

from rich.console import Console
from rich.table import Table
from starlette.applications import Starlette

from pipeline.analysis import queries
from pipeline.analysis.filters import TrendFilters
from pipeline.web.app import create_app, get
from warehouse.db import connect_read, run_query

DEFAULT_REPEAT = 7
DEFAULT_TARGET_MS = 300.0


def subjects(db_path: Path) -> dict[str, str]:
    """Pick the (theme, year) cell with most documents, a word it matched, and its busiest document."""
    with connect_read(db_path) as con:
        cells = queries.trends(con, TrendFilters(metric="documents"))
        cell = max(cells, key=lambda row: (row["documents"], row["bucket"]))
        theme, year = cell["theme"], cell["bucket"]
        (document,) = run_query(con, "web_theme_documents", theme=theme, limit=1)
        evidence = queries.evidence(con, theme=theme, limit=1)
    return {
        "theme": theme,
        "year": year,
        "word": evidence[0]["matched_text"].split()[0],
        "document": document["sha256"],
    }


def page_paths(subject: dict[str, str]) -> list[str]:
    """Every page route, with the chosen subjects, plus the heaviest filter combinations."""
    theme, document, word = subject["theme"], subject["document"], quote(subject["word"])
    return [
        "/",
        "/heatmap",
        "/heatmap?by=doc_type&metric=per_10k&order=cluster",
        "/heatmap?by=area&section=recommendations&since=2018",
        f"/evidence?theme={theme}&by=year&bucket={subject['year']}",
        f"/evidence?theme={theme}&q={word}&all=1",
        f"/evidence?theme={theme}&format=csv",
        f"/themes/{theme}",
        "/documents",
        f"/documents/{document}",
        f"/documents/{document}/text",
        "/runs",
        "/taxonomy",
        f"/search?q={word}",
    ]


def time_page(app: Starlette, path: str, repeat: int) -> tuple[int, int, float, list[float]]:
    """Return (status, bytes, first request's ms, later requests' ms)."""
    started = time.perf_counter()
    status, _, body = get(app, path)
    first = (time.perf_counter() - started) * 1000
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        get(app, path)
        times.append((time.perf_counter() - started) * 1000)
    return status, len(body), first, times


def main() -> None:
    """Time every page on the given warehouse and print a table with the target."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, required=True, help="The warehouse to serve.")
    parser.add_argument("--repeat", type=int, default=DEFAULT_REPEAT)
    parser.add_argument("--target-ms", type=float, default=DEFAULT_TARGET_MS)
    args = parser.parse_args()
    app = create_app(args.db)
    table = Table(title=f"Dashboard pages on {args.db} (ms; target < {args.target_ms:.0f})")
    for column in ("page", "status", "KB", "first", "median", "slowest", "ok"):
        table.add_column(column, justify="left" if column == "page" else "right")
    for path in page_paths(subjects(args.db)):
        status, size, first, times = time_page(app, path, args.repeat)
        median = statistics.median(times)
        table.add_row(
            path[:90],
            str(status),
            f"{size / 1024:.0f}",
            f"{first:.0f}",
            f"{median:.0f}",
            f"{max(times):.0f}",
            "yes" if median < args.target_ms and status == 200 else "NO",
        )
    Console(width=160).print(table)


if __name__ == "__main__":
    main()
