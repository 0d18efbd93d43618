"""Exit codes and the errors that carry them.

Library code raises these; only ``pipeline.cli`` turns them into exit codes.
Messages are written for a learning lead: what went wrong and what to do next.
"""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    """Exit codes of the command-line contract (../shared/reference/cli.md)."""

    OK = 0
    INTERNAL_ERROR = 1
    USAGE = 2
    QUARANTINED = 3
    WAREHOUSE_BUSY = 4


class PipelineError(Exception):
    """Base class: an error the user can act on."""

    exit_code = ExitCode.INTERNAL_ERROR


class UsageError(PipelineError):
    """A bad option, unknown theme id, or unreadable taxonomy or manifest."""

    exit_code = ExitCode.USAGE


class TaxonomyError(UsageError):
    """The taxonomy file is malformed; the message names file, line and theme."""


class RegexTimeoutError(TaxonomyError):
    """A codebook regex ran past its time bound on one text; the message names the theme and pattern."""


class DiskFullError(PipelineError):
    """The disk holding the warehouse is full; nothing good is quarantined and a rerun completes."""


class IngestStopped(PipelineError):  # noqa: N818 - a stop, not an error of the user's
    """The ingest was stopped by a signal (SIGTERM); what was committed stays."""


class ManifestError(UsageError):
    """The manifest CSV is malformed; the message names file and line."""


class NoDocumentsError(UsageError):
    """The filters (or an empty warehouse) leave no document to count: the same exit everywhere."""


class WarehouseMissingError(UsageError):
    """A read command names a warehouse file that does not exist (it is never created by reading)."""


class NotAWarehouseError(UsageError):
    """The --db file exists but is not a DuckDB warehouse."""


class WarehouseBusyError(PipelineError):
    """Another process is writing to the warehouse, or it cannot be opened."""

    exit_code = ExitCode.WAREHOUSE_BUSY


class ExtractionError(PipelineError):
    """No text could be recovered from a file; the file is quarantined.

    Subclasses set ``reason`` (a short code stored in the warehouse); the
    message says in plain words what is wrong and what to do. `ingest`
    quarantines the file (exit 3 for the batch); `extract` of that one file
    exits 2, as for any input it cannot use.
    """

    exit_code = ExitCode.USAGE
    reason = "unreadable"


class EmptyFileError(ExtractionError):
    """The file has zero bytes."""

    reason = "empty_file"


class NotADocumentError(ExtractionError):
    """The file is not the format its name claims (e.g. HTML saved as .pdf)."""

    reason = "not_a_document"


class UnsupportedFormatError(ExtractionError):
    """The file extension is not one we read."""

    reason = "unsupported_format"


class EncryptedPdfError(ExtractionError):
    """The PDF needs a password to open."""

    reason = "encrypted"


class CorruptFileError(ExtractionError):
    """The file is truncated or damaged beyond repair."""

    reason = "corrupt"


class NoTextLayerError(ExtractionError):
    """The PDF holds only images (a scan): it needs OCR."""

    reason = "no_text_layer"


class FileTooLargeError(ExtractionError):
    """The file is over the configured size or page limit."""

    reason = "too_large"
