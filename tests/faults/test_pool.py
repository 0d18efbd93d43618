"""The worker pool keeps its workers busy: a finished worker has its next file while the caller writes."""

from __future__ import annotations

import hashlib
from pathlib import Path

from pipeline.ingest.outcomes import SourceFile
from pipeline.ingest.pool import WorkerPool
from pipeline.records import TaggedDocument
from pipeline.tag.taxonomy import load_taxonomy

SAMPLE = Path(__file__).resolve().parents[2] / "corpus" / "sample"


def _source(path: Path) -> SourceFile:
    return SourceFile(path, hashlib.sha256(path.read_bytes()).hexdigest(), None)


def test_a_finished_worker_starts_its_next_file_before_the_outcome_is_handed_on() -> None:
    files = sorted(SAMPLE.glob("*.pdf"))[:3]
    with WorkerPool(1, load_taxonomy(), None, time_limit_s=60) as pool:
        outcomes = pool.map_unordered(_source(path) for path in files)
        first_task, first = next(outcomes)
        # The caller holds the first outcome (a commit would run here); the worker reads the second file.
        assert [worker.task.path for worker in pool.busy] == [files[1]]
        rest = list(outcomes)
    assert [task.path for task, _ in [(first_task, first), *rest]] == files
    assert all(isinstance(outcome, TaggedDocument) for outcome in [first, *(o for _, o in rest)])
    assert pool.busy == [] and pool.idle == []
