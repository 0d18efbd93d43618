"""Ingest: the orchestrator. Reads like a table of contents of the pipeline.

    find files -> hash (skip known) -> extract + tag (worker processes) -> load (single writer)

Guarantees, whatever happens (a corrupt file, a kill, a second ingest):
- each document commits with its blocks, sentences and mentions or not at all;
- files already in the warehouse (same sha256) are skipped, so a rerun completes
  a killed run without duplicating anything;
- a file that cannot be read is quarantined with a reason and the batch goes on;
- one writer at a time (a lock file); readers get in between the writer's batches.
"""

from __future__ import annotations

import json
import shutil
import time
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field, replace
from multiprocessing import get_context
from pathlib import Path

import duckdb
import pyarrow as pa

from pipeline import extract
from pipeline.errors import ExitCode, ExtractionError, UsageError
from pipeline.inbox import ManifestRow, apply_manifest, find_files, find_manifests, sha256_file
from pipeline.load import load_documents, read_document, replace_tagging
from pipeline.progress import progress_bar
from pipeline.records import ExtractedDocument, TaggedDocument
from pipeline.tag import ThemeTagger
from pipeline.taxonomy import Taxonomy, load_taxonomy
from warehouse.db import connect_write, run_statement, writer_lock

DEFAULT_WRITER_WAIT_S = 60.0
# The writer closes the database between batches so read-only queries can open it.
FLUSH_INTERVAL_S = 2.0
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

    def __post_init__(self) -> None:
        if self.workers < 1:
            raise UsageError("--workers must be at least 1")
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
            "pages": self.pages,
            "duration_s": round(self.duration_s, 3),
            "pages_per_s": round(self.pages_per_s, 1),
        }


# ---------------------------------------------------------------- worker side


def tagging_version(taxonomy: Taxonomy, classifier_path: Path | None) -> str:
    """Return the version stamped on mentions: the taxonomy's, plus the classifier's name when combined.

    Turning the classifier on or off so changes the version, and trends never mix
    documents tagged with and without it (`ingest --retag` brings them in line).
    """
    return taxonomy.version if classifier_path is None else f"{taxonomy.version}+{classifier_path.stem}"


class DocumentTagger:
    """The rules, optionally combined with the trained classifier."""

    def __init__(self, taxonomy: Taxonomy, classifier_path: Path | None = None) -> None:
        self.rules = ThemeTagger(taxonomy)
        self.classifier = None
        if classifier_path is not None:
            from pipeline.classify import load_classifier  # scikit-learn only when asked for

            self.classifier = load_classifier(classifier_path)
        self.version = tagging_version(taxonomy, classifier_path)

    def tag_document(self, document: ExtractedDocument) -> TaggedDocument:
        """Tag one document and stamp it with this tagging's version."""
        tagged = self.rules.tag_document(document)
        if self.classifier is not None:
            from pipeline.classify import apply_to_document

            tagged = apply_to_document(tagged, self.classifier)
        return replace(tagged, taxonomy_version=self.version)


_worker_tagger: DocumentTagger | None = None


def _init_worker(taxonomy: Taxonomy, classifier_path: Path | None) -> None:
    # Workers get the parent's loaded taxonomy, never re-read the files: an edit
    # during a run must not tag documents with a version the run did not activate.
    global _worker_tagger
    _worker_tagger = DocumentTagger(taxonomy, classifier_path)


def process_file(source: SourceFile) -> TaggedDocument | QuarantinedFile:
    """Extract and tag one file; never raise for a bad file (it is quarantined instead)."""
    assert _worker_tagger is not None, "call _init_worker first"
    try:
        document = extract.extract_document(source.path)
    except ExtractionError as error:
        return QuarantinedFile(str(source.path), source.sha256, error.reason, str(error))
    except Exception as error:  # a library failure we did not foresee must not stop the batch
        message = f"Unexpected error while reading the file ({type(error).__name__}: {error})."
        return QuarantinedFile(str(source.path), source.sha256, "unexpected_error", message)
    document.metadata = apply_manifest(document.metadata, source.manifest_row)
    document.metadata_source = "manifest" if source.manifest_row else "inferred"
    document.sha256 = source.sha256
    document.path = source.path
    return _worker_tagger.tag_document(document)


def _process_all(
    sources: list[SourceFile], settings: IngestSettings, taxonomy: Taxonomy
) -> Iterator[TaggedDocument | QuarantinedFile]:
    if not sources:
        return
    if settings.workers == 1 or len(sources) <= 1:
        _init_worker(taxonomy, settings.classifier_path)
        yield from map(process_file, sources)
        return
    context = get_context("fork")
    with ProcessPoolExecutor(
        settings.workers,
        mp_context=context,
        initializer=_init_worker,
        initargs=(taxonomy, settings.classifier_path),
    ) as pool:
        yield from pool.map(process_file, sources, chunksize=1)


# ---------------------------------------------------------------- writer side


class BatchWriter:
    """Commit outcomes in short batches, closing the database in between."""

    def __init__(self, settings: IngestSettings, summary: RunSummary) -> None:
        self.settings = settings
        self.summary = summary
        self.pending: list[TaggedDocument | QuarantinedFile] = []
        self.last_flush = time.monotonic()

    def add(self, outcome: TaggedDocument | QuarantinedFile) -> None:
        """Queue an outcome; flush when the batch is old or large enough."""
        self.pending.append(outcome)
        full = len(self.pending) >= self.settings.commit_every
        if full or time.monotonic() - self.last_flush > FLUSH_INTERVAL_S:
            self.flush()

    def flush(self) -> None:
        """Write every pending outcome: the documents in one transaction (group commit)."""
        if not self.pending:
            return
        documents = [o for o in self.pending if isinstance(o, TaggedDocument)]
        quarantined = [o for o in self.pending if isinstance(o, QuarantinedFile)]
        con = connect_write(self.settings.db_path, wait_s=self.settings.wait_s)
        try:
            self._load(con, documents)
            for item in quarantined:
                _quarantine(con, item, self.summary, self.settings)
        finally:
            con.close()
        self.pending.clear()
        self.last_flush = time.monotonic()

    def _load(self, con: duckdb.DuckDBPyConnection, documents: list[TaggedDocument]) -> None:
        try:
            load_documents(con, documents, run_id=self.summary.run_id)
            self._count(documents)
        except duckdb.Error:
            # One document the database refuses must not take the batch with it.
            for document in documents:
                self._load_one(con, document)

    def _load_one(self, con: duckdb.DuckDBPyConnection, document: TaggedDocument) -> None:
        try:
            load_documents(con, [document], run_id=self.summary.run_id)
            self._count([document])
        except duckdb.Error as error:
            message = f"The warehouse refused this document ({type(error).__name__}: {error})."
            item = QuarantinedFile(
                str(document.document.path), document.document.sha256, "load_failed", message
            )
            _quarantine(con, item, self.summary, self.settings)

    def _count(self, documents: list[TaggedDocument]) -> None:
        self.summary.new += len(documents)
        self.summary.pages += sum(tagged.document.pages for tagged in documents)


def _quarantine(
    con: duckdb.DuckDBPyConnection, item: QuarantinedFile, summary: RunSummary, settings: IngestSettings
) -> None:
    run_statement(con, "quarantine_file", run_id=summary.run_id, **item.__dict__)
    summary.quarantined.append(item)
    if settings.quarantine_action == "none" or settings.quarantine_dir is None:
        return
    settings.quarantine_dir.mkdir(parents=True, exist_ok=True)
    target = settings.quarantine_dir / Path(item.path).name
    if settings.quarantine_action == "move":
        shutil.move(item.path, target)
    else:
        shutil.copy2(item.path, target)


# ---------------------------------------------------------------- the run


def _check_taxonomy(con: duckdb.DuckDBPyConnection, taxonomy: Taxonomy, version: str, retag: bool) -> None:
    """Refuse to mix taxonomy versions: a changed codebook needs `ingest --retag`."""
    themes = [
        {"id": t.id, "label": t.label, "scope": t.scope, "group": t.group, "definition": t.definition}
        for t in taxonomy.themes
    ]
    run_statement(
        con,
        "register_taxonomy",
        version=version,
        human_version=taxonomy.human_version,
        themes=json.dumps(themes),
    )
    row = con.execute("SELECT version FROM active_taxonomy").fetchone()
    stored = con.execute("SELECT count(*) FROM documents").fetchone()[0]  # type: ignore[index]
    if row is None or stored == 0:
        run_statement(con, "activate_taxonomy", version=version)
    elif row[0] != version and not retag:
        raise UsageError(
            "The taxonomy (or the classifier switch) has changed since the warehouse was tagged "
            f"({row[0]} -> {version}). "
            "Run `ingest --retag` to re-tag the stored documents with it, so trends never mix versions."
        )


def _hash_files(
    con: duckdb.DuckDBPyConnection, paths: list[Path], manifests: dict[Path, ManifestRow]
) -> tuple[list[SourceFile], list[QuarantinedFile]]:
    """Hash every file, reusing the stored hash when size and mtime are unchanged."""
    index = {
        row[0]: row[1:]
        for row in con.execute("SELECT path, size, mtime_ns, sha256 FROM file_index").fetchall()
    }
    sources, unreadable, hashed = [], [], []
    for path in paths:
        try:
            stat = path.stat()
            cached = index.get(str(path))
            if cached and cached[0] == stat.st_size and cached[1] == stat.st_mtime_ns:
                sha256 = cached[2]
            else:
                sha256 = sha256_file(path)
                hashed.append((str(path), stat.st_size, stat.st_mtime_ns, sha256))
        except OSError as error:
            message = f"The file could not be read ({error.strerror}); check its permissions."
            unreadable.append(QuarantinedFile(str(path), None, "unreadable", message))
            continue
        sources.append(SourceFile(path, sha256, manifests.get(path)))
    _remember_hashes(con, hashed)
    return sources, unreadable


def _remember_hashes(con: duckdb.DuckDBPyConnection, hashed: list[tuple[str, int, int, str]]) -> None:
    if not hashed:
        return
    rows = pa.table(
        {
            "path": [row[0] for row in hashed],
            "size": [row[1] for row in hashed],
            "mtime_ns": [row[2] for row in hashed],
            "sha256": [row[3] for row in hashed],
        }
    )
    con.register("hashed_files", rows)
    try:
        run_statement(con, "upsert_file_index")
    finally:
        con.unregister("hashed_files")


def _split_known(con: duckdb.DuckDBPyConnection, sources: list[SourceFile]) -> tuple[list[SourceFile], int]:
    """Return the files not yet in the warehouse (first of identical copies) and the count skipped."""
    known = {row[0] for row in con.execute("SELECT sha256 FROM documents").fetchall()}
    todo, skipped = [], 0
    for source in sources:
        if source.sha256 in known:
            skipped += 1
            continue
        known.add(source.sha256)
        todo.append(source)
    return todo, skipped


def _prepare(settings: IngestSettings, taxonomy: Taxonomy) -> tuple[RunSummary, list[SourceFile], list]:
    version = tagging_version(taxonomy, settings.classifier_path)
    paths = find_files(list(settings.paths), extract.SUPPORTED_SUFFIXES)
    manifests = find_manifests(list(settings.paths), settings.manifest)
    con = connect_write(settings.db_path, wait_s=settings.wait_s)
    try:
        run_statement(con, "mark_interrupted_runs")
        _check_taxonomy(con, taxonomy, version, settings.retag)
        (run_id,) = run_statement(
            con,
            "start_run",
            command="ingest --retag" if settings.retag else "ingest",
            workers=settings.workers,
            taxonomy_version=version,
            extractor_version=extract.EXTRACTOR_VERSION,
        )[0]
        sources, unreadable = _hash_files(con, paths, manifests)
        todo, skipped = _split_known(con, sources)
    finally:
        con.close()
    summary = RunSummary(run_id=run_id, taxonomy_version=version, seen=len(paths), skipped=skipped)
    return summary, todo, unreadable


def _retag_stored(settings: IngestSettings, taxonomy: Taxonomy, summary: RunSummary) -> None:
    """Re-tag stored documents tagged with another taxonomy version, then make it active."""
    tagger = DocumentTagger(taxonomy, settings.classifier_path)
    con = connect_write(settings.db_path, wait_s=settings.wait_s)
    try:
        stale = [
            row[0]
            for row in con.execute(
                "SELECT sha256 FROM documents WHERE tagged_version IS DISTINCT FROM ? ORDER BY sha256",
                [tagger.version],
            ).fetchall()
        ]
        for sha256 in stale:
            replace_tagging(con, tagger.tag_document(read_document(con, sha256)))
            summary.retagged += 1
        run_statement(con, "activate_taxonomy", version=tagger.version)
    finally:
        con.close()


def _finish(settings: IngestSettings, summary: RunSummary) -> None:
    con = connect_write(settings.db_path, wait_s=settings.wait_s)
    try:
        status = "quarantined" if summary.quarantined else "ok"
        run_statement(
            con,
            "finish_run",
            status=status,
            run_id=summary.run_id,
            seen=summary.seen,
            new=summary.new,
            skipped=summary.skipped,
            retagged=summary.retagged,
            quarantined=len(summary.quarantined),
            pages=summary.pages,
        )
    finally:
        con.close()


def ingest(settings: IngestSettings) -> RunSummary:
    """Extract, tag and load every new file under `settings.paths`; return the run summary.

    Raises:
        TaxonomyError: the taxonomy file is malformed.
        UsageError: a path or manifest is wrong, or the taxonomy changed without --retag.
        WarehouseBusyError: another ingest holds the warehouse for longer than `settings.wait_s`.
    """
    started = time.monotonic()
    taxonomy = load_taxonomy(settings.taxonomy_path)
    with writer_lock(settings.db_path, wait_s=settings.wait_s):
        summary, todo, unreadable = _prepare(settings, taxonomy)
        writer = BatchWriter(settings, summary)
        for item in unreadable:
            writer.add(item)
        with progress_bar("Extracting and tagging", len(todo), enabled=settings.show_progress) as advance:
            for outcome in _process_all(todo, settings, taxonomy):
                writer.add(outcome)
                advance(1)
        writer.flush()
        if settings.retag:
            _retag_stored(settings, taxonomy, summary)
        summary.duration_s = time.monotonic() - started
        _finish(settings, summary)
    return summary
