"""The parameters of the document-level decisions (models/document_themes.toml), validated on load.

A leaf: the warehouse copies them into its `document_theme_settings` table (warehouse.db), and
the view `document_themes` decides from that table when a theme is *discussed* in a document
and when it is *prominent* there; `saturated` marks themes found in nearly every report.
"""

from __future__ import annotations

import hashlib
import tomllib
from dataclasses import asdict, dataclass, fields
from pathlib import Path
from typing import Any

from pipeline.errors import UsageError
from pipeline.paths import DEFAULT_DOCUMENT_SETTINGS_PATH

VERSION_HASH_CHARS = 8
# TOML table -> {key in the file: field of DocumentSettings}
TABLES = {
    "discussed": {
        "min_sentences": "min_sentences",
        "off_scope_min_sentences": "off_scope_min_sentences",
        "scope_ratio": "scope_ratio",
    },
    "prominent": {
        "key_sentences": "prominent_key_sentences",
        "sentences": "prominent_sentences",
        "paragraph_sentences": "prominent_paragraph_sentences",
    },
    "saturated": {"share": "saturated_share"},
}


@dataclass(frozen=True)
class DocumentSettings:
    """When a theme is discussed in a document, when it is prominent, when it is saturated.

    Attributes:
        version: "<human version>+<sha256[:8] of the file>", stamped in the warehouse.
        min_sentences: counted sentences a document needs to discuss a theme.
        off_scope_min_sentences: the same, for a theme whose scope (children or adults) is not the
            document's.
        scope_ratio: a document is a children's (adults') one when its counted sentences of
            children's themes outnumber its adults' ones this many times (and the reverse).
        prominent_key_sentences: a discussed theme with this many sentences in the summary or
            recommendations is prominent,
        prominent_sentences: or with this many sentences anywhere,
        prominent_paragraph_sentences: or with this many in one paragraph.
        saturated_share: a theme in at least this share of every year's documents is saturated.
    """

    version: str = "default"
    min_sentences: int = 1
    off_scope_min_sentences: int = 4
    scope_ratio: float = 3.0
    prominent_key_sentences: int = 1
    prominent_sentences: int = 4
    prominent_paragraph_sentences: int = 2
    saturated_share: float = 0.9

    def __post_init__(self) -> None:
        """Refuse settings that would make every theme absent or present."""
        counts = (
            self.min_sentences,
            self.off_scope_min_sentences,
            self.prominent_key_sentences,
            self.prominent_sentences,
            self.prominent_paragraph_sentences,
        )
        if any(not isinstance(count, int) or count < 1 for count in counts):
            raise UsageError("document theme settings: sentence counts must be whole numbers of at least 1")
        if self.scope_ratio < 1:
            raise UsageError("document theme settings: [discussed] scope_ratio must be at least 1")
        if not 0 < self.saturated_share <= 1:
            raise UsageError("document theme settings: [saturated] share must be above 0 and at most 1")

    def as_params(self) -> dict[str, Any]:
        """Return the settings as the parameters of statements/set_document_settings.sql."""
        return asdict(self)


def parse_document_settings(text: str, *, source: str = "document_themes.toml") -> DocumentSettings:
    """Parse the TOML text of the settings file.

    Raises:
        UsageError: the file is not valid TOML, names an unknown key or holds a bad value.
    """
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise UsageError(f"{source}: {error}") from None
    values: dict[str, Any] = {}
    for table, keys in TABLES.items():
        given = data.get(table, {})
        unknown = set(given) - set(keys)
        if unknown:
            raise UsageError(f"{source}: unknown key(s) in [{table}]: {', '.join(sorted(unknown))}")
        values.update({keys[key]: value for key, value in given.items()})
    unknown_tables = set(data) - set(TABLES) - {"version"}
    if unknown_tables:
        raise UsageError(f"{source}: unknown table(s): {', '.join(sorted(unknown_tables))}")
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:VERSION_HASH_CHARS]
    known = {field.name for field in fields(DocumentSettings)}
    return DocumentSettings(
        version=f"{data.get('version', '0')}+{digest}", **{k: v for k, v in values.items() if k in known}
    )


def load_document_settings(path: Path | None = None) -> DocumentSettings:
    """Read the document theme settings (models/document_themes.toml by default).

    Raises:
        UsageError: the file is missing or invalid (the message names the file).
    """
    path = path or DEFAULT_DOCUMENT_SETTINGS_PATH
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise UsageError(f"Cannot read the document theme settings {path}: {error.strerror}") from None
    return parse_document_settings(text, source=str(path))
