"""Items 4, 5, 7 and 10 of issue 17: quarantine never destroys or loops; versions never drop live content.

The CLI runs in-process (CliRunner) against a real DuckDB file; files are real text files.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline.cli import cli
from tests.faults.helpers import ROOT, query
from tests.pipeline import pdf_factory

TEXT_A = "Learning review.\n\nThe GP did not share information about the hoarding.\n"
TEXT_B = "Learning review.\n\nThere was a lack of professional curiosity about the bruising.\n"
TEXT_C = "Learning review.\n\nThe family were not involved in the review of the self-neglect.\n"


def _ingest(db: Path, *args: str) -> dict:
    result = CliRunner().invoke(cli, ["--db", str(db), "ingest", *args, "--format", "json"])
    assert result.exit_code in (0, 3), result.output
    return json.loads(result.stdout)


def _counted(db: Path) -> list[str]:
    """Return the text of every document trends count, sorted."""
    rows = query(db, "SELECT t.text FROM current_documents JOIN document_texts t USING (sha256)")
    return sorted(text for (text,) in rows)


def _normalised(text: str) -> str:
    return "\n\n".join(part.strip() for part in text.split("\n\n") if part.strip())


@pytest.fixture
def inbox(tmp_path) -> Path:
    folder = tmp_path / "inbox"
    folder.mkdir()
    return folder


def test_reverting_a_file_a_b_a_counts_a(inbox, tmp_path):
    db, report = tmp_path / "w.duckdb", inbox / "report.txt"
    for text in (TEXT_A, TEXT_B, TEXT_A):
        report.write_text(text, encoding="utf-8")
        _ingest(db, str(inbox))
    assert _counted(db) == [_normalised(TEXT_A)]


def test_a_rename_then_a_new_file_at_the_old_name_counts_both(inbox, tmp_path):
    db = tmp_path / "w.duckdb"
    (inbox / "a.txt").write_text(TEXT_A, encoding="utf-8")
    _ingest(db, str(inbox))
    (inbox / "a.txt").rename(inbox / "b.txt")
    assert _ingest(db, str(inbox))["new"] == 0  # a rename loads nothing
    (inbox / "a.txt").write_text(TEXT_B, encoding="utf-8")
    _ingest(db, str(inbox))
    assert _counted(db) == sorted([_normalised(TEXT_A), _normalised(TEXT_B)])
    (inbox / "b.txt").write_text(TEXT_C, encoding="utf-8")  # the moved file is edited: A is replaced
    _ingest(db, str(inbox))
    assert _counted(db) == sorted([_normalised(TEXT_B), _normalised(TEXT_C)])


def test_identical_files_are_one_document_with_two_paths_until_one_is_edited(inbox, tmp_path):
    db = tmp_path / "w.duckdb"
    (inbox / "one.txt").write_text(TEXT_A, encoding="utf-8")
    (inbox / "two.txt").write_text(TEXT_A, encoding="utf-8")
    assert _ingest(db, str(inbox))["new"] == 1
    assert len(_counted(db)) == 1
    assert query(db, "SELECT count(*) FROM document_paths") == [(2,)]
    (inbox / "one.txt").write_text(TEXT_B, encoding="utf-8")
    _ingest(db, str(inbox))
    assert _counted(db) == sorted([_normalised(TEXT_A), _normalised(TEXT_B)])


def test_an_edit_keeping_size_and_mtime_is_read_again(inbox, tmp_path):
    db, report = tmp_path / "w.duckdb", inbox / "report.txt"
    report.write_text(TEXT_A, encoding="utf-8")
    _ingest(db, str(inbox))
    stat = report.stat()
    report.write_text(TEXT_A.replace("GP", "go"), encoding="utf-8")  # same length
    os.utime(report, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert (report.stat().st_size, report.stat().st_mtime_ns) == (stat.st_size, stat.st_mtime_ns)
    assert _ingest(db, str(inbox))["new"] == 1
    assert _counted(db) == [_normalised(TEXT_A.replace("GP", "go"))]


def test_quarantine_move_never_overwrites_a_file_with_the_same_name(inbox, tmp_path):
    for folder in ("north", "south"):
        (inbox / folder).mkdir()
        pdf_factory.truncated_pdf(inbox / folder / "report.pdf")
    (inbox / "south" / "report.pdf").write_bytes((inbox / "south" / "report.pdf").read_bytes() + b"south")
    originals = sorted(p.read_bytes() for p in inbox.rglob("report.pdf"))
    quarantine = tmp_path / "quarantine"
    options = ["--quarantine-dir", str(quarantine), "--quarantine-action", "move"]
    summary = _ingest(tmp_path / "w.duckdb", str(inbox), *options)
    assert len(summary["quarantined"]) == 2
    assert sorted(p.name for p in quarantine.iterdir()) == ["report-2.pdf", "report.pdf"]
    assert sorted(p.read_bytes() for p in quarantine.iterdir()) == originals
    assert not list(inbox.rglob("*.pdf"))


AS_NOBODY = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]


@pytest.fixture
def open_folder():
    """A folder anybody may enter (pytest's own are private to root), removed afterwards."""
    folder = Path(tempfile.mkdtemp(prefix="issue17-"))
    folder.chmod(0o777)
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


@pytest.mark.skipif(os.geteuid() == 0 and not shutil.which("setpriv"), reason="needs a non-root user")
def test_copy_of_an_unreadable_file_warns_and_the_next_night_is_clean(open_folder):
    inbox = open_folder / "inbox"
    inbox.mkdir(mode=0o777)
    (inbox / "good.txt").write_text(TEXT_A, encoding="utf-8")
    locked = inbox / "locked.txt"
    locked.write_text(TEXT_B, encoding="utf-8")
    locked.chmod(0)
    inbox.chmod(0o777)
    quarantine = open_folder / "quarantine"
    command = [
        sys.executable, str(ROOT / "run_pipeline.py"), "--db", str(open_folder / "w.duckdb"), "ingest",
        str(inbox), "--quarantine-dir", str(quarantine), "--quarantine-action", "copy", "--format", "json",
    ]  # fmt: skip
    if os.geteuid() == 0:  # root reads anything: run as nobody
        command = [*AS_NOBODY, *command]
        if subprocess.run(
            [*AS_NOBODY, sys.executable, str(ROOT / "run_pipeline.py"), "--help"], capture_output=True
        ).returncode:
            pytest.skip("the nobody user cannot run this checkout (it sits in a private folder)")
    nights = [subprocess.run(command, capture_output=True, text=True, cwd=ROOT, timeout=99) for _ in "12"]
    assert nights[0].returncode == 3, nights[0].stderr
    first, second = (json.loads(night.stdout) for night in nights)
    reasons = [(Path(q["path"]).name, q["reason"]) for q in first["quarantined"]]
    assert reasons == [("locked.txt", "unreadable")]
    assert first["new"] == 1 and "could not be copied" in first["warnings"][0]
    assert nights[1].returncode == 0, nights[1].stderr  # reported once, not every night
    assert second["quarantined"] == [] and second["warnings"] == []


def test_a_quarantined_file_is_not_retried_until_it_changes(inbox, tmp_path):
    db, bad = tmp_path / "w.duckdb", inbox / "bad.pdf"
    pdf_factory.truncated_pdf(bad)
    assert len(_ingest(db, str(inbox))["quarantined"]) == 1
    again = _ingest(db, str(inbox))
    assert again["quarantined"] == [] and again["still_quarantined"] == 1
    assert len(_ingest(db, str(inbox), "--retry-quarantined")["quarantined"]) == 1
    bad.write_text(TEXT_A, encoding="utf-8")
    bad.rename(inbox / "fixed.txt")
    assert _ingest(db, str(inbox))["new"] == 1


def test_a_symlink_out_of_the_inbox_is_not_followed_unless_asked(inbox, tmp_path):
    outside = tmp_path / "private"
    outside.mkdir()
    (outside / "secret.txt").write_text(TEXT_B, encoding="utf-8")
    (inbox / "report.txt").write_text(TEXT_A, encoding="utf-8")
    (inbox / "link.txt").symlink_to(outside / "secret.txt")
    (inbox / "inside-link.txt").symlink_to(inbox / "report.txt")
    db = tmp_path / "w.duckdb"
    assert _ingest(db, str(inbox))["new"] == 1
    assert _counted(db) == [_normalised(TEXT_A)]
    assert _ingest(db, str(inbox), "--follow-symlinks")["new"] == 1
    assert len(_counted(db)) == 2
