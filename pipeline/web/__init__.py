"""The local dashboard (`run_pipeline.py serve`): pages read the warehouse, the Review screen writes."""
