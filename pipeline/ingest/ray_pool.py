"""`ingest --executor ray`: extraction, OCR and tagging per document as Ray tasks.

Optional (`pip install -e ".[cluster]"`). The same interface as `pool.WorkerPool`
(a context manager with `map_unordered`), so the orchestrator, the BatchWriter and
its group commits are unchanged: this process stays the single DuckDB writer and
outcomes stream back as tasks finish. Tasks carry the file's path (a path every
worker can read: a shared folder on a cluster) and return the same picklable
`TaggedDocument` or `QuarantinedFile` a worker process does; a task that fails
(a worker killed, a node lost, an error Ray raises) quarantines its file. A driver
killed mid-run leaves only whole committed batches, like the process executor, and the
local Ray instance it started goes with it (`ray_reaper.py`).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from pipeline.errors import UsageError
from pipeline.ingest.outcomes import QuarantinedFile
from pipeline.ingest.ray_reaper import LocalInstanceReaper
from pipeline.ingest.workers import Outcome, Task, init_worker, process_task, task_identity
from pipeline.tag.taxonomy import Taxonomy

IN_FLIGHT_PER_CPU = 2  # tasks queued per CPU, so workers never wait for the driver
INSTALL_HINT = 'The Ray executor needs the cluster extra: pip install -e ".[cluster]"'
_initialised: tuple[str, Path | None] | None = None


def _run_task(taxonomy: Taxonomy, classifier: Path | None, limit_s: float | None, task: Task) -> Outcome:
    """Ray task body: build this worker process's tagger once, then extract and tag one file."""
    global _initialised
    key = (taxonomy.version, classifier)
    if _initialised != key:
        init_worker(taxonomy, classifier)
        _initialised = key
    return process_task(task, limit_s)


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
    ) -> None:
        """Remember what every task needs; Ray starts (or is joined) on enter."""
        self.workers = workers
        self.taxonomy = taxonomy
        self.classifier_path = classifier_path
        self.time_limit_s = time_limit_s
        self.address = address
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

    def map_unordered(self, tasks: Iterable[Task]) -> Iterator[tuple[Task, Outcome]]:
        """Yield (task, outcome) as tasks finish, keeping a few tasks per CPU in flight."""
        ray = self._ray
        remote = ray.remote(num_cpus=1, max_retries=0)(_run_task)
        shared = [ray.put(self.taxonomy), self.classifier_path, self.time_limit_s]
        limit = max(self.workers, 1) * IN_FLIGHT_PER_CPU
        pending: dict[Any, Task] = {}
        queue = iter(tasks)
        for task in queue:
            pending[remote.remote(*shared, task)] = task
            if len(pending) >= limit:
                yield from self._collect(pending)
        while pending:
            yield from self._collect(pending)

    def _collect(self, pending: dict[Any, Task]) -> Iterator[tuple[Task, Outcome]]:
        done, _ = self._ray.wait(list(pending), num_returns=1)
        for ref in done:
            task = pending.pop(ref)
            try:
                outcome = self._ray.get(ref)
            except Exception as error:  # the task, its worker or its node failed: quarantine the file
                path, sha256 = task_identity(task)
                message = (
                    f"The Ray task reading this file failed ({type(error).__name__}); it was not loaded."
                )
                outcome = QuarantinedFile(path, sha256, "worker_crashed", message)
            yield task, outcome
