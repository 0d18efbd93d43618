"""`ingest --executor ray`: extraction, OCR and tagging per document as Ray tasks.

Optional (`pip install -e ".[cluster]"`). The same interface as `pool.WorkerPool`
(a context manager with `map_unordered`), so the orchestrator, the BatchWriter and
its group commits are unchanged: this process stays the single DuckDB writer and
outcomes stream back as tasks finish. A task carries the file's path (a shared folder
every worker sees at the same path) or, with `send_bytes`, the file's bytes, and returns
the same picklable `TaggedDocument` or `QuarantinedFile` a worker process does. A task that
fails (a worker killed, a node lost, an error Ray raises) quarantines its file; one past
the hard per-file deadline is cancelled (its worker killed) and quarantined (`timeout`),
as in the process pool. A driver killed mid-run leaves only whole committed batches, and
the local Ray instance it started goes with it (`ray_reaper.py`).
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pipeline.errors import ExtractionError, UsageError
from pipeline.extract.document import ExtractSettings, check_size_and_hash
from pipeline.ingest.outcomes import QuarantinedFile, SourceFile
from pipeline.ingest.pool import hard_limit
from pipeline.ingest.ray_reaper import LocalInstanceReaper
from pipeline.ingest.workers import Outcome, Task, init_worker, process_task, task_identity, timeout_record
from pipeline.tag.taxonomy import Taxonomy

INSTALL_HINT = 'The Ray executor needs the cluster extra: pip install -e ".[cluster]"'
_initialised: tuple[str, Path | None] | None = None


class FileNotOnWorker(Exception):  # noqa: N818 - a setup problem that stops the run, reported as usage
    """A worker on another machine does not see the file at the driver's path."""


def _run_task(
    taxonomy: Taxonomy,
    classifier: Path | None,
    limit_s: float | None,
    task: Task,
    sent: bytes | None,
    driver_node: str | None,
) -> Outcome:
    """Ray task body: build this worker process's tagger once, then extract and tag one file.

    `sent`: the file's bytes, read from a private copy. `driver_node`: by path, the node of
    the driver, so a file missing on another node stops the run instead of quarantining.
    """
    global _initialised
    key = (taxonomy.version, classifier)
    if _initialised != key:
        init_worker(taxonomy, classifier)
        _initialised = key
    if sent is None:
        if driver_node is not None and isinstance(task, SourceFile):
            _check_visible(task.path, driver_node)
        return process_task(task, limit_s)
    assert isinstance(task, SourceFile)
    with tempfile.TemporaryDirectory(prefix="themes-sent-") as folder:
        copy = Path(folder) / task.path.name  # the same name: metadata is inferred from it
        copy.write_bytes(sent)
        return process_task(task, limit_s, read_from=copy)


def _check_visible(path: Path, driver_node: str) -> None:
    import ray

    node = ray.get_runtime_context().get_node_id()
    if node != driver_node and not path.exists():
        raise FileNotOnWorker(
            f"A Ray worker on another machine cannot see {path}. Give every machine the folder at "
            "the same path (a shared mount), or run with --send-bytes to send each file's bytes."
        )


@dataclass
class _InFlight:
    task: Task
    deadline: float  # hard per-file deadline (monotonic seconds)
    cancelled: bool = False  # past the deadline: quarantined, waiting for Ray to end it


class RayPool:
    """Run tasks on a Ray cluster (`address`) or a local Ray instance limited to `workers` CPUs."""

    def __init__(
        self,
        workers: int,
        taxonomy: Taxonomy,
        classifier_path: Path | None,
        *,
        time_limit_s: float | None = None,
        address: str | None = None,
        send_bytes: bool = False,
    ) -> None:
        """Remember what every task needs; Ray starts (or is joined) on enter."""
        self.workers = workers
        self.taxonomy = taxonomy
        self.classifier_path = classifier_path
        self.time_limit_s = time_limit_s
        self.address = address
        self.send_bytes = send_bytes
        self._ray: Any = None
        self._started = False
        self._reaper: LocalInstanceReaper | None = None

    def __enter__(self) -> RayPool:
        try:
            import ray
        except ImportError:
            raise UsageError(INSTALL_HINT) from None
        self._ray = ray
        if not ray.is_initialized():
            options: dict[str, Any] = {"include_dashboard": False, "log_to_driver": False}
            if self.address:
                ray.init(address=self.address, **options)
            else:
                self._reaper = LocalInstanceReaper()
                with self._reaper.starting() as local_options:
                    ray.init(num_cpus=self.workers, **options, **local_options)
            self._started = True
        return self

    def __exit__(self, *exc_info: object) -> None:
        if self._started:
            self._ray.shutdown()
            self._started = False
        if self._reaper is not None:
            self._reaper.close()
            self._reaper = None

    def _slots(self) -> int:
        """Tasks in flight: one per CPU, so a task starts when sent and its deadline counts from then."""
        if not self.address:
            return max(self.workers, 1)
        return max(int(self._ray.cluster_resources().get("CPU", self.workers)), 1)

    def map_unordered(self, tasks: Iterable[Task]) -> Iterator[tuple[Task, Outcome]]:
        """Yield (task, outcome) as tasks finish; past its hard deadline a task is cancelled."""
        ray = self._ray
        remote = ray.remote(num_cpus=1, max_retries=0)(_run_task)
        driver_node = None if self.send_bytes else ray.get_runtime_context().get_node_id()
        shared = [ray.put(self.taxonomy), self.classifier_path, self.time_limit_s]
        slots, pending = self._slots(), dict[Any, _InFlight]()
        queue = iter(tasks)
        while True:
            while len(pending) < slots and (task := next(queue, None)) is not None:
                sent = self._read(task)
                if isinstance(sent, QuarantinedFile):
                    yield task, sent
                    continue
                ref = remote.remote(*shared, task, sent, driver_node)
                pending[ref] = _InFlight(task, time.monotonic() + hard_limit(self.time_limit_s))
            if not pending:
                return
            yield from self._collect(pending)

    def _read(self, task: Task) -> bytes | QuarantinedFile | None:
        """With `send_bytes`, the file's bytes, after the size checks a worker would make."""
        if not self.send_bytes or not isinstance(task, SourceFile):
            return None
        try:
            check_size_and_hash(task.path, ExtractSettings(ocr=task.ocr), task.sha256)
            return task.path.read_bytes()
        except ExtractionError as error:
            return QuarantinedFile(str(task.path), task.sha256, error.reason, str(error))
        except OSError:
            return None  # gone since it was hashed: the worker reports it as any executor does

    def _collect(self, pending: dict[Any, _InFlight]) -> Iterator[tuple[Task, Outcome]]:
        deadline = min((e.deadline for e in pending.values() if not e.cancelled), default=float("inf"))
        timeout = max(0.0, deadline - time.monotonic()) if deadline < float("inf") else None
        done, _ = self._ray.wait(list(pending), num_returns=1, timeout=timeout)
        for ref in done:
            entry = pending.pop(ref)
            if not entry.cancelled:
                yield entry.task, self._outcome(ref, entry.task)
        now = time.monotonic()
        for ref, entry in pending.items():
            if not entry.cancelled and now >= entry.deadline:
                self._ray.cancel(ref, force=True)  # kills its worker; Ray starts another
                entry.cancelled = True  # holds its slot until Ray reports it ended
                yield entry.task, timeout_record(entry.task, self.time_limit_s or 0)

    def _outcome(self, ref: Any, task: Task) -> Outcome:
        try:
            outcome: Outcome = self._ray.get(ref)
        except Exception as error:  # the task, its worker or its node failed: quarantine the file
            if isinstance(getattr(error, "cause", None), FileNotOnWorker):
                raise UsageError(str(error.cause)) from None  # type: ignore[attr-defined]
            path, sha256 = task_identity(task)
            message = f"The Ray task reading this file failed ({type(error).__name__}); it was not loaded."
            outcome = QuarantinedFile(path, sha256, "worker_crashed", message)
        return outcome
