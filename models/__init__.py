"""Theme taxonomy (codebook) and trained artifacts."""

from pathlib import Path

CLASSIFIER_NAME = "theme-clf-v1"
# Defined here, not in pipeline.classify, so the CLI can name it without importing scikit-learn.
DEFAULT_CLASSIFIER_PATH = Path(__file__).resolve().parent / f"{CLASSIFIER_NAME}.joblib"
