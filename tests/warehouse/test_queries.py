"""The named queries and pipeline.analysis.queries on the fixture warehouse (see conftest.py)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from pipeline.analysis import queries
from pipeline.analysis.cooccurrence import cooccurrence, default_min_documents
from pipeline.analysis.filters import TrendFilters as F
from pipeline.errors import UsageError
from tests.warehouse.conftest import ACTIVE, THEMES, YEARS
from warehouse.db import connect_read, connect_write, migrate, run_query


@pytest.fixture
def con(warehouse_path: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """Open the fixture warehouse read-only."""
    connection = connect_read(warehouse_path)
    yield connection
    connection.close()


def _cells(rows: list[dict]) -> dict[tuple[str, str], dict]:
    return {(row["theme"], row["bucket"]): row for row in rows}


def test_migrations_are_recorded_and_rerun_is_a_noop(warehouse_path: Path, tmp_path: Path) -> None:
    copy = tmp_path / "copy.duckdb"
    copy.write_bytes(warehouse_path.read_bytes())
    con = connect_write(copy)
    try:
        assert migrate(con) == []
        names = [
            row[0] for row in con.execute("SELECT name FROM schema_migrations ORDER BY version").fetchall()
        ]
    finally:
        con.close()
    assert names[:3] == ["001_init.sql", "002_views.sql", "003_trend_documents.sql"]


def test_trend_documents_leave_out_superseded_and_old_taxonomy_versions(
    con: duckdb.DuckDBPyConnection,
) -> None:
    titles = {row[0] for row in con.execute("SELECT title FROM trend_documents").fetchall()}
    assert titles == {"Adult A", "Child B", "Adult C", "Domestic Homicide D", "Adult E (revised)"}


def test_trends_share_has_every_theme_year_pair_with_zeros(con: duckdb.DuckDBPyConnection) -> None:
    cells = _cells(queries.trends(con))
    assert set(cells) == {(theme, year) for theme in THEMES for year in YEARS}
    assert cells["self_neglect", "2020"]["value"] == pytest.approx(0.5)
    assert cells["self_neglect", "2022"] == {
        **cells["self_neglect", "2022"],
        "value": 0.0,
        "documents": 0,
        "total_documents": 1,  # Child F (old taxonomy) is not in the denominator
        "mentions": 0,
    }
    assert cells["professional_curiosity", "2020"]["documents"] == 2
    assert all(
        cell["value"] == 0 for (theme, _), cell in cells.items() if theme == "transitional_safeguarding"
    )


def test_trends_do_not_count_uncounted_mentions(con: duckdb.DuckDBPyConnection) -> None:
    cells = _cells(queries.trends(con, F(themes=["hoarding"], metric="mentions")))
    assert cells["hoarding", "2020"]["value"] == 0
    assert cells["hoarding", "2021"]["value"] == 1


@pytest.mark.parametrize(
    ("metric", "expected"),
    [("share", 0.5), ("documents", 1), ("mentions", 2), ("per_10k", None)],
)
def test_trends_metrics(con: duckdb.DuckDBPyConnection, metric: str, expected: float | None) -> None:
    cell = _cells(queries.trends(con, F(themes=["self_neglect"], metric=metric)))["self_neglect", "2020"]
    if expected is None:
        expected = 2 * 10_000 / cell["total_words"]
    assert cell["value"] == pytest.approx(expected)
    assert (cell["documents"], cell["total_documents"]) == (1, 2)


def test_trends_by_doc_type_and_area(con: duckdb.DuckDBPyConnection) -> None:
    by_type = _cells(queries.trends(con, F(themes=["self_neglect"], by="doc_type")))
    assert {bucket for _, bucket in by_type} == {"sar", "cspr", "dhr"}
    assert by_type["self_neglect", "sar"]["value"] == pytest.approx(2 / 3)
    assert by_type["self_neglect", "cspr"]["total_documents"] == 1
    by_area = _cells(queries.trends(con, F(themes=["neglect"], by="area")))
    assert by_area["neglect", "unknown"]["total_documents"] == 1
    assert by_area["neglect", "Southshire"]["value"] == 1.0


def test_trends_filters(con: duckdb.DuckDBPyConnection) -> None:
    since = queries.trends(con, F(themes=["self_neglect"], since=2021, until=2021))
    assert [row["bucket"] for row in since] == ["2021"]
    sars = _cells(queries.trends(con, F(themes=["self_neglect"], doc_types=["sar"])))
    assert sars["self_neglect", "2021"]["total_documents"] == 1
    areas = _cells(queries.trends(con, F(themes=["self_neglect"], areas=["Northshire"])))
    assert areas["self_neglect", "2020"]["value"] == 1.0
    recs = _cells(queries.trends(con, F(themes=["professional_curiosity"], sections=["recommendations"])))
    assert [recs["professional_curiosity", year]["documents"] for year in YEARS] == [0, 1, 0]
    assert recs["professional_curiosity", "2021"]["total_documents"] == 2


def test_unknown_theme_suggests_the_nearest_ids(con: duckdb.DuckDBPyConnection) -> None:
    for call in (
        lambda: queries.trends(con, F(themes=["self_neglet"])),
        lambda: queries.evidence(con, theme="self_neglet"),
        lambda: queries.rising(con, F(themes=["self_neglet"])),
        lambda: cooccurrence(con, F(themes=["self_neglet"])),
    ):
        suggestion = r"self_neglet. Did you mean self_neglect or neglect\? \(`themes` lists the 5"
        with pytest.raises(UsageError, match=suggestion):
            call()
    with pytest.raises(UsageError, match="zzz. Valid ids: hoarding, neglect"):
        queries.trends(con, F(themes=["zzz"]))


def test_theme_ids_and_areas_are_matched_in_any_case(con: duckdb.DuckDBPyConnection) -> None:
    upper = queries.trends(con, F(themes=["Self_Neglect"], areas=["NORTHSHIRE"]))
    assert upper == queries.trends(con, F(themes=["self_neglect"], areas=["Northshire"]))
    assert _cells(upper)["self_neglect", "2020"]["value"] == 1.0


def test_an_unknown_area_suggests_the_nearest(con: duckdb.DuckDBPyConnection) -> None:
    with pytest.raises(UsageError, match="Unknown area 'Northshir'. Did you mean Northshire.*Southshire"):
        queries.trends(con, F(areas=["Northshir"]))
    with pytest.raises(UsageError, match="Unknown area 'Narnia'.*Areas in this warehouse: Northshire"):
        queries.evidence(con, F(areas=["Narnia"]), theme="neglect")


def test_document_types_are_read_in_any_case_and_by_their_common_names() -> None:
    named = F(doc_types=["SAR", "Serious Case Review", "lcspr", "DARDR", "sar"])
    assert named.doc_types == ("sar", "cspr", "dhr")
    with pytest.raises(UsageError, match="Unknown document type 'sra'. Did you mean sar"):
        F(doc_types=["sra"])


def test_an_empty_selection_is_one_error_everywhere(con: duckdb.DuckDBPyConnection) -> None:
    from pipeline.errors import NoDocumentsError

    assert queries.require_documents(con, F()) == 5
    with pytest.raises(NoDocumentsError, match="No document matches --area Southshire --since 2021"):
        queries.require_documents(con, F(areas=["Southshire"], since=2021, until=2021))


def test_active_themes_come_from_the_warehouse(con: duckdb.DuckDBPyConnection) -> None:
    rows = run_query(con, "active_themes")
    assert {row["version"] for row in rows} == {ACTIVE}
    assert [theme["id"] for theme in queries.active_themes(con)] == list(THEMES)


def test_recurring_lists_years(con: duckdb.DuckDBPyConnection) -> None:
    rows = {row["theme"]: row for row in queries.recurring(con, min_years=2)}
    assert set(rows) == {"professional_curiosity", "self_neglect"}
    assert rows["professional_curiosity"]["years"] == [2020, 2021, 2022]
    assert rows["self_neglect"] == {
        **rows["self_neglect"],
        "years": [2020, 2021],
        "documents": 2,
        "total_documents": 5,
        "share": 0.4,
    }
    assert [row["theme"] for row in queries.recurring(con, F(doc_types=["sar"]), min_years=3)] == []


def test_evidence_returns_sentences_with_the_match(con: duckdb.DuckDBPyConnection) -> None:
    rows = queries.evidence(con, theme="self_neglect")
    assert [(row["title"], row["year"], row["page"]) for row in rows] == [
        ("Adult C", 2021, 1),
        ("Adult A", 2020, 2),
        ("Adult A", 2020, 3),
    ]
    for row in rows:
        assert row["sentence"][row["match_start"] : row["match_end"]] == row["matched_text"]
        assert row["counted"]


def test_evidence_filters_and_uncounted(con: duckdb.DuckDBPyConnection) -> None:
    assert queries.evidence(con, F(since=2020, until=2020), theme="hoarding") == []
    uncounted = queries.evidence(con, F(since=2020, until=2020), theme="hoarding", include_uncounted=True)
    assert [(row["counted"], row["reason"]) for row in uncounted] == [(False, "negated")]
    assert len(queries.evidence(con, theme="self_neglect", search="SEVERE")) == 1
    assert len(queries.evidence(con, theme="self_neglect", limit=1)) == 1
    assert queries.evidence(con, F(doc_types=["dhr"]), theme="professional_curiosity")[0]["section"] == (
        "recommendations"
    )
    assert queries.evidence(con, F(areas=["Southshire"]), theme="self_neglect") == []


def test_documents_lists_latest_versions(con: duckdb.DuckDBPyConnection) -> None:
    rows = {row["title"]: row for row in run_query(con, "documents")}
    assert "Adult E" not in rows
    assert rows["Adult E (revised)"]["supersedes"] is not None
    assert rows["Adult A"]["themes"] == 2
    assert rows["Child F"]["tagged_version"] != ACTIVE


def test_runs_lists_the_fixture_run(con: duckdb.DuckDBPyConnection) -> None:
    (run,) = run_query(con, "runs", limit=5)
    assert (run["status"], run["new"], run["quarantined"]) == ("ok", 7, [])


def test_default_periods_split_the_years_in_halves() -> None:
    assert queries.default_periods([2018, 2019, 2020, 2021]) == ((2018, 2019), (2020, 2021))
    assert queries.default_periods([2018, 2019, 2020]) == ((2018, 2018), (2020, 2020))
    with pytest.raises(UsageError, match="at least 2 years"):
        queries.default_periods([2020])


def test_rising_counts_documents_per_period(con: duckdb.DuckDBPyConnection) -> None:
    rows = queries.rising(
        con, early=(2020, 2020), late=(2021, 2022), min_documents=1, include_all=True, direction="both"
    )
    by_theme = {row["theme"]: row for row in rows}
    assert set(by_theme) == {"hoarding", "neglect", "professional_curiosity", "self_neglect"}
    hoarding = by_theme["hoarding"]  # the uncounted 2020 mention does not count
    assert (hoarding["early_documents"], hoarding["early_total"]) == (0, 2)
    assert (hoarding["late_documents"], hoarding["late_total"]) == (1, 3)
    assert hoarding["direction"] == "rising"
    assert (hoarding["early_years"], hoarding["late_years"]) == ("2020", "2021-2022")
    assert all(0 < row["p_value"] <= row["q_value"] <= 1 and not row["significant"] for row in rows)


def test_rising_defaults_and_direction(con: duckdb.DuckDBPyConnection) -> None:
    rows = queries.rising(con, min_documents=1, include_all=True, direction="falling")
    assert {row["theme"] for row in rows} == {"neglect", "self_neglect"}
    assert {(row["early_years"], row["late_years"]) for row in rows} == {("2020", "2022")}
    assert queries.rising(con, min_documents=1) == []  # nothing significant on 5 documents
    tested = queries.rising(con, min_documents=3, include_all=True, direction="both")
    assert [row["theme"] for row in tested] == ["professional_curiosity"]


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"early": (2022, 2022), "late": (2020, 2021)}, "must end before"),
        ({"early": (2021, 2020), "late": (2022, 2022)}, "must not be after"),
        ({"early": (2010, 2011), "late": (2022, 2022)}, "No documents in the early period 2010-2011"),
        ({"alpha": 1.5}, "--alpha"),
        ({"min_documents": 0}, "--min-documents"),
        ({"direction": "sideways"}, "--direction"),
    ],
)
def test_rising_refuses_bad_options(con: duckdb.DuckDBPyConnection, options: dict, message: str) -> None:
    with pytest.raises(UsageError, match=message):
        queries.rising(con, **options)


def test_compare_periods_flags_a_clear_rise_after_correction() -> None:
    clear = {
        "theme": "clear",
        "early_documents": 2,
        "early_total": 40,
        "late_documents": 30,
        "late_total": 40,
    }
    noise = {
        "theme": "noise",
        "early_documents": 10,
        "early_total": 40,
        "late_documents": 12,
        "late_total": 40,
    }
    rows = queries.compare_periods([noise, clear], alpha=0.05)
    assert [row["theme"] for row in rows] == ["clear", "noise"]
    assert rows[0]["significant"] and rows[0]["direction"] == "rising"
    assert rows[0]["p_value"] < 1e-8 and rows[0]["change"] == pytest.approx(0.7)
    assert not rows[1]["significant"]
    assert rows[1]["q_value"] >= rows[1]["p_value"]


def test_cooccurrence_pairs_with_lift(con: duckdb.DuckDBPyConnection) -> None:
    rows = cooccurrence(con, min_documents=1)
    pairs = {(row["theme_a"], row["theme_b"]): row for row in rows}
    assert set(pairs) == {
        ("hoarding", "self_neglect"),
        ("neglect", "professional_curiosity"),
        ("professional_curiosity", "self_neglect"),
    }
    pair = pairs["hoarding", "self_neglect"]
    assert (pair["documents"], pair["documents_a"], pair["documents_b"], pair["total_documents"]) == (
        1,
        1,
        2,
        5,
    )
    assert pair["lift"] == pytest.approx(1 * 5 / (1 * 2))
    assert 0 < pair["p_value"] <= 1
    assert [row["p_value"] for row in rows] == sorted(row["p_value"] for row in rows)
    assert {row["total_pairs"] for row in rows} == {3}


def test_cooccurrence_filters(con: duckdb.DuckDBPyConnection) -> None:
    assert cooccurrence(con) == []  # the default support is 3 documents
    focused = cooccurrence(con, F(themes=["neglect"]), min_documents=1)
    assert [(row["theme_a"], row["theme_b"]) for row in focused] == [("neglect", "professional_curiosity")]
    assert cooccurrence(con, F(doc_types=["sar"]), min_documents=1)[0]["total_documents"] == 3
    assert len(cooccurrence(con, min_documents=1, limit=2)) == 2
    with pytest.raises(UsageError, match="--min-documents"):
        cooccurrence(con, min_documents=0)


def test_cooccurrence_ranks_well_supported_pairs_above_two_document_flukes() -> None:
    from pipeline.analysis.cooccurrence import association_p

    fluke = {"documents": 2, "documents_a": 2, "documents_b": 2, "total_documents": 60}
    strong = {"documents": 20, "documents_a": 25, "documents_b": 24, "total_documents": 60}
    assert fluke["documents"] * 60 / 4 > strong["documents"] * 60 / (25 * 24)  # by lift the fluke wins
    p_fluke, p_strong = association_p([fluke, strong])
    assert p_fluke == pytest.approx(1 / 1770)  # C(58,0) / C(60,2)
    assert p_strong < p_fluke / 100
    assert default_min_documents(40) == 3 and default_min_documents(200) == 10


def test_queries_on_an_empty_warehouse(empty_warehouse_path: Path) -> None:
    con = connect_read(empty_warehouse_path)
    try:
        assert queries.trends(con) == []
        assert queries.recurring(con) == []
        assert cooccurrence(con) == []
        assert queries.evidence(con, theme="neglect") == []
        with pytest.raises(UsageError, match="at least 2 years"):
            queries.rising(con)
    finally:
        con.close()
