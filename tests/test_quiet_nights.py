"""Quiet nights (issue 19, item 3): a failing file is reported once, not every night.

Before: with the shipped quarantine settings the same bad files were reported on every
run with exit 3, and the systemd unit (`SuccessExitStatus=3`) told nobody anything.
"""

from __future__ import annotations

import configparser
import json
from pathlib import Path

from click.testing import CliRunner, Result

from pipeline.cli import cli

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "deploy"
GOOD = "Learning review\n\nNorthmoor Safeguarding Adults Board.\n\nThere was no professional curiosity."


def night(db: Path, inbox: Path, quarantine: Path, *args: str) -> Result:
    command = ["--db", str(db), *args, "ingest", str(inbox), "--quarantine-dir", str(quarantine)]
    return CliRunner().invoke(cli, [*command, "--quarantine-action", "copy"], obj={})


def test_a_bad_file_is_reported_once_and_again_only_when_it_changes(tmp_path: Path) -> None:
    inbox, quarantine, db = tmp_path / "inbox", tmp_path / "quarantine", tmp_path / "w.duckdb"
    inbox.mkdir()
    (inbox / "good.txt").write_text(GOOD, encoding="utf-8")
    (inbox / "empty.pdf").write_bytes(b"")
    (inbox / "webpage.pdf").write_text("<!doctype html><html><body>Not found</body></html>", encoding="utf-8")
    (inbox / "junk.pdf").write_bytes(b"%PDF-1.4 truncated")

    first = night(db, inbox, quarantine, "-q")
    assert first.exit_code == 3 and first.output.count("quarantined: ") == 3

    second = night(db, inbox, quarantine, "-q")
    assert (second.exit_code, second.output) == (0, "")  # nothing new: nothing to mail
    runs = json.loads(CliRunner().invoke(cli, ["--db", str(db), "runs", "--format", "json"], obj={}).stdout)
    assert runs[0]["still_quarantined"] == 3 and runs[0]["quarantined"] == []
    listed = CliRunner().invoke(cli, ["--db", str(db), "quarantine", "--format", "json"], obj={})
    assert sorted(Path(row["path"]).name for row in json.loads(listed.stdout)) == [
        "empty.pdf",
        "junk.pdf",
        "webpage.pdf",
    ]

    (inbox / "junk.pdf").write_bytes(b"%PDF-1.4 still truncated, but another file")
    third = night(db, inbox, quarantine, "-q")
    assert third.exit_code == 3
    assert "junk.pdf" in third.output and "empty.pdf" not in third.output


def _unit(name: str) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    parser.read_string((DEPLOY / name).read_text(encoding="utf-8"))
    return parser


def test_the_systemd_recipe_tells_someone_when_something_new_fails() -> None:
    ingest = _unit("safeguarding-themes.service")
    assert "SuccessExitStatus" not in ingest["Service"]  # exit 3 (newly quarantined) is a failure
    assert ingest["Unit"]["OnFailure"] == "safeguarding-themes-notify@%n.service"
    notify = _unit("safeguarding-themes-notify@.service")
    assert "mail" in notify["Service"]["ExecStart"] and "journalctl" in notify["Service"]["ExecStart"]
    serve = _unit("safeguarding-themes-serve.service")
    assert "run_pipeline.py serve" in serve["Service"]["ExecStart"] and serve["Service"]["User"] == "themes"


def test_the_cron_recipe_mails_someone() -> None:
    lines = (DEPLOY / "crontab.example").read_text(encoding="utf-8").splitlines()
    assert any(line.startswith("MAILTO=") for line in lines)
    (job,) = [line for line in lines if line and not line.startswith(("#", "MAILTO"))]
    assert " -q ingest " in job


def test_the_deployment_notes_cover_user_folders_venv_units_logs_and_upgrades() -> None:
    notes = (DEPLOY / "README.md").read_text(encoding="utf-8")
    for needed in ("useradd", "python3 -m venv", "safeguarding-themes.timer", "safeguarding-themes-serve",
                   "logs/error-", "## 6. Upgrading", "ingest --retag"):
        assert needed in notes, needed


def test_copies_of_a_bad_file_are_each_named_once_and_listed(tmp_path: Path) -> None:
    """Before: four identical web pages saved as .pdf were reported and listed as one file (the
    first path), while later runs counted four still quarantined."""
    inbox, quarantine, db = tmp_path / "inbox", tmp_path / "quarantine", tmp_path / "w.duckdb"
    inbox.mkdir()
    (inbox / "good.txt").write_text(GOOD, encoding="utf-8")
    names = ["a-birmingham.pdf", "b-blackpool.pdf", "c-bromley.pdf"]
    for name in names:
        (inbox / name).write_text("<!doctype html><html><body>Not found</body></html>", encoding="utf-8")

    first = night(db, inbox, quarantine, "-q")
    assert first.exit_code == 3
    for name in names:
        assert f"quarantined: {inbox / name}" in first.output and f"{name} is a web page" in first.output
    assert len(list(quarantine.iterdir())) == 3

    second = night(db, inbox, quarantine, "-q")
    assert (second.exit_code, second.output) == (0, "")
    listed = CliRunner().invoke(cli, ["--db", str(db), "quarantine", "--format", "json"], obj={})
    assert sorted(Path(row["path"]).name for row in json.loads(listed.stdout)) == names
    runs = json.loads(CliRunner().invoke(cli, ["--db", str(db), "runs", "--format", "json"], obj={}).stdout)
    assert runs[0]["still_quarantined"] == 3
