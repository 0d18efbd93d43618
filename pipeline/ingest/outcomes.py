"""What an ingest is asked to do, and what comes of each file and of the run."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from pipeline.errors import ExitCode, UsageError
from pipeline.ingest.inbox import ManifestRow
from pipeline.records import ExtractedDocument

DEFAULT_WRITER_WAIT_S = 60.0
DEFAULT_TIME_LIMIT_S = 300.0  # per file: a 300-page report takes about 10 s


FLUSH_MAX_DOCUMENTS = 64


QUARANTINE_ACTIONS = ("none", "copy", "move")


@dataclass(frozen=True)
class IngestSettings:
    """What `ingest` was asked to do."""

    paths: tuple[Path, ...]
    db_path: Path
    manifest: Path | None = None
    workers: int = 1
    retag: bool = False
    wait_s: float = DEFAULT_WRITER_WAIT_S
    quarantine_dir: Path | None = None
    quarantine_action: str = "none"
    show_progress: bool = False
    taxonomy_path: Path | None = None
    classifier_path: Path | None = None  # None: rules only
    commit_every: int = FLUSH_MAX_DOCUMENTS  # documents per transaction at most
    retry_quarantined: bool = False  # read files quarantined before even if unchanged
    sample_if_new: bool = False  # `run`: the sample corpus when no folder is named and the warehouse is new
    follow_symlinks: bool = False  # follow links that point outside the scanned folders
    time_limit_s: float | None = DEFAULT_TIME_LIMIT_S  # per file; None: no limit
    ocr: bool = False  # OCR pages without a text layer (pipeline.extract.ocr; needs Tesseract)
    executor: str = "processes"  # processes | ray (ingest/ray_pool.py, the [cluster] extra)
    address: str | None = None  # the Ray cluster to join; None: a local Ray instance of `workers` CPUs
    send_bytes: bool = False  # Ray tasks carry each file's bytes (workers without the shared folder)

    def __post_init__(self) -> None:
        if self.workers < 1:
            raise UsageError("--workers must be at least 1")
        if self.time_limit_s is not None and self.time_limit_s <= 0:
            raise UsageError("--time-limit must be a positive number of seconds")
        if self.executor not in ("processes", "ray"):
            raise UsageError("--executor must be processes or ray")
        if (self.send_bytes or self.address) and self.executor != "ray":
            raise UsageError("--address and --send-bytes go with --executor ray")
        if self.commit_every < 1:
            raise UsageError("--commit-every must be at least 1")
        if self.quarantine_action not in QUARANTINE_ACTIONS:
            raise UsageError(f"quarantine action must be one of {', '.join(QUARANTINE_ACTIONS)}")
        if self.quarantine_action != "none" and self.quarantine_dir is None:
            raise UsageError("--quarantine-dir is needed to copy or move quarantined files")


@dataclass(frozen=True)
class SourceFile:
    """A file to ingest, with its hash and any manifest row."""

    path: Path
    sha256: str
    manifest_row: ManifestRow | None
    also_at: tuple[Path, ...] = ()  # other paths holding the same content (one document, all paths)
    ocr: bool = False  # OCR its pages that have no text layer


@dataclass(frozen=True)
class RetagTask:
    """A stored document to re-tag with the run's codebook (no re-extraction)."""

    document: ExtractedDocument


@dataclass(frozen=True)
class QuarantinedFile:
    """A file that could not be loaded, and why, in words a learning lead understands."""

    path: str
    sha256: str | None
    reason: str
    message: str


@dataclass
class RunSummary:
    """The morning summary of one ingest."""

    run_id: int
    taxonomy_version: str
    seen: int = 0
    new: int = 0
    skipped: int = 0
    retagged: int = 0
    pages: int = 0
    quarantined: list[QuarantinedFile] = field(default_factory=list)
    still_quarantined: int = 0  # skipped: quarantined before and unchanged since
    warnings: list[str] = field(default_factory=list)
    folders: list[str] = field(default_factory=list)  # what was scanned (named, or remembered)
    corrected: int = 0  # metadata fields of stored documents a manifest changed
    duration_s: float = 0.0

    @property
    def pages_per_s(self) -> float:
        """Return pages extracted per second of the whole run."""
        return self.pages / self.duration_s if self.duration_s > 0 else 0.0

    @property
    def exit_code(self) -> ExitCode:
        """Return 3 when any file was quarantined, else 0."""
        return ExitCode.QUARANTINED if self.quarantined else ExitCode.OK

    def as_dict(self) -> dict:
        """Return the JSON shape of the summary."""
        return {
            "run_id": self.run_id,
            "taxonomy_version": self.taxonomy_version,
            "seen": self.seen,
            "new": self.new,
            "skipped": self.skipped,
            "retagged": self.retagged,
            "quarantined": [q.__dict__ for q in self.quarantined],
            "still_quarantined": self.still_quarantined,
            "warnings": self.warnings,
            "folders": self.folders,
            "corrected": self.corrected,
            "pages": self.pages,
            "duration_s": round(self.duration_s, 3),
            "pages_per_s": round(self.pages_per_s, 1),
        }
