"""Write the board briefing as HTML or PDF."""

from __future__ import annotations

from pathlib import Path

import duckdb

from pipeline.analysis.filters import TrendFilters
from pipeline.errors import UsageError
from pipeline.output import writing
from pipeline.outputs.report.briefing import DEFAULT_QUOTES, DEFAULT_TOP, Briefing, build_briefing

REPORT_SUFFIXES = (".html", ".pdf")


def write_report(
    con: duckdb.DuckDBPyConnection,
    out: Path,
    filters: TrendFilters | None = None,
    *,
    top: int = DEFAULT_TOP,
    quotes: int = DEFAULT_QUOTES,
) -> Briefing:
    """Write the briefing to `out` (.html or .pdf).

    Raises:
        UsageError: the extension is not .html or .pdf, `out` cannot be written, or no document matches.
    """
    suffix = out.suffix.lower()
    if suffix not in REPORT_SUFFIXES:
        raise UsageError(f"Cannot write {out.name}: use one of {', '.join(REPORT_SUFFIXES)}")
    with writing(out):
        briefing = build_briefing(con, filters, top=top, quotes=quotes)
        if suffix == ".pdf":
            from pipeline.outputs.report.pdf import write_pdf

            write_pdf(briefing, out)
        else:
            from pipeline.outputs.report.html import write_html_report

            write_html_report(briefing, out)
    return briefing
