"""Data and artifacts: the codebook (taxonomy/), the learned theme model, the model card, the training script.

The runtime never imports this package; it finds these files through `pipeline.paths`.
"""
