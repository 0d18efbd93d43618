"""HTTP-level tests of every dashboard route: status codes, filters, downloads, escaping, safety."""

from __future__ import annotations

import csv
import io
import itertools
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from starlette.testclient import TestClient

from pipeline.analysis import queries
from pipeline.analysis.filters import TrendFilters
from pipeline.analysis.review import parse_ref, record_decisions, review_queue
from pipeline.cli import cli
from pipeline.errors import WarehouseBusyError
from pipeline.web import app as web_app
from pipeline.web.app import create_app
from tests.web.conftest import SCRIPT
from warehouse.db import connect_read, connect_write, run_query

ESCAPED_SCRIPT = "&lt;script&gt;alert(1)&lt;/script&gt;"
SVG_NAMESPACE = "http://www.w3.org/2000/svg"


def page_paths(sha: dict[str, str]) -> list[str]:
    """Every page route, with a valid subject where the route takes one."""
    doc = sha["SAR Adult B"]
    return [
        "/",
        "/heatmap",
        "/evidence?theme=self_neglect",
        "/themes/self_neglect",
        "/documents",
        f"/documents/{doc}",
        f"/documents/{doc}/text",
        "/runs",
        "/taxonomy",
        "/search?q=curiosity",
    ]


def test_every_page_renders(client: TestClient, sha: dict[str, str]) -> None:
    for path in page_paths(sha):
        response = client.get(path)
        assert response.status_code == 200, path
        assert response.headers["content-type"].startswith("text/html"), path
        assert "<h1>" in response.text, path


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_every_page_downloads_what_it_shows(client: TestClient, sha: dict[str, str], fmt: str) -> None:
    for path in page_paths(sha):
        joiner = "&" if "?" in path else "?"
        response = client.get(f"{path}{joiner}format={fmt}")
        assert response.status_code == 200, path
        assert response.headers["content-disposition"].startswith("attachment;"), path
        if fmt == "json":
            assert isinstance(response.json(), list), path
        else:
            assert response.headers["content-type"].startswith("text/csv"), path
            assert next(csv.reader(io.StringIO(response.text))), path


def test_pages_link_their_downloads(client: TestClient) -> None:
    html = client.get("/heatmap?by=doc_type").text
    assert "/heatmap?by=doc_type&amp;format=csv" in html
    assert "/heatmap?by=doc_type&amp;format=json" in html


def test_overview_shows_documents_runs_and_quarantine(client: TestClient) -> None:
    html = client.get("/").text
    assert "Documents by year and type" in html
    assert "/reviews/locked.pdf" in html and "encrypted" in html
    assert "quarantined" in html
    rows = client.get("/?format=json").json()
    assert sum(row["documents"] for row in rows) == 5  # the superseded version is not counted


@pytest.mark.parametrize(
    ("by", "metric"),
    [("year", "share"), ("doc_type", "documents"), ("area", "mentions"), ("year", "per_10k")],
)
def test_heatmap_every_bucket_and_metric(client: TestClient, by: str, metric: str) -> None:
    response = client.get(f"/heatmap?by={by}&metric={metric}")
    assert response.status_code == 200
    assert 'id="heatmap"' in response.text


def test_heatmap_filters_narrow_the_columns(client: TestClient) -> None:
    rows = client.get("/heatmap?doc_type=sar&format=json").json()
    assert {row["bucket"] for row in rows} == {"2021", "2022"}
    rows = client.get("/heatmap?since=2022&until=2022&format=json").json()
    assert {row["bucket"] for row in rows} == {"2022"}
    rows = client.get("/heatmap?group=harm&format=json").json()
    assert {row["theme"] for row in rows} == {"self_neglect", "hoarding"}


def test_heatmap_cells_link_to_evidence(client: TestClient) -> None:
    html = client.get("/heatmap").text
    assert 'href="/evidence?theme=self_neglect&amp;bucket=2021&amp;by=year"' in html


@pytest.mark.parametrize(
    "filters",
    [{}, {"doc_types": ["sar", "dhr"]}, {"since": 2022}, {"areas": ["Northshire"]}, {"sections": ["body"]}],
)
def test_every_cell_matches_its_evidence(warehouse_path: Path, filters: dict) -> None:
    """A cell's document count equals the distinct documents behind its evidence link, under any filter.

    For the prominent metric the cell counts (and its evidence comes from) the documents where
    the theme is prominent.
    """
    no_filter = {
        "doc_types": None,
        "areas": None,
        "since": None,
        "until": None,
        "sections": None,
        "reviewed": False,
    }
    with connect_read(warehouse_path) as con:
        for by, metric in itertools.product(("year", "doc_type", "area"), ("share", "prominent")):
            count = "prominent_documents" if metric == "prominent" else "documents"
            for cell in (c for c in queries.trends(con, TrendFilters(by=by, **filters)) if c[count]):
                rows = run_query(
                    con,
                    "web_evidence",
                    **{**no_filter, **filters},
                    theme=cell["theme"],
                    by=by,
                    metric=metric,
                    bucket=cell["bucket"],
                    patterns=None,
                    include_uncounted=False,
                    limit=1000,
                    offset=0,
                )
                assert rows[0]["total_documents"] == cell[count], (by, metric, cell)
                if metric == "share":
                    assert rows[0]["total_mentions"] == cell["mentions"], (by, cell)


def test_evidence_filters(client: TestClient) -> None:
    rows = client.get("/evidence?theme=self_neglect&bucket=2022&format=json").json()
    assert {row["year"] for row in rows} == {2022}
    rows = client.get("/evidence?theme=self_neglect&q=recognised&format=json").json()
    assert [row["title"] for row in rows] == ["SAR Adult B"]
    rows = client.get("/evidence?theme=self_neglect&doc_type=dhr&format=json").json()
    assert {row["doc_type"] for row in rows} == {"dhr"}
    rows = client.get("/evidence?theme=self_neglect&by=area&bucket=unknown&format=json").json()
    assert {row["area"] for row in rows} == {None}


def test_evidence_shows_uncounted_mentions_only_when_asked(client: TestClient) -> None:
    assert client.get("/evidence?theme=hoarding&bucket=2022&format=json").json() == []
    rows = client.get("/evidence?theme=hoarding&bucket=2022&all=1&format=json").json()
    assert [(row["counted"], row["reasons"]) for row in rows] == [(False, ["negated"])]
    assert "not counted: negated" in client.get("/evidence?theme=hoarding&all=1").text


def test_evidence_lists_a_sentence_once_with_every_match_marked(client: TestClient) -> None:
    rows = client.get("/evidence?theme=self_neglect&bucket=2023&format=json").json()
    assert [(row["sentence"], row["mentions"]) for row in rows] == [
        ("Hoarding and self-neglect were both present.", 1)
    ]
    rows = client.get("/evidence?theme=self_neglect&format=json").json()
    assert (
        rows[0]["total_mentions"] == 4 and rows[0]["total_sentences"] == 4 and rows[0]["total_documents"] == 3
    )


def test_evidence_highlights_the_match_with_title_year_type_and_page(client: TestClient) -> None:
    html = client.get("/evidence?theme=information_sharing&bucket=2022").text
    assert "<mark>Information sharing</mark> failed at the point of referral." in html
    assert "CSPR Child C" in html and "2022" in html and "CSPR" in html and "page 1" in html


def test_theme_page(client: TestClient) -> None:
    html = client.get("/themes/self_neglect").text
    assert "Self-neglect" in html and "By year" in html
    assert "Often found with" in html and "Documents that discuss it (prominent first)" in html
    assert "Prominent" in html
    assert "1 of 2" in html  # documents with the theme / documents in 2022


@pytest.mark.parametrize(
    "path", ["/themes/nope", "/evidence?theme=nope", "/evidence", "/themes/nope?format=json"]
)
def test_unknown_theme_is_404(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 404
    assert "taxonomy" in response.text


@pytest.mark.parametrize(
    "path",
    [
        "/heatmap?metric=bogus",
        "/heatmap?by=nothing",
        "/heatmap?since=abc",
        "/heatmap?doc_type=novel",
        "/heatmap?group=x",
        "/documents?year=20000",
        "/heatmap?format=xml",
        f"/search?q={'x' * 201}",
    ],
)
def test_bad_parameters_are_400_with_a_message(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 400
    assert "That filter cannot be used" in response.text


def test_documents_page_and_filters(client: TestClient, sha: dict[str, str]) -> None:
    rows = client.get("/documents?format=json").json()
    assert sha["old"] not in {row["sha256"] for row in rows}
    assert len(rows) == 5
    assert [row["title"] for row in client.get("/documents?doc_type=dhr&format=json").json()] == [
        "DHR Victim D"
    ]
    assert len(client.get("/documents?year=2022&format=json").json()) == 2
    assert [row["title"] for row in client.get("/documents?q=child&format=json").json()] == ["CSPR Child C"]


def test_document_page_shows_themes_and_context(client: TestClient, sha: dict[str, str]) -> None:
    html = client.get(f"/documents/{sha['SAR Adult A']}").text
    assert "Themes in this document" in html
    assert "<mark>Information sharing</mark> between the GP" in html
    assert f"/documents/{sha['old']}" in html  # it replaces the old version
    old = client.get(f"/documents/{sha['old']}").text
    assert "not counted in trends" in old


def test_full_text_marks_and_anchors_mentions(client: TestClient, sha: dict[str, str]) -> None:
    html = client.get(f"/documents/{sha['DHR Victim D']}/text").text
    assert 'id="page-1"' in html
    assert '<span id="m0"></span><mark title="Hoarding">Hoarding</mark>' in html


@pytest.mark.parametrize(
    "path",
    [
        "/documents/abc",
        "/documents/../../etc/passwd",
        f"/documents/{'0' * 64}",
        f"/documents/{'0' * 64}/text",
    ],
)
def test_unknown_or_malformed_document_is_404(client: TestClient, path: str) -> None:
    assert client.get(path).status_code == 404


def test_search_finds_themes_and_sentences(client: TestClient) -> None:
    html = client.get("/search?q=Curiosity").text
    assert '<a href="/themes/professional_curiosity">Professional curiosity</a>' in html
    assert "<mark>curiosity</mark>" in html
    rows = client.get("/search?q=curiosity&format=json").json()
    assert len(rows) == 4
    assert (
        len(client.get("/search?q=escalated+self-neglect&format=json").json()) == 1
    )  # every word, any order
    assert client.get('/search?q="self-neglect escalated"&format=json').json() == []  # a quoted phrase
    assert (
        "<mark>Self</mark>-neglect was not <mark>escalated</mark>"
        in client.get("/search?q=escalated+self").text
    )
    for wildcard in ("%25", "_"):  # no wildcards: "%" and "_" are literal
        assert client.get(f"/search?q={wildcard}&format=json").json() == []


def test_report_text_is_escaped_everywhere(client: TestClient, sha: dict[str, str]) -> None:
    doc = sha["SAR Adult B"]
    for path in [
        "/evidence?theme=professional_curiosity",
        f"/documents/{doc}",
        f"/documents/{doc}/text",
        "/search?q=<script>alert(1)</script>",
    ]:
        html = client.get(path).text
        assert SCRIPT not in html, path
        assert ESCAPED_SCRIPT in html, path
    assert "&lt;script&gt;<mark>alert</mark>(1)&lt;/script&gt;" in client.get("/search?q=alert").text


def test_security_headers(client: TestClient) -> None:
    headers = client.get("/").headers
    assert "script-src 'self'" in headers["content-security-policy"]
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["x-frame-options"] == "DENY"


def test_static_assets_are_served_from_memory_only(client: TestClient) -> None:
    assert client.get("/static/app.css").headers["content-type"].startswith("text/css")
    assert client.get("/static/app.js").status_code == 200
    for path in ["/static/missing.js", "/static/..%2Fapp.py", "/static/%2e%2e%2f%2e%2e%2fpyproject.toml"]:
        assert client.get(path).status_code == 404, path
    assert client.get("/static/../app.py").status_code == 404


def test_pages_and_assets_reference_nothing_outside_the_app(client: TestClient, sha: dict[str, str]) -> None:
    """Offline by construction: no page, stylesheet or script names another host."""
    for path in [*page_paths(sha), "/static/app.css", "/static/app.js"]:
        text = client.get(path).text.replace(SVG_NAMESPACE, "")  # a namespace name, never fetched
        assert "http://" not in text and "https://" not in text and "//cdn" not in text, path
        assert "@import" not in text and "fonts.g" not in text, path


def test_small_columns_carry_a_caution(client: TestClient) -> None:
    html = client.get("/heatmap").text
    assert 'class="n small">n=1<' in html and "swing widely" in html


def test_only_get_is_allowed(client: TestClient) -> None:
    assert client.post("/heatmap").status_code == 405


def test_foreign_host_header_is_refused(warehouse_path: Path) -> None:
    with TestClient(web_app.create_app(warehouse_path), base_url="http://evil.example") as other:
        assert other.get("/").status_code == 400


def test_busy_warehouse_is_503_with_retry(client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    def busy(*args: object, **kwargs: object) -> None:
        raise WarehouseBusyError("busy")

    monkeypatch.setattr(web_app, "connect_read", busy)
    response = client.get("/heatmap")
    assert response.status_code == 503
    assert response.headers["retry-after"] == str(web_app.BUSY_RETRY_S)
    assert "nightly ingest" in response.text


def test_the_file_is_free_for_a_writer_after_each_page(client: TestClient, warehouse_path: Path) -> None:
    """No connection stays open: another process can open the warehouse for writing straight away."""
    assert client.get("/heatmap").status_code == 200
    script = f"import duckdb; duckdb.connect({str(warehouse_path)!r}).close()"
    subprocess.run([sys.executable, "-c", script], check=True, timeout=30)


def test_serve_get_prints_a_page_without_a_server(warehouse_path: Path) -> None:
    runner = CliRunner()
    result = runner.invoke(
        cli, ["--db", str(warehouse_path), "serve", "--get", "/heatmap?format=csv"], obj={}
    )
    assert result.exit_code == 0, result.output
    assert result.output.startswith("theme,bucket,value")
    missing = runner.invoke(cli, ["--db", str(warehouse_path), "serve", "--get", "/themes/nope"], obj={})
    assert missing.exit_code == 2


def test_serve_refuses_a_missing_warehouse(tmp_path: Path) -> None:
    missing = tmp_path / "none.duckdb"
    result = CliRunner().invoke(cli, ["--db", str(missing), "serve", "--get", "/"], obj={})
    assert result.exit_code == 2
    assert not missing.exists()


def test_serve_help_has_an_example() -> None:
    result = CliRunner().invoke(cli, ["serve", "--help"], obj={})
    assert result.exit_code == 0
    assert "--get" in result.output and "127.0.0.1" in result.output


def test_theme_page_says_how_to_check_hits_before_any_review(client: TestClient) -> None:
    html = client.get("/themes/self_neglect").text
    assert "Checked by people" in html and "review list --theme self_neglect" in html
    assert "checked hits were judged right" not in html


def test_theme_page_shows_the_precision_of_checked_hits(warehouse_path: Path, tmp_path: Path) -> None:
    copy = tmp_path / "reviewed.duckdb"
    copy.write_bytes(warehouse_path.read_bytes())
    con = connect_write(copy)
    try:
        hit = review_queue(con, theme="self_neglect", limit=1)[0]
        record_decisions(con, [parse_ref(hit["ref"], with_theme=True)], "accept", reviewer="lead")
    finally:
        con.close()
    with TestClient(create_app(copy), base_url="http://localhost") as reviewed:
        html = reviewed.get("/themes/self_neglect").text
    assert "1 of 1 checked hits were judged right: precision 100% (21–100%)" in html
