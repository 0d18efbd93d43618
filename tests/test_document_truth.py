"""Every output reads the document-level truth: `document_themes`, cell for cell.

A fixture warehouse of 16 reports over 2019-2022 (real migrations and loader) where
- `rising_theme` is in no 2019-2020 report and in every 2021-2022 one (a significant rise);
- `drifting` goes from 1 of 8 to 3 of 8 reports (a change that is not significant);
- `heading` is in every report (saturated), prominent (in the recommendations) in four;
- `capacity`, an adults' theme, has one sentence in one children's report: counted at sentence
  level but not discussed there, so no output may count that report for it.
trends, the heatmap files, the briefing (HTML and PDF) and the dashboard must all equal what the
view says; the briefing's rising claims must be exactly the significant rises of `rising`.
"""

from __future__ import annotations

import csv
import json
import warnings
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from pipeline.analysis import queries
from pipeline.analysis.filters import TrendFilters
from pipeline.analysis.saturation import saturated_themes
from pipeline.cli import cli
from pipeline.outputs.heatmap.write import write_heatmap
from pipeline.outputs.report.write import write_report
from pipeline.web.app import create_app
from tests.factories import load_all, make_report, register_codebook, start_run
from warehouse.db import connect_read, connect_write

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

VERSION = "1.0+truth"
SCOPES = {
    "rising_theme": "all_age",
    "drifting": "all_age",
    "heading": "all_age",
    "voice": "children",
    "capacity": "adults",
}
YEARS = (2019, 2020, 2021, 2022)


def _report(year: int, n: int):
    body = [
        ("Heading practice was reviewed.", ["heading"]),
        ("Voice of children was heard.", ["voice"]),
        ("Voice again in the plans.", ["voice"]),
    ]
    if year >= 2021:
        body.append(("Rising theme found here.", ["rising_theme"]))
    if (year == 2019 and n == 1) or (year == 2021 and n >= 1):
        body.append(("Drifting concern noted.", ["drifting"]))
    if year == 2019 and n == 0:
        body.append(("Capacity of the parents.", ["capacity"]))
    paragraphs = [
        ("body", body),
        ("body", [("Voice of the child.", ["voice"]), ("Voice matters.", ["voice"])]),
    ]
    if n == 0:
        paragraphs.append(("recommendations", [("Heading must improve.", ["heading"])]))
    return make_report(f"report-{year}-{n}", VERSION, paragraphs, year=year)


REPORTS = [_report(year, n) for year in YEARS for n in range(4)]


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("truth") / "truth.duckdb"
    con = connect_write(path)
    themes = [
        {"id": t, "label": t.replace("_", " ").title(), "scope": s, "group": "practice", "definition": ""}
        for t, s in SCOPES.items()
    ]
    register_codebook(con, VERSION, "1.0", json.dumps(themes))
    load_all(con, REPORTS, start_run(con, VERSION))
    con.close()
    return path


@pytest.fixture
def con(warehouse: Path) -> Iterator[Any]:
    with connect_read(warehouse) as connection:
        yield connection


def _truth(con: Any) -> dict[tuple[str, str], dict[str, int]]:
    """Return {(theme, year): documents discussing, prominent, mentions} straight from the view."""
    cells: dict[tuple[str, str], Counter] = {}
    rows = con.execute("SELECT theme, year, discussed, prominent, mentions FROM document_themes").fetchall()
    for theme, year, discussed, prominent, mentions in rows:
        if discussed:
            cell = cells.setdefault((theme, str(year)), Counter())
            cell.update(documents=1, prominent_documents=int(prominent), mentions=mentions)
    return cells


def test_the_fixture_is_what_the_docstring_says(con: Any) -> None:
    truth = _truth(con)
    assert [truth.get(("rising_theme", str(y)), {}).get("documents", 0) for y in YEARS] == [0, 0, 4, 4]
    assert sum(truth.get(("drifting", str(y)), {}).get("documents", 0) for y in YEARS[:2]) == 1
    assert sum(truth.get(("drifting", str(y)), {}).get("documents", 0) for y in YEARS[2:]) == 3
    assert ("capacity", "2019") not in truth
    assert (
        con.execute("SELECT count(*) FROM mentions WHERE theme = 'capacity' AND counted").fetchone()[0] == 1
    )


def test_trends_equal_the_view_cell_for_cell(con: Any) -> None:
    truth = _truth(con)
    for metric in ("share", "prominent", "documents", "mentions"):
        for row in queries.trends(con, TrendFilters(metric=metric)):
            cell = truth.get((row["theme"], row["bucket"]), Counter())
            expected = {
                "share": cell["documents"] / 4,
                "prominent": cell["prominent_documents"] / 4,
                "documents": cell["documents"],
                "mentions": cell["mentions"],
            }[metric]
            assert row["value"] == pytest.approx(expected), (metric, row)
            assert (row["documents"], row["prominent_documents"]) == (
                cell["documents"],
                cell["prominent_documents"],
            )


def test_heatmap_files_and_the_briefing_matrix_equal_the_view(con: Any, tmp_path: Path) -> None:
    truth = _truth(con)
    for metric in ("share", "prominent"):
        out = tmp_path / f"{metric}.csv"
        write_heatmap(con, out, TrendFilters(metric=metric))
        key = "prominent_documents" if metric == "prominent" else "documents"
        for row in list(csv.DictReader(out.open(encoding="utf-8"))):
            for year in YEARS:
                cell = truth.get((row["theme"], str(year)), Counter())
                assert float(row[f"{year} (n=4)"]) == pytest.approx(cell[key] / 4), (metric, row)
    briefing = write_report(con, tmp_path / "briefing.html")
    for i, theme in enumerate(briefing.matrix.themes):
        for j, year in enumerate(briefing.matrix.buckets):
            assert briefing.matrix.documents[i][j] == truth.get((theme, year), Counter())["documents"]


def test_the_dashboard_heatmap_equals_the_view(warehouse: Path, con: Any) -> None:
    truth = _truth(con)
    with TestClient(create_app(warehouse), base_url="http://localhost") as client:
        for metric in ("share", "prominent"):
            rows = client.get(f"/heatmap?metric={metric}&format=json").json()
            key = "prominent_documents" if metric == "prominent" else "documents"
            assert rows and all(
                row[key] == truth.get((row["theme"], row["bucket"]), Counter())[key] for row in rows
            )
        html = client.get("/heatmap").text
    assert "Heading (saturated; prominent in 25%)" in html


def test_saturated_themes_are_marked_last_with_their_prominent_share(con: Any, tmp_path: Path) -> None:
    assert set(saturated_themes(con)) == {"heading", "voice"}
    assert saturated_themes(con)["heading"].prominent_share == pytest.approx(0.25)
    matrix = write_heatmap(con, tmp_path / "heatmap.png")
    assert set(matrix.themes[-2:]) == {"heading", "voice"} and matrix.themes[0] == "rising_theme"
    assert "Heading (saturated; prominent in 25%)" in matrix.display_labels
    write_heatmap(con, tmp_path / "marks.csv")
    rows = {row["theme"]: row for row in csv.DictReader((tmp_path / "marks.csv").open(encoding="utf-8"))}
    assert (rows["heading"]["saturated"], rows["heading"]["prominent_share"]) == ("True", "0.25")
    assert rows["drifting"]["saturated"] == "False"


def test_the_briefing_calls_rising_only_what_rising_finds_significant(
    warehouse: Path, tmp_path: Path
) -> None:
    result = CliRunner().invoke(
        cli, ["--db", str(warehouse), "rising", "--both", "--all", "--format", "json"]
    )
    tested = {row["theme"]: row for row in json.loads(result.stdout)}
    assert tested["rising_theme"]["significant"] and not tested["drifting"]["significant"]
    with connect_read(warehouse) as con:
        briefing = write_report(con, tmp_path / "briefing.pdf")
    assert [c.theme for c in briefing.rising] == ["rising_theme"] and briefing.falling == []
    assert briefing.rising[0].q_value == pytest.approx(tested["rising_theme"]["q_value"])
    assert "drifting" in {c.theme for c in briefing.changes.not_significant}
    texts = [m.text for m in briefing.key_messages]
    assert any(t.startswith("Rising significantly") and "Rising Theme" in t and "q = " in t for t in texts)
    assert not any("Drifting" in t and "Rising" in t for t in texts)
    assert any("not significantly" in t and "Drifting" in t for t in texts)
    assert all(m.evidence for m in briefing.key_messages)


def test_recurring_marks_saturated_themes_and_counts_prominent_ones(warehouse: Path) -> None:
    def recurring(*args: str) -> dict[str, dict]:
        result = CliRunner().invoke(cli, ["--db", str(warehouse), "recurring", *args, "--format", "json"])
        assert result.exit_code == 0, result.output
        return {row["theme"]: row for row in json.loads(result.stdout)}

    shares = recurring("--min-years", "2")
    assert shares["heading"]["saturated"] and not shares["drifting"]["saturated"]
    assert shares["heading"]["prominent_share"] == pytest.approx(0.25)
    prominent = recurring("--min-years", "1", "--metric", "prominent")
    assert prominent["heading"]["documents"] == 4 and prominent["heading"]["years_present"] == 4
