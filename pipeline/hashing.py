"""The sha256 of a file's bytes: a document's identity in the warehouse.

A leaf, so extraction and ingest share one implementation; ingest hashes each
file once (or reuses the file index) and hands the digest to extraction.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

HASH_CHUNK_BYTES = 1 << 20


def sha256_file(path: Path) -> str:
    """Return the hex sha256 of a file's bytes, read in chunks."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(HASH_CHUNK_BYTES):
            digest.update(chunk)
    return digest.hexdigest()
