"""Exit codes and messages follow the README (issue 19, item 5): each case failed before the fix.

2 is a usage error (what to do is in the message), 4 only a busy warehouse, 1 only a bug.
"""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest

from tests.warehouse.test_cli_queries import invoke

FILTERS_THAT_MATCH_NOTHING = ("--area", "Southshire", "--since", "2021", "--until", "2021")


def test_a_missing_warehouse_is_exit_2_and_is_never_created(tmp_path: Path) -> None:
    missing = tmp_path / "missing.duckdb"
    for command in (["trends"], ["evidence", "--theme", "neglect"], ["documents"], ["runs"]):
        result = invoke(missing, *command)
        assert result.exit_code == 2, (command, result.output)
        assert f"There is no warehouse at {missing}" in result.stderr
        assert "ingest FOLDER" in result.stderr
    assert not missing.exists()


@pytest.mark.parametrize("content", [b"hello, not a database\n", b""])
def test_a_file_that_is_not_duckdb_is_exit_2_not_busy(tmp_path: Path, content: bytes) -> None:
    notes = tmp_path / "notes.duckdb"
    notes.write_bytes(content)
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    for command in (["trends"], ["ingest", str(inbox)]):
        result = invoke(notes, *command)
        assert result.exit_code == 2, result.output
        assert "is not a warehouse (not a DuckDB file)" in result.stderr and "--db" in result.stderr
    assert notes.read_bytes() == content


def test_another_duckdb_database_is_refused_and_left_alone(tmp_path: Path) -> None:
    other = tmp_path / "other.duckdb"
    with duckdb.connect(str(other)) as con:
        con.execute("CREATE TABLE budget (line VARCHAR, amount INTEGER)")
    result = invoke(other, "trends")
    assert result.exit_code == 2
    assert "a DuckDB database but not a themes warehouse (it has tables budget)" in result.stderr
    with duckdb.connect(str(other), read_only=True) as con:
        tables = {row[0] for row in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
    assert tables == {"budget"}


@pytest.mark.parametrize(
    ("command", "out"),
    [
        ("heatmap", "/proc/x.png"),
        ("heatmap", "/proc/no-such-folder/x.csv"),
        ("report", "/proc/briefing.html"),
        ("export", "/proc/project.qdpx"),
    ],
)
def test_an_unwritable_output_is_exit_2(warehouse_path: Path, command: str, out: str) -> None:
    result = invoke(warehouse_path, command, "--out", out)
    assert result.exit_code == 2, result.output
    assert f"Cannot write {out}" in result.stderr
    assert "unexpected internal error" not in result.stderr


def test_an_output_path_that_is_a_folder_is_exit_2(warehouse_path: Path, tmp_path: Path) -> None:
    folder = tmp_path / "board.png"
    folder.mkdir()
    result = invoke(warehouse_path, "heatmap", "--out", str(folder))
    assert result.exit_code == 2 and "is a directory" in result.stderr


def test_an_unknown_area_names_the_nearest_not_ingest_first(warehouse_path: Path) -> None:
    result = invoke(warehouse_path, "trends", "--area", "Narnia")
    assert result.exit_code == 2
    assert "Unknown area 'Narnia'" in result.stderr and "Areas in this warehouse: Northshire" in result.stderr
    assert "ingest documents first" not in result.output
    typo = invoke(warehouse_path, "evidence", "--theme", "neglect", "--area", "southshir")
    assert typo.exit_code == 2 and "Did you mean Southshire" in typo.stderr


def test_areas_and_doc_types_are_case_insensitive(warehouse_path: Path) -> None:
    def rows(*args: str) -> list[dict]:
        result = invoke(warehouse_path, "trends", "--theme", "self_neglect", *args, "--format", "json")
        assert result.exit_code == 0, result.output
        return json.loads(result.stdout)

    assert rows("--area", "northshire") == rows("--area", "Northshire")
    sars = rows("--doc-type", "sar")
    assert rows("--doc-type", "SAR") == sars == rows("--doc-type", "Safeguarding Adult Review")
    bad = invoke(warehouse_path, "trends", "--doc-type", "sra")
    assert bad.exit_code == 2 and "Did you mean sar" in bad.stderr


def test_an_unknown_theme_suggests_the_nearest(warehouse_path: Path) -> None:
    result = invoke(warehouse_path, "trends", "--theme", "self-neglet")
    assert result.exit_code == 2
    assert "Did you mean self_neglect" in result.stderr
    assert "Valid ids" not in result.stderr  # a suggestion, not the whole codebook


@pytest.mark.parametrize(
    "command",
    [
        ["trends"],
        ["recurring"],
        ["evidence", "--theme", "neglect"],
        ["rising"],
        ["cooccurrence"],
        ["heatmap", "--out", "{tmp}/empty.png"],
        ["heatmap", "--out", "{tmp}/empty.csv", "--by", "document"],
        ["report", "--out", "{tmp}/empty.html"],
    ],
)
def test_an_empty_selection_is_exit_2_everywhere(
    warehouse_path: Path, tmp_path: Path, command: list[str]
) -> None:
    args = [part.format(tmp=tmp_path) for part in command]
    result = invoke(warehouse_path, *args, *FILTERS_THAT_MATCH_NOTHING)
    assert result.exit_code == 2, (command, result.output)
    assert "No document matches --area Southshire --since 2021 --until 2021" in result.stderr
    assert not list(tmp_path.iterdir())  # nothing half-written


def test_an_empty_warehouse_says_ingest_first_with_exit_2(empty_warehouse_path: Path) -> None:
    result = invoke(empty_warehouse_path, "trends")
    assert result.exit_code == 2
    assert "holds no documents yet" in result.stderr and "ingest FOLDER" in result.stderr
