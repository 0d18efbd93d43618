"""Review that counts (issue 19, item 6): with --reviewed, rejected hits leave the numbers and added
themes join them, in trends and every output, and say so. Before: `review reject` changed no number.
"""

from __future__ import annotations

import csv
import json
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from pipeline.cli import cli
from tests.factories import finish_run, load_all, make_tagged, register_codebook, start_run
from warehouse.db import connect_read, connect_write

VERSION = "test+0001"
THEMES = ("hoarding", "self_neglect")
CODEBOOK = json.dumps(
    [{"id": t, "label": t.title(), "scope": "adults", "group": "harm", "definition": "d"} for t in THEMES]
)


def cli_run(db: Path, *args: str) -> Result:
    return CliRunner().invoke(cli, ["--db", str(db), *args], obj={})


def rows(db: Path, *args: str) -> list[dict]:
    result = cli_run(db, *args, "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


@pytest.fixture
def reviewed(tmp_path: Path) -> Path:
    """Three 2021 documents with hoarding; one hit rejected; self-neglect added to another's sentence."""
    db = tmp_path / "w.duckdb"
    documents = [
        make_tagged("a" * 64, sentences=[("Hoarding was severe.", ["hoarding"])], year=2021),
        make_tagged("b" * 64, sentences=[("Hoarding of papers was noted.", ["hoarding"])], year=2021),
        make_tagged("c" * 64, sentences=[("Hoarding, and he would not wash.", ["hoarding"])], year=2021),
    ]
    with connect_write(db) as con:
        register_codebook(con, VERSION, "test", CODEBOOK)
        run_id = start_run(con, VERSION)
        load_all(con, documents, run_id)
        finish_run(con, run_id, status="ok", seen=3, new=3, quarantined=0, pages=3)
    assert cli_run(db, "review", "reject", "bbbbbbbbbbbb:0:hoarding").exit_code == 0
    assert cli_run(db, "review", "add", "cccccccccccc:0", "--theme", "self_neglect").exit_code == 0
    return db


def _cells(db: Path, *args: str) -> dict[tuple[str, str], dict]:
    return {(r["theme"], r["bucket"]): r for r in rows(db, "trends", "--metric", "documents", *args)}


def test_trends_apply_review_decisions_only_when_asked(reviewed: Path) -> None:
    machine = _cells(reviewed)
    assert (machine["hoarding", "2021"]["value"], machine["self_neglect", "2021"]["value"]) == (3, 0)
    people = _cells(reviewed, "--reviewed")
    assert (people["hoarding", "2021"]["value"], people["self_neglect", "2021"]["value"]) == (2, 1)
    assert people["hoarding", "2021"]["total_documents"] == 3  # documents never leave the denominator
    with connect_read(reviewed) as con:  # the machine's hits are untouched
        assert con.execute("SELECT count(*) FROM mentions WHERE counted").fetchone() == (3,)


def test_the_trends_table_says_review_decisions_are_applied(reviewed: Path) -> None:
    result = cli_run(reviewed, "trends", "--reviewed", "--format", "table")
    assert result.exit_code == 0 and "review decisions applied" in result.stdout


def test_trends_json_and_csv_say_whether_review_decisions_are_applied(reviewed: Path) -> None:
    assert {row["reviewed"] for row in rows(reviewed, "trends")} == {False}
    assert {row["reviewed"] for row in rows(reviewed, "trends", "--reviewed")} == {True}
    result = cli_run(reviewed, "trends", "--reviewed", "--format", "csv")
    assert {row["reviewed"] for row in csv.DictReader(result.stdout.splitlines())} == {"True"}


def test_evidence_recurring_rising_cooccurrence_follow_the_decisions(reviewed: Path) -> None:
    assert len(rows(reviewed, "evidence", "--theme", "hoarding")) == 3
    kept = rows(reviewed, "evidence", "--theme", "hoarding", "--reviewed")
    assert sorted(r["sha256"][0] for r in kept) == ["a", "c"]
    (added,) = rows(reviewed, "evidence", "--theme", "self_neglect", "--reviewed")
    assert (added["source"], added["sentence"], added["review_status"]) == (
        "review",
        "Hoarding, and he would not wash.",
        "accepted",
    )
    shown = rows(reviewed, "evidence", "--theme", "hoarding", "--reviewed", "--all")
    assert {r["sha256"][0]: r["reason"] for r in shown}["b"] == "rejected_in_review"
    recurring = {r["theme"]: r for r in rows(reviewed, "recurring", "--min-years", "1", "--reviewed")}
    assert (recurring["hoarding"]["documents"], recurring["self_neglect"]["documents"]) == (2, 1)
    pairs = rows(reviewed, "cooccurrence", "--min-documents", "1", "--reviewed")
    assert [(p["theme_a"], p["theme_b"], p["documents"]) for p in pairs] == [("hoarding", "self_neglect", 1)]
    assert rows(reviewed, "cooccurrence", "--min-documents", "1") == []


def test_heatmap_report_and_export_follow_the_decisions(reviewed: Path, tmp_path: Path) -> None:
    out = tmp_path / "heatmap.csv"
    result = cli_run(reviewed, "heatmap", "--out", str(out), "--metric", "documents", "--reviewed")
    assert result.exit_code == 0, result.output
    with out.open(encoding="utf-8") as handle:
        table = {row["theme"]: row for row in csv.DictReader(handle)}
    assert (float(table["hoarding"]["2021 (n=3)"]), float(table["self_neglect"]["2021 (n=3)"])) == (2, 1)
    svg = tmp_path / "heatmap.svg"
    assert cli_run(reviewed, "heatmap", "--out", str(svg), "--reviewed").exit_code == 0
    assert "review decisions applied" in svg.read_text(encoding="utf-8")
    briefing = tmp_path / "briefing.html"
    assert cli_run(reviewed, "report", "--out", str(briefing), "--reviewed").exit_code == 0
    assert "Review decisions are applied" in briefing.read_text(encoding="utf-8")
    project = tmp_path / "project.qdpx"
    assert cli_run(reviewed, "export", "--out", str(project), "--reviewed").exit_code == 0
    with zipfile.ZipFile(project) as archive:
        xml = archive.read("project.qde").decode("utf-8")
    assert xml.count("<PlainTextSelection") == 3  # a, c (hoarding) and c (self-neglect, added)


def test_the_dashboard_heatmap_and_its_evidence_follow_the_decisions(reviewed: Path) -> None:
    from pipeline.web.app import create_app, get

    app = create_app(reviewed)
    status, _, body = get(app, "/heatmap?metric=documents&reviewed=1&format=json")
    assert status == 200
    cells = {(r["theme"], r["bucket"]): r["value"] for r in json.loads(body)}
    assert (cells["hoarding", "2021"], cells["self_neglect", "2021"]) == (2, 1)
    status, _, html = get(app, "/heatmap?reviewed=1")
    assert status == 200 and b"review decisions applied" in html and b"reviewed=1" in html
    status, _, body = get(app, "/evidence?theme=hoarding&bucket=2021&by=year&reviewed=1&format=json")
    assert status == 200 and len(json.loads(body)) == 2
