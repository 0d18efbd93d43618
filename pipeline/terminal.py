"""Tables and records that fit the terminal, for people (a leaf: `output` and the CLI use it).

- Numbers (and short codes) stay on one line; long text wraps at words, never below
  a readable width, and a key column too long for its share is cut with an ellipsis.
- A table wider than the terminal (a trend over 14 years) is printed in blocks of
  columns that fit, each repeating the key column, rather than folded into slivers.
- Evidence and review rows are printed as records: a heading line, then the sentence
  on its own lines, wrapped to the terminal with the matched words in bold.
"""

from __future__ import annotations

import os
import re
import sys
import textwrap
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from rich import box
from rich.console import Console, JustifyMethod
from rich.table import Table
from rich.text import Text

# Width for tables when stdout is a file or pipe (rich would otherwise wrap at 80 columns);
# $COLUMNS overrides it, as on a terminal.
PIPED_TABLE_WIDTH = 200
MIN_TEXT_WIDTH = 12  # a column of prose never gets narrower than this
SHORT_TEXT = 12  # text this short is kept on one line, like a number
MAX_KEY_WIDTH = 34  # the key column of a wide table (theme ids) is cut beyond this
COLUMN_GAP = 3  # what each column costs beyond its text (SIMPLE box: padding either side, a separator)
INDENT = "    "
HEADING_INDENT = "  "  # continuation lines of a record's heading (its text is indented more)
LABELS = {"page": "p. "}  # prefixes of heading fields in records
SEPARATOR = " · "
NUMBERISH = re.compile(r"^(?:[·\-–]|[-+<>≥]?\s?[\d.,]+(?:%|e-?\d+)?(?: \([\d/.,%]+\))?(?: pts)?)$")
Cell = Callable[[Any], str]


def console_width() -> int:
    """Return the width to print for: the terminal's, else $COLUMNS, else PIPED_TABLE_WIDTH."""
    if os.environ.get("COLUMNS", "").isdigit():
        return int(os.environ["COLUMNS"])
    if sys.stdout.isatty():
        return Console().width
    return PIPED_TABLE_WIDTH


def _console() -> Console:
    return Console(width=console_width())


def _keeps_one_line(values: Sequence[str]) -> bool:
    return all(not value or NUMBERISH.match(value) or len(value) <= SHORT_TEXT for value in values)


def _header(column: str, width: int) -> str:
    """Return a header that fits its column's values: "total_documents" over two lines if needed."""
    return column.replace("_", "_\n") if len(column) > width and "_" in column else column


@dataclass(frozen=True)
class _Column:
    header: str
    kind: str  # number | short | identifier | prose
    min_width: int


def _columns(columns: Sequence[str], cells: list[list[str]]) -> list[_Column]:
    specs = []
    for index, column in enumerate(columns):
        values = [row[index] for row in cells]
        widest = max((len(value) for value in values), default=0)
        if _keeps_one_line(values):
            kind = "number" if all(not value or NUMBERISH.match(value) for value in values) else "short"
            header = _header(column, widest)
            specs.append(_Column(header, kind, max([widest, *(len(line) for line in header.splitlines())])))
        else:
            kind = "prose" if any(" " in value for value in values) else "identifier"
            specs.append(_Column(column, kind, min(widest, MIN_TEXT_WIDTH)))
    return specs


def _table(specs: Sequence[_Column], cells: list[list[str]], width: int) -> Table:
    table = Table(box=box.SIMPLE_HEAD, header_style="bold", pad_edge=False)
    fixed = sum(spec.min_width + COLUMN_GAP for spec in specs if spec.kind in ("number", "short"))
    flexible = sum(1 for spec in specs if spec.kind in ("identifier", "prose")) or 1
    share = max(MIN_TEXT_WIDTH, (width - fixed) // flexible - COLUMN_GAP)
    for spec in specs:
        if spec.kind in ("number", "short"):
            justify: JustifyMethod = "right" if spec.kind == "number" else "left"
            table.add_column(spec.header, no_wrap=True, justify=justify, min_width=spec.min_width)
        elif spec.kind == "identifier":  # whole, or cut with an ellipsis
            table.add_column(
                spec.header, no_wrap=True, overflow="ellipsis", min_width=spec.min_width, max_width=share
            )
        else:
            table.add_column(spec.header, min_width=spec.min_width, overflow="fold")
    for row in cells:
        table.add_row(*row)
    return table


def print_table(
    rows: Sequence[dict[str, Any]], columns: Sequence[str], *, cell: Cell, title: str | None = None
) -> None:
    """Print rows as a table that fits the terminal (numbers whole, prose wrapped).

    When even the narrowest layout is wider than the terminal, each row is printed
    as a record instead (its longest text below a heading of the other fields).
    """
    cells = [[cell(row.get(column)) for column in columns] for row in rows]
    specs = _columns(columns, cells)
    if sum(spec.min_width + COLUMN_GAP for spec in specs) > console_width() and len(columns) > 1:
        widest = max(range(len(columns)), key=lambda i: max((len(row[i]) for row in cells), default=0))
        head = [column for index, column in enumerate(columns) if index != widest]
        print_records(rows, head, columns[widest], cell=cell, title=title, labelled=True)
        return
    console = _console()
    if title:
        console.print(Text(title, style="bold"))
    console.print(_table(specs, cells, console_width()))


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: max(width - 1, 1)] + "…"


def _width(column: str, values: Sequence[str]) -> int:
    lines = [*column.splitlines(), *(value for value in values)]
    return max((len(line) for line in lines), default=1)


def column_blocks(widths: Sequence[int], key_width: int, total: int) -> list[list[int]]:
    """Split columns 1.. into consecutive blocks that fit `total` beside the key column (column 0)."""
    blocks: list[list[int]] = [[]]
    used = key_width + COLUMN_GAP
    for index, width in enumerate(widths[1:], start=1):
        if blocks[-1] and used + width + COLUMN_GAP > total:
            blocks.append([])
            used = key_width + COLUMN_GAP
        blocks[-1].append(index)
        used += width + COLUMN_GAP
    return blocks


def print_wide_table(
    rows: Sequence[dict[str, Any]], columns: Sequence[str], *, cell: Cell, title: str | None = None
) -> None:
    """Print a key column and many value columns (theme x year) in blocks that fit the terminal.

    Every value stays on one line; the key column is cut with an ellipsis beyond
    MAX_KEY_WIDTH; each block repeats it, so each printed line reads on its own.
    """
    total = console_width()
    cells = [[cell(row.get(column)) for column in columns] for row in rows]
    key_width = min(_width(columns[0], [row[0] for row in cells]), MAX_KEY_WIDTH, max(total // 3, 8))
    widths = [_width(column, [row[i] for row in cells]) for i, column in enumerate(columns)]
    console = _console()
    if title:
        console.print(Text(title, style="bold"))
    for block in column_blocks(widths, key_width, total):
        table = Table(box=box.SIMPLE_HEAD, header_style="bold", pad_edge=False)
        table.add_column(columns[0], no_wrap=True, overflow="ellipsis", max_width=key_width)
        for index in block:
            table.add_column(columns[index], no_wrap=True, justify="right", min_width=widths[index])
        for row in cells:
            table.add_row(_cut(row[0], key_width), *(row[index] for index in block))
        console.print(table)


def _sentence(row: dict[str, Any], text_key: str, width: int, cell: Cell) -> Text:
    """Return the sentence wrapped and indented, with the match (match_start/match_end) in bold."""
    sentence = " ".join(cell(row.get(text_key)).split())
    text = Text()
    start, end = row.get("match_start"), row.get("match_end")
    plain = str(row.get(text_key) or "")
    bold = plain[start:end] if isinstance(start, int) and isinstance(end, int) else ""
    for line in textwrap.wrap(sentence, width=max(width - len(INDENT), MIN_TEXT_WIDTH)) or [""]:
        text.append(INDENT)
        if bold and bold in line:
            before, _, after = line.partition(bold)
            text.append(before)
            text.append(bold, style="bold")
            text.append(after + "\n")
        else:
            text.append(line + "\n")
    return text


def _heading(row: dict[str, Any], head: Sequence[str], cell: Cell, width: int, labelled: bool = False) -> str:
    """Return the heading of a record: one line whose longest fields (a title) are cut so the others fit,
    or, `labelled`, every field whole over as many lines as it takes."""
    def label(column: str) -> str:
        return f"{column}: " if labelled else LABELS.get(column, "")

    fields = [label(column) + cell(row.get(column)) for column in head if cell(row.get(column))]
    if labelled:
        return _wrapped_fields(fields, width)
    for index in sorted(range(len(fields)), key=lambda i: -len(fields[i])):  # longest first
        excess = len(SEPARATOR.join(fields)) - width
        if excess <= 0:
            break
        if len(fields[index]) > SHORT_TEXT:  # a year, a page or a status is never cut
            fields[index] = _cut(fields[index], max(len(fields[index]) - excess, MIN_TEXT_WIDTH))
    return _cut(SEPARATOR.join(fields), width)


def _wrapped_fields(fields: Sequence[str], width: int) -> str:
    """Return the fields whole, as many to a line as fit; continuation lines indented."""
    lines = [""]
    for field in fields:
        joined = f"{lines[-1]}{SEPARATOR}{field}" if lines[-1].strip() else lines[-1] + field
        if len(joined) > width and lines[-1].strip():
            lines.append(HEADING_INDENT + field)
        else:
            lines[-1] = joined
    return "\n".join(_cut(line, width) for line in lines)


def print_records(
    rows: Sequence[dict[str, Any]],
    head: Sequence[str],
    text_key: str,
    *,
    cell: Cell,
    title: str | None = None,
    labelled: bool = False,
) -> None:
    """Print each row as a heading line (its `head` fields, cut to the width) and its text below.

    `labelled` names each heading field ("seen: 42") and keeps it whole, for rows without a familiar shape.
    """
    console = _console()
    width = console_width()
    if title:
        console.print(Text(title, style="bold"))
    for row in rows:
        console.print(Text(_heading(row, head, cell, width, labelled), style="dim"))
        console.print(_sentence(row, text_key, width, cell), end="")
