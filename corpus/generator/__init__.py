"""The pieces of the sample-corpus generator; `corpus/generate.py` is its entry point."""
