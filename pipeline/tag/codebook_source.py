"""One codebook file as read: its TOML table and text, so every error names the file, line and theme."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pipeline.errors import TaxonomyError
from pipeline.tag.regex_check import regex_problem

TOML_LINE = re.compile(r"at line (\d+)")


# A pattern that starts with ".*" is retried from every character of every sentence: quadratic time.
UNANCHORED_WILDCARD = re.compile(r"^(?:\(\?[a-zA-Z]+\))?\.[*+]")


TOP_LEVEL_KEYS = {"version", "matching", "themes"}


@dataclass
class _Source:
    """One codebook file being read: its path, text and parsed tables."""

    path: Path
    text: str
    data: dict[str, Any]

    def line_of(self, theme_id: str | None = None, key: str | None = None) -> int:
        """Return the 1-based line of a theme's table header (or of a key inside it), 0 if unknown."""
        lines = self.text.splitlines()
        start = 0
        if theme_id is not None:
            header = re.compile(rf"^\s*\[+\s*themes\.{re.escape(theme_id)}\s*[\].]")
            start = next((i for i, line in enumerate(lines) if header.match(line)), -1)
            if start < 0:
                return 0
        if key is None:
            return start + 1
        key_line = re.compile(rf"^\s*{re.escape(key)}\s*=")
        other_table = re.compile(rf"^\s*\[+\s*(?!themes\.{re.escape(theme_id or '')}[\].])")
        for i in range(start, len(lines)):
            if theme_id is not None and i > start and other_table.match(lines[i]):
                break
            if key_line.match(lines[i]):
                return i + 1
        return start + 1


def _read_source(path: Path) -> _Source:
    """Parse one TOML file, turning syntax errors into TaxonomyError with file, line and theme."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise TaxonomyError(f"{path}: cannot read the taxonomy file ({exc})") from exc
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        match = TOML_LINE.search(str(exc))
        line = int(match.group(1)) if match else max(1, len(text.splitlines()))  # "at end of document"
        theme = _theme_before_line(text, line)
        raise TaxonomyError(f"{path}:{line}: theme {theme}: invalid TOML: {exc}") from exc
    source = _Source(path, text, data)
    unknown = set(data) - TOP_LEVEL_KEYS
    if unknown:
        raise TaxonomyError(
            f"{path}:1: unknown top-level key(s) {sorted(unknown)}; expected {sorted(TOP_LEVEL_KEYS)}"
        )
    return source


def _theme_before_line(text: str, line: int) -> str:
    """Return the id of the last theme table opened before a line (for syntax errors)."""
    theme = "(none)"
    for number, content in enumerate(text.splitlines(), start=1):
        if number > line:
            break
        match = re.match(r"^\s*\[+\s*themes\.(\w+)", content)
        if match:
            theme = match.group(1)
    return theme


def _fail(source: _Source, theme_id: str | None, message: str, key: str | None = None) -> TaxonomyError:
    """Build a TaxonomyError naming file, line and theme."""
    line = source.line_of(theme_id, key)
    where = f"theme {theme_id}: " if theme_id else ""
    return TaxonomyError(f"{source.path}:{line}: {where}{message}")


def _check_choice(source: _Source, theme_id: str, table: dict, key: str, allowed: tuple[str, ...]) -> None:
    """Raise unless ``table[key]`` is one of the allowed values."""
    if table[key] not in allowed:
        raise _fail(source, theme_id, f"{key} '{table[key]}' is not one of {', '.join(allowed)}", key)


def _strings(source: _Source, theme_id: str | None, table: dict, key: str) -> tuple[str, ...]:
    """Return ``table[key]`` as a tuple of non-empty strings (empty when absent)."""
    value = table.get(key, [])
    if not isinstance(value, list) or not all(isinstance(item, str) and item.strip() for item in value):
        raise _fail(source, theme_id, f"'{key}' must be a list of non-empty strings", key)
    return tuple(item.strip() for item in value)


def _check_regex(
    source: _Source, theme_id: str | None, key: str, pattern: str, *, spans: bool | None = None
) -> None:
    """Raise a TaxonomyError when a regular expression does not compile or could hang or count nothing.

    ``spans``: whether the pattern's matches become mentions (then it may not match empty text);
    by default every key but ``boilerplate`` does.
    """
    try:
        re.compile(pattern)
    except re.error as exc:
        raise _fail(source, theme_id, f"{key} pattern {pattern!r} is not a valid regex: {exc}", key) from exc
    if UNANCHORED_WILDCARD.match(pattern):
        message = f"{key} pattern {pattern!r} starts with '.*': anchor it with '^' (it would slow tagging)"
        raise _fail(source, theme_id, message, key)
    problem = regex_problem(pattern, may_match_empty=not (key != "boilerplate" if spans is None else spans))
    if problem is not None:
        raise _fail(source, theme_id, f"{key} pattern {pattern!r} {problem}", key)
