"""Worker side of ingest: extract and tag one file, never raising for a bad one.

Workers (fork-based processes, or the parent itself with one worker) build the
tagger once and return plain records; the parent is the single writer."""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from pathlib import Path

from pipeline.errors import ExtractionError
from pipeline.extract import document as extract
from pipeline.ingest.inbox import apply_manifest
from pipeline.ingest.outcomes import IngestSettings, QuarantinedFile, SourceFile
from pipeline.records import TaggedDocument
from pipeline.tag.tagger import VersionedTagger
from pipeline.tag.taxonomy import Taxonomy

_worker_tagger: VersionedTagger | None = None


def init_worker(taxonomy: Taxonomy, classifier_path: Path | None) -> None:
    # Workers get the parent's loaded taxonomy, never re-read the files: an edit
    # during a run must not tag documents with a version the run did not activate.
    global _worker_tagger
    _worker_tagger = VersionedTagger(taxonomy, classifier_path)


def process_file(source: SourceFile) -> TaggedDocument | QuarantinedFile:
    """Extract and tag one file; never raise for a bad file (it is quarantined instead)."""
    assert _worker_tagger is not None, "call init_worker first"
    try:
        document = extract.extract_document(source.path, sha256=source.sha256)
    except ExtractionError as error:
        return QuarantinedFile(str(source.path), source.sha256, error.reason, str(error))
    except Exception as error:  # a library failure we did not foresee must not stop the batch
        message = f"Unexpected error while reading the file ({type(error).__name__}: {error})."
        return QuarantinedFile(str(source.path), source.sha256, "unexpected_error", message)
    document.metadata = apply_manifest(document.metadata, source.manifest_row)
    document.metadata_source = "manifest" if source.manifest_row else "inferred"
    document.path = source.path
    return _worker_tagger.tag_document(document)


def process_all(
    sources: list[SourceFile], settings: IngestSettings, taxonomy: Taxonomy
) -> Iterator[TaggedDocument | QuarantinedFile]:
    if not sources:
        return
    if settings.workers == 1 or len(sources) <= 1:
        init_worker(taxonomy, settings.classifier_path)
        yield from map(process_file, sources)
        return
    context = get_context("fork")
    with ProcessPoolExecutor(
        settings.workers,
        mp_context=context,
        initializer=init_worker,
        initargs=(taxonomy, settings.classifier_path),
    ) as pool:
        yield from pool.map(process_file, sources, chunksize=1)
