"""Worker side of ingest: extract and tag one file, never raising for a bad one.

Every failure while reading or tagging one file (a library error, a size limit,
the per-document time limit, a codebook regex over its time bound) becomes a
`QuarantinedFile` with a reason, so one file can never stop the batch. Workers
run in the supervised processes of `ingest/pool.py`; the parent is the single writer.
"""

from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from pipeline.errors import ExtractionError, RegexTimeoutError
from pipeline.extract import document as extract
from pipeline.ingest.inbox import apply_manifest
from pipeline.ingest.outcomes import QuarantinedFile, RetagTask, SourceFile
from pipeline.records import TaggedDocument
from pipeline.tag.tagger import VersionedTagger
from pipeline.tag.taxonomy import Taxonomy

Task = SourceFile | RetagTask
Outcome = TaggedDocument | QuarantinedFile
TIMEOUT_REPEAT_S = 0.5  # after the time limit, the alarm fires again this often until the file stops

_worker_tagger: VersionedTagger | None = None
_worker_key: tuple[str, str, str, int, int] | None = None


class DocumentTimeout(Exception):  # noqa: N818 - raised by the alarm, never seen by users
    """The per-document time limit ran out."""


def init_worker(taxonomy: Taxonomy, classifier_path: Path | None) -> None:
    """Build the tagger this process uses for every file, unless it has it already.

    The pool calls this in the parent before it forks the first worker, so every worker
    (and any that replaces one that died) inherits the built tagger instead of spending
    a second or more building its own.
    """
    # Workers get the parent's loaded taxonomy, never re-read the files: an edit
    # during a run must not tag documents with a version the run did not activate.
    global _worker_tagger, _worker_key
    key = _tagger_key(taxonomy, classifier_path)
    if _worker_tagger is None or _worker_key != key:
        _worker_tagger = VersionedTagger(taxonomy, classifier_path)
        _worker_key = key


def _tagger_key(taxonomy: Taxonomy, classifier_path: Path | None) -> tuple[str, str, str, int, int]:
    """Return what a built tagger depends on: the codebook's content and the model file."""
    codebook = (taxonomy.human_version, taxonomy.content_hash)
    if classifier_path is None:
        return *codebook, "", 0, 0
    try:
        stat = classifier_path.stat()
    except OSError:
        return *codebook, str(classifier_path), -1, -1  # VersionedTagger reports the missing file
    return *codebook, str(classifier_path), stat.st_mtime_ns, stat.st_size


def task_identity(task: Task) -> tuple[str, str | None]:
    """Return the (path, sha256) a quarantine record of this task names."""
    if isinstance(task, RetagTask):
        return str(task.document.path), task.document.sha256
    return str(task.path), task.sha256


@contextlib.contextmanager
def time_limit(seconds: float | None) -> Iterator[None]:
    """Raise DocumentTimeout in the enclosed code after `seconds` (main thread only; else no limit)."""
    if not seconds or threading.current_thread() is not threading.main_thread():
        yield
        return

    def expire(signum: int, frame: Any) -> None:
        raise DocumentTimeout

    previous = signal.signal(signal.SIGALRM, expire)
    # Fires again until the block ends: Python drops an exception raised while a finalizer runs
    # ("Exception ignored in ... __del__"), and one lost timeout would let the file run on unbounded.
    signal.setitimer(signal.ITIMER_REAL, seconds, TIMEOUT_REPEAT_S)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def timeout_record(task: Task, seconds: float) -> QuarantinedFile:
    """Return the quarantine record of a file that took longer than the time limit."""
    path, sha256 = task_identity(task)
    message = (
        f"Reading and tagging this file took more than {seconds:.0f} s (the per-file --time-limit), "
        "so it was stopped. Check it is a real report; raise --time-limit if it is just very long."
    )
    return QuarantinedFile(path, sha256, "timeout", message)


def process_task(task: Task, time_limit_s: float | None = None, *, read_from: Path | None = None) -> Outcome:
    """Extract (unless re-tagging) and tag one file; never raise for a bad file (it is quarantined).

    `read_from`: a copy of the file's bytes to read instead of `task.path` (sent to a Ray
    worker that does not see the folder); the document still records `task.path`.
    """
    path, sha256 = task_identity(task)
    try:
        with time_limit(time_limit_s):
            return _process(task, read_from)
    except DocumentTimeout:
        return timeout_record(task, time_limit_s or 0)
    except ExtractionError as error:
        return QuarantinedFile(path, sha256, error.reason, str(error))
    except RegexTimeoutError as error:
        return QuarantinedFile(path, sha256, "regex_timeout", str(error))
    except MemoryError:
        message = "The file needed more memory than this computer has; split it into smaller files."
        return QuarantinedFile(path, sha256, "too_large", message)
    except Exception as error:  # a library failure we did not foresee must not stop the batch
        stage = "tagging" if isinstance(task, RetagTask) else "reading or tagging"
        message = f"Unexpected error while {stage} the file ({type(error).__name__}: {error})."
        return QuarantinedFile(path, sha256, "unexpected_error", message[:2000])


def process_file(source: SourceFile) -> Outcome:
    """Extract and tag one file with no time limit (the in-process entry point)."""
    return process_task(source)


def _process(task: Task, read_from: Path | None) -> TaggedDocument:
    assert _worker_tagger is not None, "call init_worker first"
    if isinstance(task, RetagTask):
        return _worker_tagger.tag_document(task.document)
    settings = extract.ExtractSettings(ocr=task.ocr)
    document = extract.extract_document(read_from or task.path, settings=settings, sha256=task.sha256)
    document.metadata = apply_manifest(document.metadata, task.manifest_row)
    document.metadata_source = "manifest" if task.manifest_row else "inferred"
    document.path = task.path
    return _worker_tagger.tag_document(document)
