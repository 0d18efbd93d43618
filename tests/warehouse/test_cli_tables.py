"""Tables that fit 120 columns (issue 19, item 4): each case failed before the fix.

Before: `trends` over 14 years wrapped `100%` onto two lines and years into `201`/`3`;
`evidence` squeezed the sentence to one letter per line and stopped at 20 rows without
saying so; `review list` left the sentence some 10 characters; `cooccurrence` printed
every pair, those sharing 2 documents first.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from pipeline.cli import cli
from tests.factories import finish_run, load_all, make_tagged, register_codebook, start_run
from warehouse.db import connect_write

WIDTH = 120
YEARS = range(2012, 2026)  # 14 years
VERSION = "1.0+tables"
THEMES = ("professional_curiosity_and_respectful_uncertainty", "self_neglect", "hoarding", "neglect")
LONG_SENTENCE = (
    "Self-neglect was recognised early by the district nurses, who escalated their concerns to adult social "
    "care and the GP, but no agency took the lead in drawing the professionals together."
)


def _codebook() -> str:
    return json.dumps(
        [{"id": t, "label": t, "scope": "adults", "group": "practice", "definition": t} for t in THEMES]
    )


@pytest.fixture(scope="module")
def wide_warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Fourteen years of documents; 61 self-neglect sentences; themes that share documents."""
    db = tmp_path_factory.mktemp("tables") / "wide.duckdb"
    documents = []
    for year in YEARS:
        for n in range(5):
            sentences = [(f"{LONG_SENTENCE} ({year}/{n})", ["self_neglect"] if (year + n) % 2 else [])]
            sentences.append(("Hoarding was seen at every visit.", ["hoarding", "neglect"] if n < 3 else []))
            sentences.append(("Professional curiosity was absent.", [THEMES[0]]))
            sha256 = f"{year}{n:02d}".ljust(64, "a")
            documents.append(make_tagged(sha256, sentences=sentences, year=year, version=VERSION))
    with connect_write(db) as con:
        register_codebook(con, VERSION, "1.0", _codebook())
        run_id = start_run(con, VERSION)
        load_all(con, documents, run_id)
        finish_run(con, run_id, status="ok", seen=len(documents), new=len(documents), quarantined=0, pages=1)
    return db


def invoke(db: Path, *args: str) -> Result:
    return CliRunner(env={"COLUMNS": str(WIDTH)}).invoke(cli, ["--db", str(db), *args, "--format", "table"])


def _lines(result: Result) -> list[str]:
    assert result.exit_code == 0, result.output
    return result.stdout.splitlines()


def test_trends_over_14_years_fit_120_columns_with_numbers_whole(wide_warehouse: Path) -> None:
    lines = _lines(invoke(wide_warehouse, "trends"))
    assert max(len(line) for line in lines) <= WIDTH
    text = "\n".join(lines)
    for year in YEARS:
        assert str(year) in text  # never 201 / 3
    assert "100% (5)" in text and "60% (3)" in text  # professional curiosity, hoarding: one line each
    assert not any(line.strip() in {"(5)", "(3)", "100%"} for line in lines)
    assert "professional_curiosity_and_respec…" in text  # a long key is cut, not folded


def test_evidence_puts_the_sentence_on_its_own_lines_and_says_20_of_61(wide_warehouse: Path) -> None:
    result = invoke(wide_warehouse, "evidence", "--theme", "self_neglect")
    lines = _lines(result)
    assert max(len(line) for line in lines) <= WIDTH
    sentences = [line for line in lines if line.startswith("    ")]
    assert sentences[0].strip().startswith("Self-neglect was recognised early by the district nurses")
    assert len(sentences[0]) > 80  # the sentence gets the width, not a sliver
    assert "Showing 20 of 35 sentences: --limit 35 shows them all." in result.stderr
    whole = invoke(wide_warehouse, "evidence", "--theme", "self_neglect", "--limit", "35")
    assert "Showing" not in whole.stderr


def test_review_list_gives_the_sentence_the_width(wide_warehouse: Path) -> None:
    lines = _lines(invoke(wide_warehouse, "review", "list", "--theme", "self_neglect", "--limit", "3"))
    assert max(len(line) for line in lines) <= WIDTH
    headings = [line for line in lines[1:] if not line.startswith("    ")]
    assert len(headings) == 3 and all(":self_neglect · unreviewed · rules" in line for line in headings)
    assert sum(1 for line in lines if line.startswith("    Self-neglect was recognised")) == 3


def test_cooccurrence_shows_the_strongest_well_supported_pairs_and_says_how_many(
    wide_warehouse: Path,
) -> None:
    result = invoke(wide_warehouse, "cooccurrence", "--limit", "2")
    lines = _lines(result)
    assert max(len(line) for line in lines) <= WIDTH
    body = [line.split() for line in lines if line.strip() and line.strip().split()[0] in THEMES]
    assert body[0][:3] == ["hoarding", "neglect", "42"]  # 42 shared documents, always together
    assert "Showing the 2 strongest of" in result.stderr and "--limit 0 shows them all" in result.stderr


@pytest.mark.parametrize("command", [["documents"], ["runs"], ["themes"], ["recurring"], ["rising", "--all"]])
def test_other_tables_fit_120_columns(wide_warehouse: Path, command: list[str]) -> None:
    lines = _lines(invoke(wide_warehouse, *command))
    assert lines and max(len(line) for line in lines) <= WIDTH


def test_a_run_printed_as_a_record_keeps_every_field_whole(wide_warehouse: Path) -> None:
    """Before: `runs` at 120 columns cut its heading to `finished_at…` and dropped the counts after it."""
    lines = _lines(invoke(wide_warehouse, "runs"))
    assert max(len(line) for line in lines) <= WIDTH
    text = " ".join(line.strip() for line in lines)
    for field in ("seen: 70", "new: 70", "skipped: 0", "still_quarantined: 0", "pages: 1", "finished_at: 2"):
        assert field in text, field
    assert "…" not in text


def test_a_record_heading_cuts_the_long_text_and_keeps_year_and_page(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Before: a long title beside a long match cut the heading's tail, the year read `20…`."""
    from pipeline.output import emit_records

    monkeypatch.setenv("COLUMNS", str(WIDTH))
    row = {
        "ref": "ae135799b3f8:1261:thresholds_front_door",
        "status": "unreviewed",
        "title": "Safeguarding Pressures Research, Phase 9: the full report with its appendices",
        "year": 2024,
        "page": 44,
        "matched_text": LONG_SENTENCE,
        "sentence": LONG_SENTENCE,
    }
    emit_records([row], "table", head=["ref", "status", "title", "year", "page", "matched_text"],
                 text="sentence", columns=list(row))
    heading = capsys.readouterr().out.splitlines()[0]
    assert len(heading) <= WIDTH
    assert heading.startswith("ae135799b3f8:1261:thresholds_front_door · unreviewed · Safeguarding")
    assert " · 2024 · p. 44 · Self-neglec…" in heading


def test_review_list_says_how_many_it_left_out(wide_warehouse: Path) -> None:
    result = invoke(wide_warehouse, "review", "list", "--theme", "self_neglect", "--limit", "3")
    assert "Showing 3 of 35 hits: --limit 35 shows them all." in result.stderr
    whole = invoke(wide_warehouse, "review", "list", "--theme", "self_neglect", "--limit", "35")
    assert "Showing" not in whole.stderr
