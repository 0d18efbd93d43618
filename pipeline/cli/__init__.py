"""The command line: a click group (`base`) and one module per command family.

Each family module imports `pipeline.cli.base` (never this package) and registers
its commands on the group; importing this package registers them all.
"""

from pipeline.cli import analysis, documents, evaluate, exports, learn, queries, serve, stages
from pipeline.cli.base import cli, main

__all__ = [
    "analysis",
    "cli",
    "documents",
    "evaluate",
    "exports",
    "learn",
    "main",
    "queries",
    "serve",
    "stages",
]
