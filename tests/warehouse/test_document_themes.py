"""The view document_themes: when a theme is discussed in a document and when it is prominent."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import duckdb
import pytest

from pipeline.document_settings import DocumentSettings, load_document_settings, parse_document_settings
from pipeline.errors import UsageError
from pipeline.ingest.load import refresh_theme_evidence
from tests.factories import load_all, make_report, register_codebook, start_run
from warehouse.db import connect_write, run_query, store_document_settings

VERSION = "1.0+dt"
SCOPES = {"curiosity": "all_age", "voice": "children", "capacity": "adults", "neglect": "children"}
def _sentences(theme: str, count: int) -> list[tuple[str, list[str]]]:
    return [(f"Sentence {n} on {theme}.", [theme]) for n in range(count)]


REPORTS = [
    make_report(
        "children", VERSION,
        [
            ("summary", [("Leaders know their services.", []), ("Voice heard in plans.", ["voice"])]),
            ("body", _sentences("curiosity", 1)),
            ("body", [("Neglect is recognised.", ["neglect"]), ("Neglect plans are clear.", ["neglect"])]),
            *(("body", [(f"Children number {n}.", ["neglect"] if n < 4 else [])]) for n in range(6)),
            ("body", [("Capacity of parents to change.", ["capacity"])]),
            ("body", [("Capacity again, twice.", ["capacity"])]),
        ],
    ),
    make_report(
        "adults", VERSION,
        [*(("body", _sentences("capacity", 1)) for _ in range(5)), ("body", _sentences("curiosity", 4))],
    ),
]


@pytest.fixture
def con(tmp_path: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """A warehouse holding the two reports above, with the shipped settings."""
    connection = connect_write(tmp_path / "dt.duckdb")
    themes = [
        {"id": t, "label": t, "scope": s, "group": "practice", "definition": ""} for t, s in SCOPES.items()
    ]
    register_codebook(connection, VERSION, "1.0", json.dumps(themes))
    load_all(connection, REPORTS, start_run(connection, VERSION))
    yield connection
    connection.close()


def _decisions(
    con: duckdb.DuckDBPyConnection, sql: str = "SELECT * FROM document_themes"
) -> dict[tuple[str, str], dict[str, Any]]:
    cursor = con.execute(sql)
    columns = [column[0] for column in cursor.description]
    rows = [dict(zip(columns, values, strict=True)) for values in cursor.fetchall()]
    return {(row["title"], row["theme"]): row for row in rows}


def test_discussed_and_prominent_follow_where_and_how_much(con: duckdb.DuckDBPyConnection) -> None:
    rows = _decisions(con)
    voice, curiosity, neglect = (
        rows["children", "voice"],
        rows["children", "curiosity"],
        rows["children", "neglect"],
    )
    assert (voice["sentences"], voice["key_sentences"], voice["discussed"], voice["prominent"]) == (
        1,
        1,
        True,
        True,
    )
    assert (curiosity["sentences"], curiosity["discussed"], curiosity["prominent"]) == (1, True, False)
    # Six sentences over five paragraphs, two of them in one paragraph: prominent on both counts.
    assert (neglect["sentences"], neglect["paragraphs"], neglect["paragraph_sentences"]) == (6, 5, 2)
    assert neglect["prominent"] and rows["adults", "curiosity"]["prominent"]  # 4 sentences in one paragraph


def test_a_theme_outside_the_documents_scope_needs_more_sentences(con: duckdb.DuckDBPyConnection) -> None:
    rows = _decisions(con)
    assert rows["children", "capacity"]["document_scope"] == "children"
    assert rows["children", "capacity"]["sentences"] == 2 and not rows["children", "capacity"]["discussed"]
    assert (
        rows["adults", "capacity"]["document_scope"] == "adults" and rows["adults", "capacity"]["discussed"]
    )


def test_settings_from_the_warehouse_change_the_decisions(con: duckdb.DuckDBPyConnection) -> None:
    store_document_settings(
        con, replace(load_document_settings(), min_sentences=2, off_scope_min_sentences=2)
    )
    rows = _decisions(con)
    assert not rows["children", "curiosity"]["discussed"] and not rows["children", "voice"]["prominent"]
    assert rows["children", "capacity"]["discussed"]
    assert run_query(con, "document_settings")[0]["min_sentences"] == 2


def test_a_section_filter_decides_on_those_sections_only(con: duckdb.DuckDBPyConnection) -> None:
    rows = _decisions(con, "SELECT * FROM document_themes_in(['summary'])")
    assert set(rows) == {("children", "voice")} and rows["children", "voice"]["document_scope"] == "children"


def test_the_shipped_settings_file_parses_and_is_what_a_write_connection_stores(
    con: duckdb.DuckDBPyConnection,
) -> None:
    shipped = load_document_settings()
    assert run_query(con, "document_settings")[0] == shipped.as_params()
    assert shipped.version.startswith("1.0+") and len(shipped.version) == len("1.0+") + 8


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[discussed]\nmin_sentence = 1\n", "unknown key"),
        ("[prominence]\nsentences = 1\n", "unknown table"),
        ("[discussed]\nmin_sentences = 0\n", "at least 1"),
        ("[saturated]\nshare = 1.5\n", "at most 1"),
        ("[discussed\n", "document_themes.toml"),
    ],
)
def test_bad_settings_are_refused_with_what_to_fix(text: str, message: str) -> None:
    with pytest.raises(UsageError, match=message):
        parse_document_settings(text)


def test_a_settings_file_may_leave_values_at_their_defaults() -> None:
    settings = parse_document_settings('version = "2"\n[prominent]\nsentences = 6\n')
    assert settings.prominent_sentences == 6 and settings.min_sentences == DocumentSettings().min_sentences
    assert settings.version.startswith("2+")


def test_the_loaders_evidence_equals_the_sql_that_recomputes_it(con: duckdb.DuckDBPyConnection) -> None:
    """Loading computes theme evidence in Python; the re-tag swap recomputes it in SQL: the same rows."""
    tables = ("theme_evidence", "theme_section_evidence")
    loaded = {table: sorted(con.execute(f"SELECT * FROM {table}").fetchall()) for table in tables}
    assert loaded["theme_evidence"] and loaded["theme_section_evidence"]
    refresh_theme_evidence(con, [report.document.sha256 for report in REPORTS])
    assert {table: sorted(con.execute(f"SELECT * FROM {table}").fetchall()) for table in tables} == loaded
