"""Data and artifacts: the codebook (taxonomy/), the trained classifier, the model card, the training script.

The runtime never imports this package; it finds these files through `pipeline.paths`.
"""

from pipeline.paths import CLASSIFIER_NAME, DEFAULT_CLASSIFIER_PATH

__all__ = ["CLASSIFIER_NAME", "DEFAULT_CLASSIFIER_PATH"]
