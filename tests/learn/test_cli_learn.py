"""The train, review and discover commands through the CLI: output shapes, exit codes, the writer lock."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from pipeline.cli import cli
from pipeline.tag.learned import load_model
from warehouse.db import writer_lock


def _run(warehouse: Path, *args: str):
    return CliRunner().invoke(cli, ["--db", str(warehouse), *args], obj={})


def test_review_list_accept_and_precision(warehouse: Path) -> None:
    listed = _run(warehouse, "review", "list", "--theme", "hoarding", "--limit", "2", "--format", "json")
    assert listed.exit_code == 0, listed.output
    refs = [row["ref"] for row in json.loads(listed.stdout)]
    assert len(refs) == 2
    accepted = _run(warehouse, "review", "accept", refs[0], "--reviewer", "lead", "--format", "json")
    assert accepted.exit_code == 0, accepted.output
    assert json.loads(accepted.stdout)[0]["decision"] == "accept"
    rejected = _run(warehouse, "review", "reject", refs[1], "--note", "wrong sense", "--format", "json")
    assert rejected.exit_code == 0, rejected.output
    precision = json.loads(_run(warehouse, "review", "precision", "--format", "json").stdout)
    hoarding = next(row for row in precision if row["theme"] == "hoarding")
    assert (hoarding["accepted"], hoarding["rejected"], hoarding["precision"]) == (1, 1, 0.5)


def test_review_usage_errors_exit_2(warehouse: Path) -> None:
    assert _run(warehouse, "review", "accept", "nonsense").exit_code == 2
    assert _run(warehouse, "review", "accept", "ffffffffffff:0:hoarding").exit_code == 2
    assert _run(warehouse, "review", "add", "ffffffffffff:0", "--theme", "no_such_theme").exit_code == 2


def test_review_waits_for_the_writer_lock_then_exits_4(warehouse: Path) -> None:
    ref = json.loads(_run(warehouse, "review", "list", "--limit", "1", "--format", "json").stdout)[0]["ref"]
    with writer_lock(warehouse, wait_s=0):
        result = _run(warehouse, "review", "accept", ref, "--wait", "0")
    assert result.exit_code == 4


def test_train_learns_from_the_corpus_and_the_reviews(warehouse: Path, tmp_path: Path) -> None:
    ref = json.loads(_run(warehouse, "review", "list", "--limit", "1", "--format", "json").stdout)[0]["ref"]
    assert _run(warehouse, "review", "reject", ref).exit_code == 0
    out, no_sources = tmp_path / "model.joblib", tmp_path / "empty"
    no_sources.mkdir()
    result = _run(warehouse, "train", "--out", str(out), "--sources", str(no_sources), "--format", "json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["sentences"]["keyed_not_found"] > 0  # real-report sentences need their PDFs
    assert report["sentences"]["train"] > 1000 and report["size_bytes"] == out.stat().st_size
    assert load_model(out).name == "theme-tagger-v2"


def test_train_refuses_a_broken_labels_file(warehouse: Path, tmp_path: Path) -> None:
    broken = tmp_path / "labels.jsonl"
    broken.write_text('{"id": 1, "text": "x", "themes": []}\nnot json\n')
    result = _run(warehouse, "train", "--labels", str(broken), "--out", str(tmp_path / "m.joblib"))
    assert result.exit_code == 2 and "labels.jsonl:2" in result.output


def test_discover_json_contract(warehouse: Path) -> None:
    result = _run(warehouse, "discover", "--topics", "2", "--format", "json")
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert {"term", "score", "examples"} <= rows[0].keys()
    assert rows == sorted(rows, key=lambda row: -row["score"])
    table = _run(warehouse, "discover", "--format", "csv")
    assert table.output.splitlines()[0].startswith("rank,term,kind,score,period")


def test_commands_have_help_with_examples() -> None:
    for command in (["train"], ["discover"], ["review"], ["review", "list"], ["review", "add"]):
        result = CliRunner().invoke(cli, [*command, "--help"], obj={})
        assert result.exit_code == 0 and "Example" in result.output
