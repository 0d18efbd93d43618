"""Item 6 of issue 17: a killed `ingest --retag` never deflates trends; readers keep reading during it.

Real subprocesses over the sample corpus; the codebook is a private copy that the test edits.
"""

from __future__ import annotations

import json
import signal
import subprocess
import time

import duckdb
import pytest

from tests.faults.helpers import ROOT, cli, copy_codebook, query, run, sample_inbox

pytestmark = pytest.mark.slow


def _add_term(taxonomy, theme: str, term: str) -> None:
    for path in taxonomy.glob("themes-*.toml"):
        text = path.read_text(encoding="utf-8")
        header = f"[themes.{theme}]"
        if header in text:
            before, after = text.split(header, 1)
            path.write_text(before + header + after.replace("terms = [", f'terms = [\n  "{term}",', 1))
            return
    raise AssertionError(theme)


def _trends(db) -> list[dict]:
    result = run(db, "trends", "--format", "json")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def _current_mentions(db) -> int:
    return query(db, "SELECT count(*) FROM current_mentions")[0][0]


@pytest.fixture(scope="module")
def retagged(tmp_path_factory):
    """Old trends, new trends (after a clean re-tag) and how long a clean re-tag takes."""
    base = tmp_path_factory.mktemp("retag")
    inbox = sample_inbox(base / "inbox", 40)
    taxonomy = copy_codebook(base)
    db = base / "clean.duckdb"
    assert run(db, "ingest", str(inbox), taxonomy=taxonomy).returncode == 0
    old = (_trends(db), _current_mentions(db))
    _add_term(taxonomy, "fire_risk", "practitioner")
    started = time.monotonic()
    assert run(db, "ingest", "--retag", str(inbox), "--workers", "2", taxonomy=taxonomy).returncode == 0
    duration = time.monotonic() - started
    return base, inbox, old, (_trends(db), _current_mentions(db)), duration


def _fresh_copy(base, inbox, name):
    taxonomy = copy_codebook(base / name)
    db = base / f"{name}.duckdb"
    assert run(db, "ingest", str(inbox), taxonomy=taxonomy).returncode == 0
    _add_term(taxonomy, "fire_risk", "practitioner")
    return db, taxonomy


def _wait_until_staged(db, process: subprocess.Popen, timeout_s: float) -> None:
    """Wait until the re-tag has committed its first staged documents (or has ended).

    Killed before that, a re-tag has written nothing, so there is nothing for a plain run to
    resume (it asks for `ingest --retag` again): on a loaded machine, start-up alone can outlast
    a fixed share of the clean run's duration.
    """
    deadline = time.monotonic() + timeout_s
    while process.poll() is None and time.monotonic() < deadline:
        try:
            if query(db, "SELECT count(*) FROM retag_documents")[0][0]:
                return
        except duckdb.Error:  # the re-tag holds the file while it commits
            pass
        time.sleep(0.05)


@pytest.mark.parametrize("share", [0.45, 0.7])
def test_a_killed_retag_leaves_trends_as_they_were_and_the_next_plain_run_completes_it(retagged, share):
    base, inbox, old, new, duration = retagged
    assert new != old, "the codebook edit changed nothing to re-tag"
    db, taxonomy = _fresh_copy(base, inbox, f"killed-{share}")
    options = ("--workers", "2", "--commit-every", "2")
    command = cli(db, "ingest", "--retag", str(inbox), *options, taxonomy=taxonomy)
    started = time.monotonic()
    process = subprocess.Popen(command, cwd=ROOT, stderr=subprocess.DEVNULL)
    _wait_until_staged(db, process, timeout_s=60)
    time.sleep(max(0.0, started + share * duration - time.monotonic()))
    process.send_signal(signal.SIGKILL)
    process.wait()
    after_kill = (_trends(db), _current_mentions(db))
    assert after_kill in (old, new), "a killed re-tag changed trends halfway"
    resumed = run(db, "ingest", str(inbox), "--format", "json", taxonomy=taxonomy)  # no --retag
    assert resumed.returncode == 0, resumed.stderr
    assert (_trends(db), _current_mentions(db)) == new
    versions = query(db, "SELECT DISTINCT taxonomy_version FROM mentions")
    assert versions == query(db, "SELECT version FROM active_taxonomy")


def test_readers_keep_reading_during_a_retag(retagged):
    base, inbox, old, new, _ = retagged
    db, taxonomy = _fresh_copy(base, inbox, "readers")
    command = cli(db, "ingest", "--retag", str(inbox), taxonomy=taxonomy)
    process = subprocess.Popen(command, cwd=ROOT, stderr=subprocess.DEVNULL)
    pages = []
    while process.poll() is None:  # the dashboard waits 5 s at most for the warehouse, then 503
        page = run(db, "serve", "--get", "/heatmap?format=json")
        assert page.returncode == 0, page.stderr
        pages.append(page)
    assert process.returncode == 0
    assert pages and (_trends(db), _current_mentions(db)) == new
