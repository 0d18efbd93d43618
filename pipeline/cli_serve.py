"""The `serve` command: the local web dashboard."""
