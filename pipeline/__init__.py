"""Theme mining for safeguarding reviews: extract, tag, load, serve."""

__version__ = "0.1.0"
