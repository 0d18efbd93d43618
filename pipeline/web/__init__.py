"""The read-only local web dashboard over the warehouse (`run_pipeline.py serve`)."""
