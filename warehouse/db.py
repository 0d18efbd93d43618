"""Open the DuckDB warehouse, apply migrations and run named SQL files.

Concurrency design: DuckDB lets only one process open a file for writing, and
while it is open no other process can open it at all, not even read-only. So
writers hold a separate lock file for the whole run (one ingest at a time) but
keep the database itself open only while committing a batch; readers open it
read-only and retry for a bounded time while a batch commits.
"""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Iterator
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import duckdb

from pipeline.document_settings import DocumentSettings, load_document_settings
from pipeline.errors import NotAWarehouseError, UsageError, WarehouseBusyError, WarehouseMissingError
from pipeline.paths import DEFAULT_DB_PATH
from warehouse.lock import RETRY_INTERVAL_S, writer_lock
from warehouse.lock import lock_holder as lock_holder  # re-exported: readers ask who writes

DEFAULT_READ_WAIT_S = 30.0
# Never fetch DuckDB extensions from the internet (a query naming an https:// file would).
OFFLINE_CONFIG: dict[str, str | bool | int | float | list[str]] = {
    "autoinstall_known_extensions": False,
    "autoload_known_extensions": False,
}
SANDBOX_CONFIG = {**OFFLINE_CONFIG, "enable_external_access": False, "lock_configuration": True}
LOCK_MESSAGE_MARKERS = ("lock", "Conflicting lock", "being used by another process")
# DuckDB's words for a --db that is no database at all (a text file, an empty file, a folder).
NOT_A_DATABASE_MARKERS = ("not a valid DuckDB database file", "Is a directory")
HOW_TO_POINT = "Check --db (or $THEMES_DB): it names the warehouse file, e.g. warehouse/themes.duckdb."


def default_db_path() -> Path:
    """Return `$THEMES_DB` if set, else warehouse/themes.duckdb in the project."""
    return Path(os.environ.get("THEMES_DB") or DEFAULT_DB_PATH)


# SQL files ship with the package and never change while it runs: read each once per process
# (the dashboard opens the warehouse, and so checks migrations, on every request).
@cache
def _sql_text(folder: str, name: str) -> str:
    return resources.files("warehouse").joinpath(folder, f"{name}.sql").read_text(encoding="utf-8")


def query_names() -> list[str]:
    """List the named queries shipped in warehouse/queries."""
    folder = resources.files("warehouse").joinpath("queries")
    return sorted(p.name.removesuffix(".sql") for p in folder.iterdir() if p.name.endswith(".sql"))


@cache
def _migration_files() -> tuple[tuple[int, str, str], ...]:
    folder = resources.files("warehouse").joinpath("migrations")
    found = []
    for entry in folder.iterdir():
        if entry.name.endswith(".sql"):
            number = int(entry.name.split("_", 1)[0])
            found.append((number, entry.name, entry.read_text(encoding="utf-8")))
    return tuple(sorted(found))


def migrate(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Apply pending migrations in order, each in its own transaction; return their names."""
    run_statement(con, "create_schema_migrations")
    done = {row["version"] for row in run_query(con, "applied_migrations")}
    applied = []
    for number, name, sql in _migration_files():
        if number in done:
            continue
        with transaction(con):
            con.execute(sql)
            run_statement(con, "record_migration", version=number, migration=name)
        applied.append(name)
    return applied


def pending_migrations(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Return the names of migrations not yet applied (all of them on an empty file)."""
    try:
        done = {row["version"] for row in run_query(con, "applied_migrations")}
    except duckdb.CatalogException:
        done = set()
    return [name for number, name, _ in _migration_files() if number not in done]


@contextlib.contextmanager
def transaction(con: duckdb.DuckDBPyConnection) -> Iterator[None]:
    """Commit the enclosed writes together, or roll them all back (the one transaction helper)."""
    con.execute("BEGIN TRANSACTION")
    try:
        yield
    except BaseException:
        con.execute("ROLLBACK")
        raise
    con.execute("COMMIT")


# Tables rows are appended to as Arrow tables; each has its statements/append_<table>.sql.
APPEND_TABLES = (
    "document_texts",
    "blocks",
    "ocr_pages",
    "text_units",
    "mentions",
    "retag_documents",
    "retag_text_units",
    "retag_mentions",
    "theme_evidence",
    "theme_section_evidence",
)


def append_rows(con: duckdb.DuckDBPyConnection, table: str, rows: Any) -> None:
    """Append an Arrow table's rows to `table` (one of APPEND_TABLES), matching columns by name.

    DuckDB scans the local Arrow table by its variable name (a replacement scan), so
    nothing is registered that an aborted transaction could not unregister.

    Raises:
        ValueError: `table` is not one of APPEND_TABLES.
    """
    if table not in APPEND_TABLES:
        raise ValueError(f"rows cannot be appended to {table!r}")
    incoming_rows = rows  # noqa: F841 - read by DuckDB's replacement scan below
    con.execute(_sql_text("statements", f"append_{table}"))


def _is_lock_error(error: Exception) -> bool:
    return any(marker in str(error) for marker in LOCK_MESSAGE_MARKERS)


def _connect_with_retry(
    path: Path, *, read_only: bool, wait_s: float, config: dict | None = None
) -> duckdb.DuckDBPyConnection:
    deadline = time.monotonic() + wait_s
    while True:
        try:
            return duckdb.connect(str(path), read_only=read_only, config=config or OFFLINE_CONFIG)
        except duckdb.IOException as error:
            if any(marker in str(error) for marker in NOT_A_DATABASE_MARKERS):
                message = f"{path} is not a warehouse (not a DuckDB file). {HOW_TO_POINT}"
                raise NotAWarehouseError(message) from None
            if not _is_lock_error(error):
                raise WarehouseBusyError(f"Cannot open the warehouse {path}: {error}") from error
            if time.monotonic() >= deadline:
                raise WarehouseBusyError(
                    f"The warehouse {path} is busy: another process is writing to it. "
                    f"Waited {wait_s:.0f} s; try again when the running ingest has finished."
                ) from error
            time.sleep(RETRY_INTERVAL_S)


def _refuse_foreign(con: duckdb.DuckDBPyConnection, path: Path) -> None:
    """Refuse a DuckDB file that holds tables but none of ours: never add our schema to it."""
    tables = {row["table_name"] for row in run_query(con, "user_tables")}
    if tables and "schema_migrations" not in tables:
        con.close()
        raise NotAWarehouseError(
            f"{path} is a DuckDB database but not a themes warehouse (it has tables "
            f"{', '.join(sorted(tables)[:5])}). {HOW_TO_POINT}"
        )


def connect_write(path: Path, *, wait_s: float = DEFAULT_READ_WAIT_S) -> duckdb.DuckDBPyConnection:
    """Open the warehouse for writing (creating it and its schema on first use).

    It also brings the document theme settings up to date with models/document_themes.toml,
    so an edit there applies from the next write on.

    Raises:
        NotAWarehouseError: the file is not a DuckDB file, or another DuckDB database.
        WarehouseBusyError: another process keeps it open for longer than `wait_s`.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    con = _connect_with_retry(path, read_only=False, wait_s=wait_s)
    _refuse_foreign(con, path)
    migrate(con)
    store_document_settings(con, load_document_settings())
    return con


def store_document_settings(con: duckdb.DuckDBPyConnection, settings: DocumentSettings) -> None:
    """Make `settings` the ones document_themes decides with (a no-op when they are stored already)."""
    stored = run_query(con, "document_settings")
    if not stored or stored[0] != settings.as_params():
        run_statement(con, "set_document_settings", **settings.as_params())


def connect_read(
    path: Path, *, wait_s: float = DEFAULT_READ_WAIT_S, sandboxed: bool = False
) -> duckdb.DuckDBPyConnection:
    """Open the warehouse read-only (a read never creates one).

    `sandboxed` also disables external access (`read_text`, `glob`, other files): for
    user-written SQL, which may so read the warehouse and nothing else.

    Raises:
        WarehouseMissingError: there is no file at `path` (exit 2, with what to do).
        NotAWarehouseError: the file is not a DuckDB file, or another DuckDB database.
        WarehouseBusyError: a writer keeps it for longer than `wait_s`.
    """
    if not path.exists():
        raise WarehouseMissingError(
            f"There is no warehouse at {path}. Load reports into it first "
            f"(run_pipeline.py --db {path} ingest FOLDER, or run_pipeline.py run for the sample), "
            f"or point --db (or $THEMES_DB) at an existing one."
        )
    config = SANDBOX_CONFIG if sandboxed else OFFLINE_CONFIG
    con = _connect_with_retry(path, read_only=True, wait_s=wait_s, config=config)
    _refuse_foreign(con, path)
    if pending_migrations(con):
        con.close()
        with writer_lock(path, wait_s=wait_s):
            connect_write(path, wait_s=wait_s).close()
        con = _connect_with_retry(path, read_only=True, wait_s=wait_s, config=config)
    return con


def _execute_file(
    con: duckdb.DuckDBPyConnection, sql: str, params: dict[str, Any]
) -> duckdb.DuckDBPyConnection:
    """Execute each statement of a SQL file, passing only the parameters it names.

    Callers can so pass one shared set of filters to every query.

    Raises:
        UsageError: a parameter the SQL names was not given.
    """
    cursor = con
    for statement in duckdb.extract_statements(sql):
        missing = statement.named_parameters - params.keys()
        if missing:
            raise UsageError(f"Missing query parameter(s): {', '.join(sorted(missing))}")
        cursor = con.execute(statement.query, {key: params[key] for key in statement.named_parameters})
    return cursor


def run_query(con: duckdb.DuckDBPyConnection, name: str, **params: Any) -> list[dict[str, Any]]:
    """Run the named query warehouse/queries/<name>.sql with `$name` parameters; return dict rows."""
    cursor = _execute_file(con, _sql_text("queries", name), params)
    columns = [column[0] for column in cursor.description]
    return [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]


def run_statement(con: duckdb.DuckDBPyConnection, name: str, **params: Any) -> list[tuple[Any, ...]]:
    """Run the write statement(s) in warehouse/statements/<name>.sql; return the last one's rows."""
    cursor = _execute_file(con, _sql_text("statements", name), params)
    return cursor.fetchall() if cursor.description else []


def check_read_only_sql(sql: str) -> None:
    """Refuse anything but a single query (the `sql` command is read-only).

    The connection is opened read-only as well; this check gives a clear message.

    Raises:
        UsageError: the statement is not a query.
    """
    try:
        statements = duckdb.extract_statements(sql)
    except duckdb.ParserException as error:
        raise UsageError(f"SQL syntax error: {error}") from None
    if len(statements) != 1:
        raise UsageError("Give exactly one SQL query.")
    if statements[0].type != duckdb.StatementType.SELECT:
        raise UsageError(
            f"Only read-only queries are allowed (SELECT, WITH ... SELECT); got {statements[0].type.name}."
        )
