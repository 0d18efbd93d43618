"""Where the project's data lives: the codebook, the trained model, the labelled and sample corpora.

A leaf: the runtime finds the data in `models/` and `corpus/` by path and never
imports `models` as code (it holds data and the training script).
"""

from __future__ import annotations

from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
MODELS_DIR = PROJECT_ROOT / "models"
DEFAULT_TAXONOMY_PATH = MODELS_DIR / "taxonomy"
DEFAULT_DOCUMENT_SETTINGS_PATH = MODELS_DIR / "document_themes.toml"
CLASSIFIER_NAME = "theme-tagger-v2"
DEFAULT_CLASSIFIER_PATH = MODELS_DIR / f"{CLASSIFIER_NAME}.joblib"
LABELLED_CORPUS = PROJECT_ROOT / "corpus" / "labelled"
# Sentences in our own words (text kept) and real report sentences (keys only, text re-derived).
LABELLED_WRITTEN = LABELLED_CORPUS / "sentences-written.jsonl"
LABELLED_REAL = LABELLED_CORPUS / "sentences-real.jsonl"
# Where the real reports that keyed labels point to live (beside the project; absent on most machines).
SHARED = PROJECT_ROOT.parent / "shared"
SHARED_SOURCES = (SHARED / "corpus" / "real", SHARED / "seeds")
SAMPLE_CORPUS = PROJECT_ROOT / "corpus" / "sample"
DEFAULT_DB_PATH = PROJECT_ROOT / "warehouse" / "themes.duckdb"
