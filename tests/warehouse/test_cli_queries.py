"""The query commands of the CLI on the fixture warehouse: JSON shapes of cli.md, exit codes."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from pipeline.cli import cli
from tests.warehouse.conftest import THEMES, YEARS

TREND_KEYS = {"theme", "bucket", "value", "documents", "total_documents"}
EVIDENCE_KEYS = {"title", "year", "doc_type", "page", "sentence", "matched_text"}
VALID_IDS = "Valid ids: " + ", ".join(THEMES)


def invoke(db: Path, *args: str) -> Result:
    """Run the CLI against `db`."""
    return CliRunner().invoke(cli, ["--db", str(db), *args], obj={})


def json_rows(db: Path, *args: str) -> list[dict[str, Any]]:
    """Run a command with --format json; return its rows (asserting exit 0)."""
    result = invoke(db, *args, "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_trends_json_has_every_pair_with_zeros(warehouse_path: Path) -> None:
    rows = json_rows(warehouse_path, "trends")
    assert all(row.keys() >= TREND_KEYS for row in rows)
    assert {(row["theme"], row["bucket"]) for row in rows} == {(t, y) for t in THEMES for y in YEARS}
    empty = next(row for row in rows if (row["theme"], row["bucket"]) == ("self_neglect", "2022"))
    assert (empty["value"], empty["documents"], empty["total_documents"]) == (0, 0, 1)


def test_trends_options(warehouse_path: Path) -> None:
    rows = json_rows(
        warehouse_path,
        "trends",
        "--theme",
        "professional_curiosity",
        "--by",
        "doc_type",
        "--metric",
        "documents",
        "--section",
        "recommendations",
        "--since",
        "2021",
    )
    assert {row["bucket"]: row["value"] for row in rows} == {"sar": 0, "dhr": 1}


@pytest.mark.parametrize(
    "args",
    [
        ("trends", "--theme", "nope"),
        ("evidence", "--theme", "nope"),
        ("rising", "--theme", "nope"),
        ("cooccurrence", "--theme", "nope"),
    ],
)
def test_unknown_theme_exits_2_with_the_valid_ids(warehouse_path: Path, args: tuple[str, ...]) -> None:
    result = invoke(warehouse_path, *args)
    assert result.exit_code == 2
    assert "nope" in result.stderr and VALID_IDS in result.stderr


def test_trends_table_and_csv(warehouse_path: Path) -> None:
    table = invoke(warehouse_path, "trends", "--format", "table")
    assert table.exit_code == 0 and "50% (1)" in table.stdout and "n=2" in table.stdout
    csv = invoke(warehouse_path, "trends", "--format", "csv", "--theme", "hoarding")
    assert csv.stdout.splitlines()[0] == (
        "theme,bucket,value,documents,total_documents,mentions,prominent_documents,prominent_share,saturated,reviewed"
    )
    assert len(csv.stdout.splitlines()) == 1 + len(YEARS)


def test_recurring_json(warehouse_path: Path) -> None:
    rows = json_rows(warehouse_path, "recurring", "--min-years", "3")
    assert [(row["theme"], row["years"], row["documents"]) for row in rows] == [
        ("professional_curiosity", [2020, 2021, 2022], 4)
    ]


def test_evidence_json_fields(warehouse_path: Path) -> None:
    rows = json_rows(warehouse_path, "evidence", "--theme", "self_neglect", "--year", "2020")
    assert len(rows) == 2
    assert all(row.keys() >= EVIDENCE_KEYS for row in rows)
    assert rows[0]["sentence"] == "Mr A lived with severe self-neglect for years."
    assert rows[0]["matched_text"] == "self-neglect" and rows[0]["page"] == 2


def test_evidence_all_shows_uncounted_with_reason(warehouse_path: Path) -> None:
    assert json_rows(warehouse_path, "evidence", "--theme", "hoarding", "--year", "2020") == []
    (row,) = json_rows(warehouse_path, "evidence", "--theme", "hoarding", "--year", "2020", "--all")
    assert (row["counted"], row["reason"]) == (False, "negated")
    csv = invoke(warehouse_path, "evidence", "--theme", "hoarding", "--all", "--format", "csv")
    assert csv.stdout.splitlines()[0].endswith(",counted,reason")


def test_rising_json_shape(warehouse_path: Path) -> None:
    rows = json_rows(warehouse_path, "rising", "--both", "--all", "--min-documents", "1")
    assert {row["theme"] for row in rows} == {"neglect", "self_neglect", "professional_curiosity"}
    row = next(row for row in rows if row["theme"] == "neglect")
    assert row["direction"] == "falling"
    assert (row["early_years"], row["early_documents"], row["early_total"]) == ("2020", 1, 2)
    assert (row["late_years"], row["late_documents"], row["late_total"]) == ("2022", 0, 1)
    assert {"early_share", "late_share", "change", "p_value", "q_value", "significant"} <= row.keys()


def test_rising_periods_and_directions(warehouse_path: Path) -> None:
    args = ("rising", "--early", "2020", "--late", "2021-2022", "--all", "--min-documents", "1")
    assert [row["theme"] for row in json_rows(warehouse_path, *args)] == ["hoarding"]
    falling = json_rows(warehouse_path, *args, "--falling")
    assert {row["direction"] for row in falling} == {"falling"}
    assert json_rows(warehouse_path, "rising") == []  # nothing significant on five documents
    table = invoke(warehouse_path, *args, "--format", "table")
    assert "2020 share" in table.stdout and "0% (0/2)" in table.stdout and "+33 pts" in table.stdout
    csv = invoke(warehouse_path, *args, "--format", "csv").stdout.splitlines()
    assert csv[0].startswith("theme,early_years,late_years,direction,early_share") and len(csv) == 2


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--early", "2022", "--late", "2020"), "must end before"),
        (("--early", "twenty"), "not a year or a range"),
        (("--alpha", "2"), "--alpha"),
    ],
)
def test_rising_bad_options_exit_2(warehouse_path: Path, args: tuple[str, ...], message: str) -> None:
    result = invoke(warehouse_path, "rising", *args)
    assert result.exit_code == 2
    assert message in result.stderr


def test_rising_needs_two_years(warehouse_path: Path) -> None:
    result = invoke(warehouse_path, "rising", "--since", "2021", "--until", "2021")
    assert result.exit_code == 2 and "at least 2 years" in result.stderr


def test_cooccurrence_json(warehouse_path: Path) -> None:
    rows = json_rows(warehouse_path, "cooccurrence", "--min-documents", "1", "--theme", "hoarding")
    assert rows == [
        {
            "theme_a": "hoarding",
            "theme_b": "self_neglect",
            "documents": 1,
            "documents_a": 1,
            "documents_b": 2,
            "total_documents": 5,
            "share": 0.2,
            "lift": 2.5,
            "p_value": pytest.approx(0.4),  # P(at least 1 shared) = 1 - C(4,2)/C(5,2)
            "total_pairs": 1,
            "min_documents": 1,
        }
    ]
    assert json_rows(warehouse_path, "cooccurrence") == []


@pytest.mark.parametrize("command", ["rising", "cooccurrence"])
def test_new_commands_have_examples_in_help(warehouse_path: Path, command: str) -> None:
    result = invoke(warehouse_path, command, "--help")
    assert result.exit_code == 0 and "Examples:" in result.stdout and "--format" in result.stdout


def test_sql_runs_a_query(warehouse_path: Path) -> None:
    rows = json_rows(warehouse_path, "sql", "SELECT count(*) AS n FROM trend_documents")
    assert rows == [{"n": 5}]


@pytest.mark.parametrize(
    "query",
    [
        "INSERT INTO runs (run_id, command, started_at, status) VALUES (99, 'x', now(), 'ok')",
        "DELETE FROM documents",
        "DROP TABLE mentions",
        "CREATE TABLE x AS SELECT 1",
        "UPDATE documents SET is_latest = FALSE",
        "COPY (SELECT * FROM documents) TO '{tmp}/out.csv'",
        "COPY documents TO '{tmp}/out.parquet' (FORMAT parquet)",
        "EXPORT DATABASE '{tmp}/export'",
        "ATTACH '{tmp}/other.duckdb' AS other",
        "DETACH other",
        "PRAGMA version",
        "INSTALL httpfs",
        "LOAD httpfs",
        "SET threads = 1",
        "CALL pragma_version()",
        "CHECKPOINT",
        "SELECT nextval('run_ids')",  # a query that writes: the read-only connection refuses it
        "SELECT 1; DROP TABLE mentions",
        "SELECT 1; COPY documents TO '{tmp}/out.csv'",
    ],
)
def test_sql_refuses_writes_with_exit_2(warehouse_path: Path, tmp_path: Path, query: str) -> None:
    result = invoke(warehouse_path, "sql", query.format(tmp=tmp_path), "--format", "json")
    assert result.exit_code == 2, result.output
    assert list(tmp_path.iterdir()) == []
    assert json_rows(warehouse_path, "sql", "SELECT count(*) AS n FROM documents") == [{"n": 7}]


def test_sql_syntax_error_exits_2(warehouse_path: Path) -> None:
    assert invoke(warehouse_path, "sql", "SELEC 1").exit_code == 2


def test_runs_and_documents_json(warehouse_path: Path) -> None:
    (run,) = json_rows(warehouse_path, "runs")
    assert {"run_id", "started_at", "finished_at", "seen", "new", "skipped", "quarantined"} <= run.keys()
    assert run["quarantined"] == [] and run["new"] == 7
    documents = json_rows(warehouse_path, "documents")
    assert len(documents) == 6  # latest versions only: the superseded Adult E is left out
    assert all(
        {"sha256", "path", "title", "doc_type", "area", "year", "pages"} <= d.keys() for d in documents
    )
    assert {d["title"]: d["in_trends"] for d in documents}["Child F"] is False
