"""A changed codebook never mixes silently with the old one: ingest refuses, --retag re-tags."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import duckdb
import pytest
from click.testing import CliRunner

from pipeline.cli import cli

ROOT = Path(__file__).resolve().parent.parent
REPORT = (
    "Learning review.\n\n"
    "The practitioners did not show professional curiosity about the bruising.\n\n"
    "Her flat was full of hoarded newspapers and the zebra crossing outside was busy.\n"
)


@pytest.fixture
def setup(tmp_path):
    taxonomy = tmp_path / "taxonomy"
    shutil.copytree(ROOT / "models" / "taxonomy", taxonomy)
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "review-2024.txt").write_text(REPORT, encoding="utf-8")
    return taxonomy, inbox, tmp_path / "w.duckdb"


def _invoke(db, taxonomy, *args):
    return CliRunner().invoke(cli, ["--db", str(db), "--taxonomy", str(taxonomy), *args])


def _add_term(taxonomy: Path, theme: str, term: str) -> None:
    for path in taxonomy.glob("themes-*.toml"):
        text = path.read_text(encoding="utf-8")
        header = f"[themes.{theme}]"
        if header in text:
            before, after = text.split(header, 1)
            after = after.replace("terms = [", f'terms = [\n  "{term}",', 1)
            path.write_text(before + header + after, encoding="utf-8")
            return
    raise AssertionError(f"theme {theme} not found")


def _themes(db: Path) -> set[str]:
    with duckdb.connect(str(db), read_only=True) as con:
        return {
            row[0]
            for row in con.execute("SELECT DISTINCT theme FROM current_mentions WHERE counted").fetchall()
        }


def test_changed_taxonomy_needs_retag_then_retags_without_re_extracting(setup):
    taxonomy, inbox, db = setup
    first = _invoke(db, taxonomy, "ingest", str(inbox))
    assert first.exit_code == 0, first.output
    assert "fire_risk" not in _themes(db)

    _add_term(taxonomy, "fire_risk", "zebra crossing")
    refused = _invoke(db, taxonomy, "ingest", str(inbox))
    assert refused.exit_code == 2
    assert "--retag" in refused.output

    retag = _invoke(db, taxonomy, "ingest", str(inbox), "--retag", "--format", "json")
    assert retag.exit_code == 0, retag.output
    summary = json.loads(retag.stdout)
    assert (summary["new"], summary["skipped"], summary["retagged"]) == (0, 1, 1)
    assert "fire_risk" in _themes(db)
    with duckdb.connect(str(db), read_only=True) as con:
        versions = con.execute("SELECT DISTINCT taxonomy_version FROM mentions").fetchall()
        active = con.execute("SELECT version FROM active_taxonomy").fetchone()
    assert versions == [active], "old and new taxonomy versions are mixed"
    with duckdb.connect(str(db), read_only=True) as con:
        rows = con.execute("SELECT theme FROM document_themes WHERE discussed").fetchall()
    discussed = {row[0] for row in rows}
    assert discussed == _themes(db), "document_themes did not follow the re-tag"
