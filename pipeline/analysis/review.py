"""Review theme hits: accept or reject what the machine counted, add a theme it missed.

Decisions go to the ``reviews`` table (migration 004), never into ``mentions``: the
machine's output stays reproducible and a re-tag never loses a human decision. The
latest decision per (sentence, theme) wins. Reviewed sentences are training labels
for the learned model (`train`; ``pipeline.tag.labelled.reviewed_rows``), and accepted/rejected hits give a
per-theme precision estimate; the review queue is a fixed pseudo-random order so
the first N reviewed hits of a theme are a fair sample.

A hit is named by a reference ``<sha256 prefix>:<unit_no>:<theme>`` as printed by
``review list``; ``review add`` takes ``<sha256 prefix>:<unit_no>`` and a theme.
"""

from __future__ import annotations

import getpass
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import duckdb

from pipeline.analysis.queries import resolve_themes
from pipeline.errors import UsageError
from warehouse.db import run_query, transaction

DECISIONS = ("accept", "reject", "add")
STATUSES = ("unreviewed", "accepted", "rejected", "all")
SOURCES = ("rules", "classifier")
DEFAULT_QUEUE_LIMIT = 20
MIN_PREFIX_CHARS = 6
WILSON_Z = 1.96  # 95% interval
REF_SEPARATOR = ":"


@dataclass(frozen=True)
class Ref:
    """A parsed reference to a sentence (and, for accept/reject, one theme in it)."""

    prefix: str
    unit_no: int
    theme: str | None = None


def parse_ref(text: str, *, with_theme: bool) -> Ref:
    """Parse ``sha:unit:theme`` (``with_theme``) or ``sha:unit``.

    Raises:
        UsageError: the reference is malformed.
    """
    parts = text.strip().split(REF_SEPARATOR)
    expected = 3 if with_theme else 2
    shape = "<sha256 prefix>:<unit_no>" + (":<theme>" if with_theme else "")
    if len(parts) != expected or not parts[1].isdigit() or len(parts[0]) < MIN_PREFIX_CHARS:
        raise UsageError(f"Bad reference {text!r}: expected {shape}, as printed by `review list`.")
    return Ref(parts[0].lower(), int(parts[1]), parts[2] if with_theme else None)


def review_queue(
    con: duckdb.DuckDBPyConnection,
    *,
    theme: str | None = None,
    source: str | None = None,
    status: str = "unreviewed",
    limit: int = DEFAULT_QUEUE_LIMIT,
) -> list[dict[str, Any]]:
    """Return counted hits to review (one row per sentence and theme), in the fixed sample order.

    Raises:
        UsageError: unknown theme, source or status.
    """
    if theme is not None:
        resolve_themes(con, [theme])
    if source is not None and source not in SOURCES:
        raise UsageError(f"Unknown source {source!r}; choose one of {', '.join(SOURCES)}")
    if status not in STATUSES:
        raise UsageError(f"Unknown status {status!r}; choose one of {', '.join(STATUSES)}")
    return run_query(con, "review_queue", theme=theme, source=source, status=status, limit=limit)


def _resolve_sentence(con: duckdb.DuckDBPyConnection, ref: Ref) -> dict[str, Any]:
    rows = run_query(con, "review_sentence", prefix=ref.prefix, unit_no=ref.unit_no)
    if not rows:
        raise UsageError(f"No current sentence {ref.prefix}:{ref.unit_no}; list hits with `review list`.")
    if len({row["sha256"] for row in rows}) > 1:
        raise UsageError(f"The prefix {ref.prefix} matches several documents: give more characters.")
    return rows[0]


def _decision_row(
    con: duckdb.DuckDBPyConnection, ref: Ref, decision: str, theme: str
) -> dict[str, Any]:
    """Resolve a reference into the row to insert, checking the hit exists (accept/reject)."""
    resolve_themes(con, [theme])
    sentence = _resolve_sentence(con, ref)
    params = {"sha256": sentence["sha256"], "unit_no": ref.unit_no, "theme": theme}
    source = run_query(con, "review_hit_source", **params)[0]["source"]
    if decision != "add" and source is None:
        raise UsageError(
            f"No counted {theme} hit in sentence {ref.prefix}:{ref.unit_no}; "
            "to label a theme the machine missed, use `review add`."
        )
    return {**params, "sentence": sentence["sentence"], "decision": decision, "source": source}


def record_decisions(
    con: duckdb.DuckDBPyConnection,
    refs: Sequence[Ref],
    decision: str,
    *,
    theme: str | None = None,
    reviewer: str | None = None,
    note: str | None = None,
) -> list[dict[str, Any]]:
    """Record one decision for each reference, all in one transaction (all or none).

    Args:
        con: a writer connection.
        refs: the hits (accept/reject) or sentences (add).
        decision: accept, reject or add.
        theme: the theme to add (``add`` only; accept/reject take it from the reference).
        reviewer: who decided (default: the login name).
        note: an optional comment.

    Returns:
        The recorded decisions, with their review ids.

    Raises:
        UsageError: unknown decision or theme, a reference that resolves to nothing.
    """
    if decision not in DECISIONS:
        raise UsageError(f"Unknown decision {decision!r}; choose one of {', '.join(DECISIONS)}")
    if (decision == "add") != (theme is not None):
        raise UsageError("Give --theme with `add` only; accept/reject take the theme from the reference.")
    rows = [_decision_row(con, ref, decision, theme or ref.theme or "") for ref in refs]
    who = reviewer or getpass.getuser()
    with transaction(con):
        for row in rows:
            result = run_query(con, "review_record", **row, reviewer=who, note=note)
            row["review_id"] = result[0]["review_id"]
    return rows


def wilson_interval(successes: int, trials: int, z: float = WILSON_Z) -> tuple[float, float]:
    """Return the Wilson score interval of a proportion ((0, 1) when there are no trials)."""
    if trials == 0:
        return 0.0, 1.0
    share = successes / trials
    denominator = 1 + z * z / trials
    centre = (share + z * z / (2 * trials)) / denominator
    margin = z * math.sqrt(share * (1 - share) / trials + z * z / (4 * trials * trials)) / denominator
    return max(0.0, centre - margin), min(1.0, centre + margin)


def precision_estimates(con: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    """Return per theme and source: hits, reviewed, precision and its 95% Wilson interval.

    Precision is None until at least one hit of the theme has been reviewed.
    """
    rows = run_query(con, "review_precision")
    for row in rows:
        reviewed = row["accepted"] + row["rejected"]
        low, high = wilson_interval(row["accepted"], reviewed)
        row["reviewed"] = reviewed
        row["precision"] = row["accepted"] / reviewed if reviewed else None
        row["precision_low"], row["precision_high"] = (low, high) if reviewed else (None, None)
    return rows


@dataclass(frozen=True)
class ThemeCheck:
    """How many of a theme's hits people checked (`review accept/reject`) and how many were right."""

    theme: str
    label: str
    reviewed: int
    accepted: int

    @property
    def precision_text(self) -> str:
        """Return the share judged right with its 95% Wilson interval, e.g. "67% (21–94%)"."""
        if not self.reviewed:
            return "not checked"
        low, high = wilson_interval(self.accepted, self.reviewed)
        return f"{self.accepted / self.reviewed:.0%} ({low * 100:.0f}–{high:.0%})"


def theme_checks(
    estimates: list[dict[str, Any]], themes: Sequence[str], labels: dict[str, str]
) -> list[ThemeCheck]:
    """Return each theme's check record from `precision_estimates` rows (all sources together), in order."""
    counts = {theme: [0, 0] for theme in themes}
    for row in estimates:
        if row["theme"] in counts:
            counts[row["theme"]][0] += row["reviewed"]
            counts[row["theme"]][1] += row["accepted"]
    return [ThemeCheck(theme, labels.get(theme, theme), *counts[theme]) for theme in themes]
