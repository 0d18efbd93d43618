"""Print rows as a table (people), CSV (spreadsheets) or JSON (scripts), on stdout."""

from __future__ import annotations

import contextlib
import csv
import json
import os
import sys
from collections.abc import Iterator, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any

from rich.console import Console

from pipeline import terminal
from pipeline.errors import UsageError

FORMATS = ("table", "csv", "json")
SMALL_FLOAT = 0.001  # below this, floats keep two significant digits instead of three decimals


def default_format() -> str:
    """Return `table` on a terminal, `json` when stdout is piped or captured."""
    return "table" if sys.stdout.isatty() else "json"


def _json_default(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value)


def to_json(value: Any) -> str:
    """Serialise rows (dates as ISO strings)."""
    return json.dumps(value, default=_json_default, ensure_ascii=False, indent=2)


def format_cell(value: Any) -> str:
    """Render one value for a table or CSV cell."""
    if value is None:
        return ""
    if isinstance(value, float):
        if 0 < abs(value) < SMALL_FLOAT:  # a p value of 0.0004 is not 0
            return f"{value:.2g}"
        return f"{value:.3f}".rstrip("0").rstrip(".") if value % 1 else f"{value:.0f}"
    if isinstance(value, list):
        return ", ".join(format_cell(item) if not isinstance(item, dict) else to_json(item) for item in value)
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    return str(value)


def print_table(rows: Sequence[dict[str, Any]], columns: Sequence[str], *, title: str | None = None) -> None:
    """Print rows as a table that fits the terminal (numbers whole, long text wrapped)."""
    terminal.print_table(rows, columns, cell=format_cell, title=title)


def print_wide_table(
    rows: Sequence[dict[str, Any]], columns: Sequence[str], *, title: str | None = None
) -> None:
    """Print a key column and many value columns in blocks that fit the terminal."""
    terminal.print_wide_table(rows, columns, cell=format_cell, title=title)


def emit_records(
    rows: Sequence[dict[str, Any]],
    fmt: str,
    *,
    head: Sequence[str],
    text: str,
    columns: Sequence[str],
    title: str | None = None,
) -> None:
    """Print rows with a long text (a sentence): as records in a table format, else as `emit` does."""
    if fmt != "table" or not rows:
        emit(rows, fmt, columns=columns, title=title)
        return
    terminal.print_records(rows, head, text, cell=format_cell, title=title)


def emit(
    rows: Sequence[dict[str, Any]],
    fmt: str,
    *,
    columns: Sequence[str] | None = None,
    title: str | None = None,
) -> None:
    """Print rows in the chosen format; `columns` picks and orders table/CSV columns."""
    columns = list(columns or (rows[0].keys() if rows else []))
    if fmt == "json":
        print(to_json(list(rows)))
    elif fmt == "csv":
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows([format_cell(row.get(column)) for column in columns] for row in rows)
    elif not rows:
        Console(stderr=True).print(f"[dim]No rows{f' for {title}' if title else ''}.[/dim]")
    else:
        print_table(rows, columns, title=title)


def _cannot_write(out: Path, reason: str) -> UsageError:
    return UsageError(f"Cannot write {out}: {reason}. Choose another --out, in a folder you can write to.")


@contextlib.contextmanager
def writing(out: Path) -> Iterator[None]:
    """Write a file for people: refuse an unwritable path up front, and turn a failed write into exit 2.

    Raises:
        UsageError: the folder cannot be created or written, or the path is a folder.
    """
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise _cannot_write(out, error.strerror or str(error)) from None
    if out.is_dir():
        raise _cannot_write(out, "it is a folder")
    if not os.access(out.parent, os.W_OK):
        raise _cannot_write(out, "the folder is not writable")
    try:
        yield
    except OSError as error:
        raise _cannot_write(out, error.strerror or str(error)) from None
