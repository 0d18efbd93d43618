"""A SIGTERM whose exception Python discarded (it landed in a finalizer) still stops the run."""

from __future__ import annotations

import contextlib
import signal

import pytest

from pipeline.errors import IngestStopped
from pipeline.ingest import orchestrator
from pipeline.ingest.outcomes import IngestSettings
from tests.faults.helpers import query, sample_inbox


def test_a_stop_whose_exception_was_lost_still_marks_the_run_interrupted(tmp_path, monkeypatch) -> None:
    inbox = sample_inbox(tmp_path / "inbox", 3)
    db = tmp_path / "stopped.duckdb"
    process_new = orchestrator._process_new

    def process_and_lose_a_stop(*args) -> None:
        process_new(*args)
        with contextlib.suppress(IngestStopped):  # as Python does when the handler runs in a __del__
            signal.raise_signal(signal.SIGTERM)

    monkeypatch.setattr(orchestrator, "_process_new", process_and_lose_a_stop)
    with pytest.raises(IngestStopped, match="stopped"):
        orchestrator.ingest(IngestSettings(paths=(inbox,), db_path=db, workers=1, classifier_path=None))
    assert query(db, "SELECT status FROM runs") == [("interrupted",)]
    # what was committed stays, and SIGTERM has its own handler back
    assert query(db, "SELECT count(*) FROM documents") == [(3,)]
    assert signal.getsignal(signal.SIGTERM) is not signal.SIG_IGN
