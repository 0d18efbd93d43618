"""The command-line contract: help with examples, JSON shapes, exit codes."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from pipeline.cli import cli


def _commands():
    return sorted(cli.commands)


@pytest.mark.parametrize("name", _commands())
def test_every_command_has_help_with_an_example(name):
    result = CliRunner().invoke(cli, [name, "--help"])
    assert result.exit_code == 0, result.output
    assert "Example" in result.output, f"`{name} --help` shows no example"


def test_the_contract_commands_exist():
    contract = {
        "ingest",
        "extract",
        "tag",
        "themes",
        "trends",
        "recurring",
        "evidence",
        "heatmap",
        "sql",
        "runs",
        "documents",
    }
    assert contract <= set(cli.commands)


def test_tag_prints_themes_and_mentions_with_negation_not_counted():
    text = "There was no evidence of self-neglect. Her flat was full of hoarded newspapers."
    result = CliRunner().invoke(cli, ["tag"], input=text)
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert "hoarding" in data["themes"] and "self_neglect" not in data["themes"]
    negated = [m for m in data["mentions"] if m["theme"] == "self_neglect"]
    assert negated and not any(m["counted"] for m in negated)
    for mention in data["mentions"]:
        assert text[mention["start"] : mention["end"]] == mention["text"]
        assert set(mention) >= {"theme", "start", "end", "text", "sentence", "counted"}


def test_tag_jsonl_keeps_ids_and_order(tmp_path):
    lines = [
        {"id": "b", "text": "Professional curiosity was lacking."},
        {"id": 7, "text": "The weather was fine."},
    ]
    path = tmp_path / "in.jsonl"
    path.write_text("\n".join(json.dumps(line) for line in lines) + "\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["tag", "--jsonl", str(path)])
    assert result.exit_code == 0, result.output
    out = [json.loads(line) for line in result.stdout.splitlines()]
    assert [row["id"] for row in out] == ["b", 7]
    assert out[0]["themes"] == ["professional_curiosity"] and out[1]["themes"] == []


def test_tag_jsonl_reports_a_bad_line_and_tags_the_rest(tmp_path):
    path = tmp_path / "in.jsonl"
    lines = [
        '{"id": 1, "text": "Professional curiosity was lacking."}',
        "not json",
        '{"id": 3}',
        '{"id": 4, "text": "She was hoarding newspapers."}',
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["tag", "--jsonl", str(path)])
    assert result.exit_code == 2  # a usage error, reported after every good line is tagged
    assert "error: line 2: not JSON" in result.stderr and "error: line 3: expected an object" in result.stderr
    out = [json.loads(line) for line in result.stdout.splitlines()]
    assert [row["id"] for row in out] == [1, None, 3, 4]
    assert out[0]["themes"] == ["professional_curiosity"] and out[3]["themes"] == ["hoarding"]
    assert out[1] == {"id": None, "line": 2, "error": out[1]["error"]} and "error" in out[2]


def test_sql_refuses_a_write_with_exit_2(tmp_path):
    result = CliRunner().invoke(cli, ["--db", str(tmp_path / "w.duckdb"), "sql", "DELETE FROM documents"])
    assert result.exit_code == 2
    assert "read-only" in result.output


def test_an_unexpected_error_exits_1_and_names_a_log(tmp_path, monkeypatch):
    import pipeline.analysis.queries

    def broken(*args, **kwargs):
        raise ZeroDivisionError("bug")

    from warehouse.db import connect_write

    connect_write(tmp_path / "w.duckdb").close()
    monkeypatch.setattr(pipeline.analysis.queries, "recurring", broken)
    monkeypatch.setattr(pipeline.analysis.queries, "require_documents", lambda con, filters: 1)
    result = CliRunner().invoke(cli, ["--db", str(tmp_path / "w.duckdb"), "recurring"])
    assert result.exit_code == 1
    assert "unexpected internal error" in result.output
    logs = list((tmp_path / "logs").glob("error-*.log"))
    assert logs and "ZeroDivisionError" in logs[0].read_text()


def test_importing_the_cli_loads_no_heavy_library():
    """Start-up stays fast (a no-op nightly rerun must take under 2 s): heavy imports are lazy."""
    import subprocess
    import sys

    heavy = ("sklearn", "spacy", "matplotlib", "scipy", "pdfplumber")
    code = f"import sys, pipeline.cli.base; print(sorted(m for m in {heavy!r} if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_extract_of_an_unreadable_file_exits_2_with_what_to_do(tmp_path):
    page = tmp_path / "report.pdf"
    page.write_text("<!doctype html><html><body>Download</body></html>", encoding="utf-8")
    result = CliRunner().invoke(cli, ["extract", str(page)])
    assert result.exit_code == 2
    assert "web page" in result.output


def test_extract_json_has_the_contract_shape(tmp_path):
    text = tmp_path / "note.txt"
    text.write_text("Learning review 2024\n\nSelf-neglect was a feature.\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["extract", str(text), "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert set(data) == {"path", "sha256", "metadata", "pages"}
    assert set(data["metadata"]) == {"title", "doc_type", "area", "year"}
    assert data["pages"][0]["number"] == 1 and "Self-neglect" in data["pages"][0]["text"]
