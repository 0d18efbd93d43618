"""Migrations, the one-writer lock, read-only SQL, and atomic document loads."""

from __future__ import annotations

import multiprocessing
import time

import duckdb
import pytest

from pipeline.errors import UsageError, WarehouseBusyError
from pipeline.ingest.load import load_document, read_document, replace_tagging
from tests.factories import make_tagged
from warehouse.db import (
    check_read_only_sql,
    connect_read,
    connect_write,
    migrate,
    pending_migrations,
    run_query,
    transaction,
    writer_lock,
)


@pytest.fixture
def con():
    connection = duckdb.connect(":memory:")
    migrate(connection)
    yield connection
    connection.close()


def test_migrations_are_recorded_and_rerunning_is_a_no_op(con):
    assert pending_migrations(con) == []
    assert migrate(con) == []
    names = [row[0] for row in con.execute("SELECT name FROM schema_migrations ORDER BY version").fetchall()]
    assert names[:2] == ["001_init.sql", "002_views.sql"]


def test_load_document_writes_every_table_with_offsets_into_the_text(con):
    tagged = make_tagged("a1", sentences=[("Hoarding was severe.", ["hoarding"]), ("Nothing here.", [])])
    load_document(con, tagged, run_id=1)
    text = con.execute("SELECT text FROM document_texts").fetchone()[0]
    start, end, matched = con.execute(
        "SELECT start_offset, end_offset, matched_text FROM mentions"
    ).fetchone()
    assert text[start:end] == matched == "Hoarding"
    assert con.execute("SELECT count(*) FROM text_units").fetchone()[0] == 2
    assert con.execute("SELECT count(*) FROM blocks").fetchone()[0] == 2


def test_loading_the_same_hash_twice_fails_and_leaves_one_copy(con):
    tagged = make_tagged("a1", sentences=[("Hoarding was severe.", ["hoarding"])])
    load_document(con, tagged, run_id=1)
    with pytest.raises(duckdb.ConstraintException):
        load_document(con, tagged, run_id=2)
    assert con.execute("SELECT count(*) FROM mentions").fetchone()[0] == 1
    assert con.execute("SELECT count(*) FROM text_units").fetchone()[0] == 1


def test_a_new_version_of_a_path_supersedes_the_old_one(con):
    load_document(con, make_tagged("v1", sentences=[("Old text.", [])], path="/r/a.pdf"), run_id=1)
    replaced = load_document(con, make_tagged("v2", sentences=[("New text.", [])], path="/r/a.pdf"), run_id=2)
    assert replaced == "v1"
    rows = con.execute("SELECT sha256, is_latest, supersedes FROM documents ORDER BY sha256").fetchall()
    assert rows == [("v1", False, None), ("v2", True, "v1")]


def test_a_failed_transaction_leaves_nothing_behind(con):
    with pytest.raises(RuntimeError), transaction(con):
        con.execute("INSERT INTO document_texts VALUES ('x', 'half a document')")
        raise RuntimeError("killed")
    assert con.execute("SELECT count(*) FROM document_texts").fetchone()[0] == 0


def test_replace_tagging_swaps_mentions_and_read_document_round_trips(con):
    tagged = make_tagged(
        "a1", sentences=[("Hoarding was severe.", ["hoarding"]), ("Fire risk.", ["fire_risk"])]
    )
    load_document(con, tagged, run_id=1)
    document = read_document(con, "a1")
    assert document.text == tagged.document.text
    assert [b.page for b in document.blocks] == [1, 2]
    retagged = make_tagged("a1", sentences=[("Hoarding was severe.", []), ("Fire risk.", [])], version="v2")
    replace_tagging(con, retagged)
    assert con.execute("SELECT count(*) FROM mentions").fetchone()[0] == 0
    assert con.execute("SELECT tagged_version FROM documents").fetchone()[0] == "v2"


@pytest.mark.parametrize(
    "sql",
    [
        "DELETE FROM documents",
        "INSERT INTO runs VALUES (1)",
        "COPY documents TO '/tmp/x.csv'",
        "SELECT 1; DROP TABLE documents",
        "ATTACH '/tmp/other.duckdb'",
        "INSTALL httpfs",
        "PRAGMA enable_profiling",
    ],
)
def test_read_only_sql_refuses_writes(sql):
    with pytest.raises(UsageError):
        check_read_only_sql(sql)


def test_read_only_sql_accepts_queries():
    check_read_only_sql("WITH a AS (SELECT 1 AS x) SELECT x FROM a")


def test_connect_read_never_creates_a_warehouse(tmp_path):
    from pipeline.errors import WarehouseMissingError

    path = tmp_path / "new.duckdb"
    with pytest.raises(WarehouseMissingError, match="There is no warehouse at"):
        connect_read(path)
    assert not path.exists()
    connect_write(path).close()  # a writer creates it, with its schema
    with connect_read(path) as con:
        assert run_query(con, "documents") == []


def _hold_writer_lock(path, seconds):
    with writer_lock(path, wait_s=1):
        time.sleep(seconds)


def test_a_second_writer_waits_then_gives_up_with_a_clear_message(tmp_path):
    path = tmp_path / "w.duckdb"
    holder = multiprocessing.get_context("fork").Process(target=_hold_writer_lock, args=(path, 3))
    holder.start()
    time.sleep(0.5)
    try:
        with pytest.raises(WarehouseBusyError, match="Another ingest"), writer_lock(path, wait_s=0.5):
            pass
    finally:
        holder.join()
    with writer_lock(path, wait_s=0.5):
        pass


def _hold_database_open(path, seconds):
    con = connect_write(path)
    time.sleep(seconds)
    con.close()


def test_readers_wait_for_a_short_write_and_fail_clearly_after_the_bound(tmp_path):
    path = tmp_path / "r.duckdb"
    connect_write(path).close()
    holder = multiprocessing.get_context("fork").Process(target=_hold_database_open, args=(path, 1.5))
    holder.start()
    time.sleep(0.5)
    try:
        with pytest.raises(WarehouseBusyError, match="busy"):
            connect_read(path, wait_s=0.2)
        with connect_read(path, wait_s=10) as con:  # waits for the writer to close
            assert con.execute("SELECT 1").fetchone() == (1,)
    finally:
        holder.join()


def test_a_batch_lands_together_and_a_refused_document_is_quarantined_not_fatal(tmp_path):
    from pipeline.ingest.outcomes import IngestSettings, RunSummary
    from pipeline.ingest.writer import BatchWriter

    db = tmp_path / "batch.duckdb"
    settings = IngestSettings(paths=(tmp_path,), db_path=db)
    summary = RunSummary(run_id=1, taxonomy_version="test+0001")
    writer = BatchWriter(settings, summary)
    good = [make_tagged(f"g{i}", sentences=[("Hoarding was severe.", ["hoarding"])]) for i in range(3)]
    duplicate = make_tagged("g0", sentences=[("Same hash again.", [])], path="/reviews/copy.pdf")
    for tagged in [*good, duplicate]:
        writer.pending.append(tagged)
    writer.flush()
    assert summary.new == 3
    assert [(q.reason, q.sha256) for q in summary.quarantined] == [("load_failed", "g0")]
    with connect_read(db) as con:
        assert con.execute("SELECT count(*) FROM documents").fetchall() == [(3,)]
        assert con.execute("SELECT count(*) FROM mentions").fetchall() == [(3,)]
