"""Remember costly whole-warehouse results until the warehouse changes.

The theme page shows one theme's slice of two whole-warehouse analyses (the
rising/falling test, corrected over all themes, and co-occurrence). Computing
them once per warehouse state makes every further theme page cheap. The state is
the size and modification time of the database file and its write-ahead log: any
committed ingest batch changes one of them, so a cached value is never stale.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

WAL_SUFFIX = ".wal"


class StateCache:
    """Values computed from the warehouse, dropped together whenever its files change."""

    def __init__(self, db_path: Path) -> None:
        """Watch the warehouse at `db_path` (and its .wal file)."""
        self.files = (db_path, db_path.with_name(db_path.name + WAL_SUFFIX))
        self.lock = threading.Lock()
        self.state: tuple[Any, ...] | None = None
        self.values: dict[str, Any] = {}

    def signature(self) -> tuple[Any, ...]:
        """Return (size, mtime) of each warehouse file, None for one that does not exist."""
        stats = [path.stat() if path.exists() else None for path in self.files]
        return tuple((s.st_size, s.st_mtime_ns) if s else None for s in stats)

    def get(self, key: str, compute: Callable[[], Any]) -> Any:
        """Return the value cached under `key` for the current warehouse state, computing it if needed."""
        state = self.signature()
        with self.lock:
            if state != self.state:
                self.state, self.values = state, {}
            if key in self.values:
                return self.values[key]
        value = compute()
        with self.lock:
            if self.state == state:
                self.values[key] = value
        return value
