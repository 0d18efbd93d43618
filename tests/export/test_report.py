"""The learning briefing (HTML and PDF) and the heatmap, report and export commands."""

from __future__ import annotations

import re

import pytest
from click.testing import CliRunner

from pipeline.analysis import queries
from pipeline.analysis.filters import TrendFilters
from pipeline.analysis.quotes import pick_quotes, trim_quote
from pipeline.analysis.review import parse_ref, record_decisions, review_queue
from pipeline.cli import cli
from pipeline.errors import UsageError
from pipeline.outputs.heatmap.matrix import build_matrix
from pipeline.outputs.report.briefing import build_briefing, recurring_themes
from pipeline.outputs.report.changes import half_changes
from pipeline.outputs.report.write import write_report
from tests.export.test_heatmap import EXTERNAL_REFERENCE, _html_data
from warehouse.db import connect_read, connect_write

CITATION = re.compile(r"&mdash; (?P<title>[^<]+?), (?P<year>\d{4}), p\. (?P<page>\d+)</cite>")


def _matrix(shares: dict[str, list[int]], totals: list[int]):
    years = [str(2019 + j) for j in range(len(totals))]
    rows = [
        {"theme": theme, "bucket": year, "value": count / total, "documents": count, "total_documents": total}
        for theme, counts in shares.items()
        for year, count, total in zip(years, counts, totals, strict=True)
    ]
    return build_matrix(rows, {}, "share")


def test_recurring_ranks_by_share_and_keeps_saturated_themes_apart():
    def row(theme, share, prominent):
        return {"theme": theme, "share": share, "documents": 4, "years_present": 3,
                "prominent_share": prominent}

    rows = [row("a", 0.5, 0.25), row("b", 1.0, 0.5), row("c", 0.75, 0.0), row("d", 0.95, 0.1)]
    recurring, saturated = recurring_themes(rows, {"b": "Bee"}, {"b", "d"}, top=1)
    assert [s.theme for s in recurring] == ["c"] and recurring[0].prominent_share == 0.0
    assert [(s.theme, s.label, s.saturated) for s in saturated] == [("b", "Bee", True), ("d", "d", True)]


def test_half_changes_compare_first_and_second_half_of_years():
    matrix = _matrix({"up": [0, 0, 2, 2], "down": [2, 1, 0, 0]}, [2, 2, 2, 2])
    changes = {c.theme: c for c in half_changes(matrix)}
    assert changes["up"].change == pytest.approx(1.0)
    assert changes["down"].change == pytest.approx(-0.75)
    assert (changes["up"].early_years, changes["up"].late_years) == ("2019-2020", "2021-2022")
    assert changes["up"].significant is None


def test_trim_quote_keeps_the_match_and_marks_cuts():
    sentence = "x" * 400 + " self-neglect " + "y" * 400
    start = sentence.index("self-neglect")
    quote = trim_quote({"sentence": sentence, "match_start": start, "match_end": start + 12})
    assert quote["match"] == "self-neglect"
    assert quote["before"].startswith("…") and quote["after"].endswith("…")
    assert len(quote["before"] + quote["match"] + quote["after"]) < 320


def test_pick_quotes_prefers_prose_from_distinct_years():
    def row(sha, year, sentence, section="body"):
        return {"sha256": sha, "year": year, "sentence": sentence, "section": section}

    prose = "Practitioners did not explore the home conditions in any depth."
    rows = [row("a", 2022, "Table | cell | cell"), row("b", 2022, prose), row("c", 2022, prose),
            row("d", 2021, prose), row("e", 2020, prose, section="glossary")]
    assert [r["sha256"] for r in pick_quotes(rows, 3)] == ["b", "d", "c"]


def test_briefing_html_has_every_part_with_cited_quotes(con, tmp_path):
    out = tmp_path / "briefing.html"
    briefing = write_report(con, out)
    html = out.read_text(encoding="utf-8")
    for section in ("key-messages", "recurring", "changes", "heatmap", "evidence", "method"):
        assert f'id="{section}"' in html
    assert [s.theme for s in briefing.recurring][:2] == ["information_sharing", "self_neglect"]
    assert "Fisher" in briefing.change_method  # queries.rising is used when present
    assert "Domestic abuse" in html and "Professional curiosity" in html
    citations = CITATION.findall(html)
    assert citations and all(title and year and page for title, year, page in citations)
    cells = _html_data(html)["cells"]
    assert len(cells) == len(briefing.matrix.themes) * len(briefing.matrix.buckets)
    assert not EXTERNAL_REFERENCE.search(html) and "cdn" not in html.lower()


def test_without_a_test_no_theme_is_called_rising_or_falling(con, monkeypatch):
    def untestable(*args, **kwargs):
        raise UsageError("No documents in the early period 2019-2020.")

    monkeypatch.setattr(queries, "rising", untestable)
    briefing = build_briefing(con)
    assert briefing.rising == [] and briefing.falling == [] and not briefing.changes.tested
    assert "could not be tested" in briefing.change_method
    untested = {c.theme: c for c in briefing.changes.not_significant}
    assert untested["domestic_abuse"].change > 0 and untested["domestic_abuse"].test_text == "not tested"
    assert any("No theme is called rising or falling" in m.text for m in briefing.key_messages)


def test_briefing_pdf_is_a_readable_pdf(con, tmp_path):
    pdfium = pytest.importorskip("pypdfium2")
    out = tmp_path / "briefing.pdf"
    write_report(con, out)
    assert out.read_bytes().startswith(b"%PDF-")
    document = pdfium.PdfDocument(out)
    text = "".join(document[i].get_textpage().get_text_range() for i in range(len(document)))
    assert "Learning briefing" in text and "Self-neglect" in text
    assert "SAR Adult E, 2021, p. 2" in text


def test_briefing_refuses_other_extensions_and_empty_selections(con, tmp_path):
    with pytest.raises(UsageError, match="use one of"):
        write_report(con, tmp_path / "briefing.docx")
    with pytest.raises(UsageError, match="No document matches --since 2030"):
        write_report(con, tmp_path / "briefing.html", TrendFilters(since=2030))


@pytest.mark.parametrize(
    "arguments",
    [
        ["heatmap", "--out", "{tmp}/h.png", "--order", "cluster", "--palette", "cividis"],
        ["heatmap", "--out", "{tmp}/h.svg", "--by", "doc_type", "--doc-type", "sar", "--no-values"],
        ["heatmap", "--out", "{tmp}/h.html", "--by", "document", "--metric", "mentions", "--quotes", "1"],
        ["heatmap", "--out", "{tmp}/h.xlsx", "--order", "trend", "--theme", "self_neglect"],
        ["report", "--out", "{tmp}/briefing.html", "--top", "3", "--quotes", "1"],
        ["export", "--format", "qdpx", "--out", "{tmp}/project.qdpx"],
    ],
)
def test_commands_write_their_files(warehouse_path, tmp_path, arguments):
    args = [arg.format(tmp=tmp_path) for arg in arguments]
    result = CliRunner().invoke(cli, ["--db", str(warehouse_path), *args], obj={})
    assert result.exit_code == 0, result.output
    out = args[args.index("--out") + 1]
    assert f"Wrote {out}" in result.output
    assert (tmp_path / out.rsplit("/", 1)[1]).stat().st_size > 0


def test_heatmap_command_refuses_a_bad_combination(warehouse_path, tmp_path):
    args = ["--db", str(warehouse_path), "heatmap", "--out", str(tmp_path / "h.png"), "--by", "area",
            "--order", "trend"]
    result = CliRunner().invoke(cli, args, obj={})
    assert result.exit_code == 2
    assert "--order trend needs --by year" in result.output


@pytest.fixture
def reviewed_warehouse(warehouse_path, tmp_path):
    """A copy of the fixture warehouse where a person accepted two self-neglect hits and rejected one."""
    copy = tmp_path / "reviewed.duckdb"
    copy.write_bytes(warehouse_path.read_bytes())
    con = connect_write(copy)
    try:
        hits = review_queue(con, theme="self_neglect", limit=3)
        assert len(hits) == 3
        refs = [parse_ref(hit["ref"], with_theme=True) for hit in hits]
        record_decisions(con, refs[:2], "accept", reviewer="lead")
        record_decisions(con, refs[2:], "reject", reviewer="lead")
    finally:
        con.close()
    return copy


def test_briefing_without_reviews_says_how_to_check_hits(con, tmp_path):
    out = tmp_path / "briefing.html"
    briefing = write_report(con, out)
    assert briefing.checks and not briefing.reviewed_any
    assert {c.theme for c in briefing.checks} >= {s.theme for s in briefing.recurring}
    html = out.read_text(encoding="utf-8")
    assert 'id="checks"' in html and "review accept" in html and "Hits checked" not in html


def test_briefing_shows_the_share_of_checked_hits_judged_right(reviewed_warehouse, tmp_path):
    out = tmp_path / "briefing.html"
    with connect_read(reviewed_warehouse) as con:
        briefing = write_report(con, out)
    checks = {c.theme: c for c in briefing.checks}
    assert (checks["self_neglect"].reviewed, checks["self_neglect"].accepted) == (3, 2)
    assert checks["self_neglect"].precision_text == "67% (21–94%)"
    assert checks["information_sharing"].precision_text == "not checked"
    html = out.read_text(encoding="utf-8")
    assert "Hits checked" in html and "67% (21–94%)" in html


def test_briefing_pdf_has_the_review_table(reviewed_warehouse, tmp_path):
    pdfium = pytest.importorskip("pypdfium2")
    out = tmp_path / "briefing.pdf"
    with connect_read(reviewed_warehouse) as con:
        write_report(con, out)
    document = pdfium.PdfDocument(out)
    text = "".join(document[i].get_textpage().get_text_range() for i in range(len(document)))
    assert "How often the hits are right" in text and "67% (21–94%)" in text
