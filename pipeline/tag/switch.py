"""The one place that decides whether the classifier is combined with the rules.

Kept apart from `classify` so the CLI can resolve `--classifier` / `$THEMES_CLASSIFIER`
without importing scikit-learn.
"""

from __future__ import annotations

import os
from pathlib import Path

from pipeline.paths import DEFAULT_CLASSIFIER_PATH

ENV_SWITCH = "THEMES_CLASSIFIER"
SWITCH_OFF = ("", "0", "off", "false", "no")
SWITCH_ON = ("1", "on", "true", "yes")


def classifier_path(switch: bool | None = None, environ: dict[str, str] | None = None) -> Path | None:
    """Resolve the combination switch to an artifact path, or None for rules only.

    Args:
        switch: a command-line ``--classifier`` (True) / ``--no-classifier`` (False);
            None defers to ``$THEMES_CLASSIFIER``.
        environ: the environment to read (default ``os.environ``).
    """
    if switch is not None:
        return DEFAULT_CLASSIFIER_PATH if switch else None
    value = (os.environ if environ is None else environ).get(ENV_SWITCH, "").strip()
    if value.lower() in SWITCH_OFF:
        return None
    return DEFAULT_CLASSIFIER_PATH if value.lower() in SWITCH_ON else Path(value)
