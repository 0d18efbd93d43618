"""Supervised worker processes that never outlive the run and never let one file stop it.

Why not `ProcessPoolExecutor`: its workers outlive a parent killed with SIGKILL
(re-parented to init, blocked on a pipe), one worker that dies breaks the whole pool,
and a task cannot be stopped. Here each worker:
- dies with its parent: the kernel sends it SIGKILL when the parent dies
  (`PR_SET_PDEATHSIG` on Linux), and a watchdog thread checks the parent pid elsewhere;
- has a hard deadline per file (the soft per-file limit inside the worker plus a grace):
  past it the parent kills the worker, quarantines the file (`timeout`) and starts another;
- that dies on a file (a crash in a C library, the out-of-memory killer) costs only that
  file (`worker_crashed`), not the batch.
Tasks are pulled lazily, one per idle worker, and outcomes come back as they finish.
"""

from __future__ import annotations

import contextlib
import ctypes
import logging
import os
import signal
import threading
import time
from collections.abc import Iterable, Iterator
from multiprocessing import get_context
from multiprocessing.connection import Connection, wait
from multiprocessing.reduction import ForkingPickler
from pathlib import Path
from typing import Any

from pipeline.errors import PipelineError
from pipeline.ingest.outcomes import QuarantinedFile
from pipeline.ingest.workers import Outcome, Task, init_worker, process_task, task_identity, timeout_record
from pipeline.tag.taxonomy import Taxonomy

log = logging.getLogger(__name__)
PR_SET_PDEATHSIG = 1
WATCHDOG_INTERVAL_S = 0.5
HARD_LIMIT_GRACE = 0.25  # the hard deadline is the soft limit plus this share of it ...
HARD_LIMIT_MIN_GRACE_S = 10.0  # ... and at least this many seconds
MAX_STARTUP_FAILURES = 3  # workers dying before any file is done (cannot start): then the run stops
JOIN_TIMEOUT_S = 2.0


def die_with_parent(parent_pid: int) -> None:
    """Make this (forked) process die when `parent_pid` does, however the parent dies."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != parent_pid:  # the parent died before the death signal was set
        os._exit(1)

    def watch() -> None:  # where there is no death signal (macOS), and as a second line
        while os.getppid() == parent_pid:
            time.sleep(WATCHDOG_INTERVAL_S)
        os._exit(1)

    threading.Thread(target=watch, name="parent-watchdog", daemon=True).start()


def _worker_main(
    conn: Connection, parent_pid: int, taxonomy: Taxonomy, classifier: Path | None, limit_s: float | None
) -> None:
    die_with_parent(parent_pid)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # the parent's SIGTERM handler is not ours
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl+C reaches the parent, which stops us
    init_worker(taxonomy, classifier)
    while True:
        try:
            task = conn.recv()
        except (EOFError, OSError):
            return
        if task is None:
            return
        outcome = process_task(task, limit_s)
        try:
            conn.send(outcome)
        except (EOFError, OSError):
            return
        except Exception as error:  # an outcome that cannot be pickled
            path, sha256 = task_identity(task)
            message = f"Unexpected error while returning the file's text ({type(error).__name__})."
            conn.send(QuarantinedFile(path, sha256, "unexpected_error", message))


def hard_limit(time_limit_s: float | None) -> float:
    """Return the seconds after which a file's worker is killed: the soft limit plus a grace."""
    if not time_limit_s:
        return float("inf")
    return time_limit_s + max(HARD_LIMIT_MIN_GRACE_S, HARD_LIMIT_GRACE * time_limit_s)


class _Worker:
    """One worker process and the parent's end of its pipe."""

    def __init__(self, args: tuple[Any, ...]) -> None:
        context = get_context("fork")
        self.conn, child = context.Pipe()
        self.process = context.Process(target=_worker_main, args=(child, *args), daemon=True)
        self.process.start()
        child.close()
        self.task: Task | None = None
        self.deadline = 0.0

    def stop(self, *, kill: bool) -> None:
        """End the process: politely (end of tasks) or at once."""
        if not kill:
            with contextlib.suppress(OSError, ValueError):
                self.conn.send(None)
            self.process.join(JOIN_TIMEOUT_S)
        if self.process.is_alive():
            self.process.kill()
            self.process.join(JOIN_TIMEOUT_S)
        self.conn.close()


class WorkerPool:
    """Up to `size` supervised worker processes, started on demand and stopped on exit."""

    def __init__(
        self, size: int, taxonomy: Taxonomy, classifier: Path | None, *, time_limit_s: float | None
    ) -> None:
        """Remember what each worker is built from; no process starts before a task needs one."""
        self.size = size
        self.time_limit_s = time_limit_s
        self.args = (os.getpid(), taxonomy, classifier, time_limit_s)
        self.idle: list[_Worker] = []
        self.busy: list[_Worker] = []
        self.crashes = 0
        self.finished_any = False
        self.started = False

    def __enter__(self) -> WorkerPool:
        """Use the pool in a with block, so its processes end whatever happens."""
        return self

    def __exit__(self, *exc_info: object) -> None:
        """Stop every worker: politely after a clean run, at once after an error."""
        self.close(kill=exc_info[0] is not None)

    def close(self, *, kill: bool = True) -> None:
        """Stop every worker process."""
        for worker in self.idle + self.busy:
            worker.stop(kill=kill or worker in self.busy)
        self.idle, self.busy = [], []

    def _assign(self, task: Task) -> None:
        if not self.idle and not self.busy and not self.started:
            init_worker(*self.args[1:3])  # built once here, inherited by every forked worker
            self.started = True
        worker = self.idle.pop() if self.idle else _Worker(self.args)
        worker.task, worker.deadline = task, time.monotonic() + hard_limit(self.time_limit_s)
        self.busy.append(worker)
        with contextlib.suppress(OSError):  # it died before reading: its sentinel says so
            worker.conn.send(task)

    def map_unordered(self, tasks: Iterable[Task]) -> Iterator[tuple[Task, Outcome]]:
        """Yield (task, outcome) for every task as workers finish them; a failure is an outcome.

        A worker that finishes gets its next task before its outcome is unpickled and handed on,
        so it never waits while the parent decodes or the caller writes (a commit, with its
        checkpoint, takes a tenth of a second).
        """
        pending = iter(tasks)
        self._fill(pending)
        while self.busy:
            finished = list(self._collect())
            self._fill(pending)
            for task, outcome in finished:
                yield task, ForkingPickler.loads(outcome) if isinstance(outcome, bytes) else outcome

    def _fill(self, pending: Iterator[Task]) -> None:
        """Give every free worker slot a task, while tasks remain."""
        while len(self.busy) < self.size:
            task = next(pending, None)
            if task is None:
                return
            self._assign(task)

    def _collect(self) -> Iterator[tuple[Task, Outcome | bytes]]:
        """Yield each finished task with its outcome (still pickled) or the failure that ended it."""
        now = time.monotonic()
        timeout = max(0.0, min(worker.deadline for worker in self.busy) - now)
        waitables: list[Any] = [w.conn for w in self.busy] + [w.process.sentinel for w in self.busy]
        ready = set(wait(waitables, timeout=min(timeout, 3600.0)))
        for worker in list(self.busy):
            assert worker.task is not None
            task = worker.task
            if worker.conn in ready:
                outcome = self._receive(worker)
                if outcome is not None:
                    yield task, outcome
                    continue
            if worker.conn in ready or worker.process.sentinel in ready:
                yield task, self._crashed(worker)
            elif time.monotonic() >= worker.deadline:
                self._retire(worker)
                yield task, timeout_record(task, self.time_limit_s or 0)

    def _receive(self, worker: _Worker) -> bytes | None:
        """Return a worker's pickled outcome (None: its end of the pipe is gone), and free the worker."""
        try:
            outcome = worker.conn.recv_bytes()
        except (EOFError, OSError):
            return None
        self.busy.remove(worker)
        self.idle.append(worker)
        worker.task = None
        self.finished_any = True
        return outcome

    def _crashed(self, worker: _Worker) -> QuarantinedFile:
        assert worker.task is not None
        path, sha256 = task_identity(worker.task)
        worker.process.join(JOIN_TIMEOUT_S)
        code = worker.process.exitcode
        self._retire(worker)
        self.crashes += 1
        if not self.finished_any and self.crashes > MAX_STARTUP_FAILURES:
            raise PipelineError(
                f"The worker processes keep stopping (last exit code {code}); "
                "run with --workers 1 -v to see why."
            )
        how = f"was killed by signal {-code}" if code is not None and code < 0 else f"exited ({code})"
        message = (
            f"The process reading this file stopped unexpectedly (it {how}, for example out of memory). "
            "The rest of the batch was loaded."
        )
        log.warning("worker for %s %s", path, how)
        return QuarantinedFile(path, sha256, "worker_crashed", message)

    def _retire(self, worker: _Worker) -> None:
        self.busy.remove(worker)
        worker.stop(kill=True)
