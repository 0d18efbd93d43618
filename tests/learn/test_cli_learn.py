"""The train, review and discover commands through the CLI: output shapes, exit codes, the writer lock."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from pipeline.cli import cli
from pipeline.tag.classify import load_classifier
from warehouse.db import writer_lock


def _run(warehouse: Path, *args: str):
    return CliRunner().invoke(cli, ["--db", str(warehouse), *args], obj={})


def test_review_list_accept_and_precision(warehouse: Path) -> None:
    listed = _run(warehouse, "review", "list", "--theme", "hoarding", "--limit", "2", "--format", "json")
    assert listed.exit_code == 0, listed.output
    refs = [row["ref"] for row in json.loads(listed.output)]
    assert len(refs) == 2
    accepted = _run(warehouse, "review", "accept", refs[0], "--reviewer", "lead", "--format", "json")
    assert accepted.exit_code == 0, accepted.output
    assert json.loads(accepted.output)[0]["decision"] == "accept"
    rejected = _run(warehouse, "review", "reject", refs[1], "--note", "wrong sense", "--format", "json")
    assert rejected.exit_code == 0, rejected.output
    precision = json.loads(_run(warehouse, "review", "precision", "--format", "json").output)
    hoarding = next(row for row in precision if row["theme"] == "hoarding")
    assert (hoarding["accepted"], hoarding["rejected"], hoarding["precision"]) == (1, 1, 0.5)


def test_review_usage_errors_exit_2(warehouse: Path) -> None:
    assert _run(warehouse, "review", "accept", "nonsense").exit_code == 2
    assert _run(warehouse, "review", "accept", "ffffffffffff:0:hoarding").exit_code == 2
    assert _run(warehouse, "review", "add", "ffffffffffff:0", "--theme", "no_such_theme").exit_code == 2


def test_review_waits_for_the_writer_lock_then_exits_4(warehouse: Path) -> None:
    ref = json.loads(_run(warehouse, "review", "list", "--limit", "1", "--format", "json").output)[0]["ref"]
    with writer_lock(warehouse, wait_s=0):
        result = _run(warehouse, "review", "accept", ref, "--wait", "0")
    assert result.exit_code == 4


def test_train_writes_a_loadable_artifact(warehouse: Path, tmp_path: Path) -> None:
    out = tmp_path / "clf.joblib"
    result = _run(warehouse, "train", "--out", str(out), "--format", "json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["documents"] == 16 and report["themes"] == 2
    assert report["size_mb"] < 5 and report["train_seconds"] >= 0
    assert load_classifier(out).themes == ("hoarding", "self_neglect")


def test_discover_json_contract(warehouse: Path) -> None:
    result = _run(warehouse, "discover", "--topics", "2", "--format", "json")
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    assert {"term", "score", "examples"} <= rows[0].keys()
    assert rows == sorted(rows, key=lambda row: -row["score"])
    table = _run(warehouse, "discover", "--format", "csv")
    assert table.output.splitlines()[0].startswith("rank,term,kind,score,period")


def test_commands_have_help_with_examples() -> None:
    for command in (["train"], ["discover"], ["review"], ["review", "list"], ["review", "add"]):
        result = CliRunner().invoke(cli, [*command, "--help"], obj={})
        assert result.exit_code == 0 and "Example" in result.output
