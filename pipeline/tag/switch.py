"""The one place that decides whether the learned model is combined with the rules.

On by default: the shipped model beats the rules alone on the labelled test split
(models/README.md). `--no-classifier` or ``THEMES_CLASSIFIER=0`` gives the rules alone;
``THEMES_CLASSIFIER=<path>`` uses another trained model. Kept apart from `learned` so the
CLI can resolve the switch without importing scikit-learn.
"""

from __future__ import annotations

import os
from pathlib import Path

from pipeline.paths import DEFAULT_CLASSIFIER_PATH

ENV_SWITCH = "THEMES_CLASSIFIER"
SWITCH_OFF = ("0", "off", "false", "no")
SWITCH_ON = ("", "1", "on", "true", "yes")


def classifier_path(switch: bool | None = None, environ: dict[str, str] | None = None) -> Path | None:
    """Resolve the combination switch to a model path, or None for rules only.

    Args:
        switch: a command-line ``--classifier`` (True) / ``--no-classifier`` (False);
            None defers to ``$THEMES_CLASSIFIER`` (unset: the shipped model).
        environ: the environment to read (default ``os.environ``).
    """
    if switch is not None:
        return DEFAULT_CLASSIFIER_PATH if switch else None
    value = (os.environ if environ is None else environ).get(ENV_SWITCH, "").strip()
    if value.lower() in SWITCH_OFF:
        return None
    return DEFAULT_CLASSIFIER_PATH if value.lower() in SWITCH_ON else Path(value)
