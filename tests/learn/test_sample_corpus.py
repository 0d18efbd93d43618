"""On the sample corpus: discovery finds the planted emerging theme."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline.cli import cli

ROOT = Path(__file__).resolve().parents[2]
TRUTH = json.loads((ROOT / "corpus" / "sample" / "truth.json").read_text(encoding="utf-8"))
TOP_CANDIDATES = 3  # the planted theme ranks first today; allow for new noise phrases

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def sample_warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("sample") / "themes.duckdb"
    sample = str(ROOT / "corpus" / "sample")
    args = ["--db", str(db), "-q", "ingest", sample, "--no-classifier", "--workers", "2"]
    result = CliRunner().invoke(cli, args, obj={})
    assert result.exit_code == 0, result.output
    return db


def test_discover_lists_the_planted_emerging_theme_among_the_top(sample_warehouse: Path) -> None:
    emerging = TRUTH["emerging"]
    result = CliRunner().invoke(cli, ["--db", str(sample_warehouse), "discover", "--format", "json"], obj={})
    assert result.exit_code == 0, result.output
    top = json.loads(result.stdout)[:TOP_CANDIDATES]
    match = [c for c in top if emerging["term"] in {c["term"], *c["related"]}]
    assert match, [c["term"] for c in top]
    assert match[0]["since"] == emerging["since"] and match[0]["share_earlier"] == 0.0
    assert all(example["year"] >= emerging["since"] for example in match[0]["examples"])
