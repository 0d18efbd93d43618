"""Review decisions: stored apart from mentions, latest wins, precision and training labels follow."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.analysis.review import (
    parse_ref,
    precision_estimates,
    record_decisions,
    review_queue,
    wilson_interval,
)
from pipeline.errors import UsageError
from pipeline.tag.labelled import reviewed_rows
from warehouse.db import connect_write, run_query


@pytest.fixture
def con(warehouse: Path):
    connection = connect_write(warehouse)
    yield connection
    connection.close()


def _hit_ref(con, theme: str) -> str:
    return review_queue(con, theme=theme, limit=1)[0]["ref"]


def test_parse_ref_reads_both_shapes_and_refuses_bad_ones() -> None:
    assert parse_ref("abcdef123456:7:hoarding", with_theme=True).unit_no == 7
    assert parse_ref("abcdef123456:7", with_theme=False).theme is None
    for bad in ("abc:1:hoarding", "abcdef123456:x:hoarding", "abcdef123456:1"):
        with pytest.raises(UsageError):
            parse_ref(bad, with_theme=True)


def test_queue_lists_each_counted_hit_once_until_reviewed(con) -> None:
    queue = review_queue(con, theme="hoarding", limit=100)
    assert len(queue) == 16 and {row["status"] for row in queue} == {"unreviewed"}
    ref = queue[0]["ref"]
    record_decisions(con, [parse_ref(ref, with_theme=True)], "accept", reviewer="lead")
    assert ref not in {row["ref"] for row in review_queue(con, theme="hoarding", limit=100)}
    accepted = review_queue(con, theme="hoarding", status="accepted")
    assert [row["ref"] for row in accepted] == [ref]


def test_decisions_never_touch_mentions_and_latest_wins(con) -> None:
    before = con.execute("SELECT count(*) FROM mentions WHERE counted").fetchone()
    ref = parse_ref(_hit_ref(con, "hoarding"), with_theme=True)
    record_decisions(con, [ref], "reject", reviewer="lead", note="boilerplate")
    record_decisions(con, [ref], "accept", reviewer="lead")
    assert con.execute("SELECT count(*) FROM mentions WHERE counted").fetchone() == before
    status = run_query(con, "review_status")
    assert [(row["theme"], row["review_status"]) for row in status] == [("hoarding", "accepted")]
    assert con.execute("SELECT count(*) FROM reviews").fetchone() == (2,)


def test_add_labels_a_missed_theme_and_accept_needs_a_hit(con) -> None:
    sha_unit = _hit_ref(con, "hoarding").rsplit(":", 1)[0]
    with pytest.raises(UsageError, match="review add"):
        record_decisions(con, [parse_ref(f"{sha_unit}:domestic_abuse", with_theme=True)], "accept")
    with pytest.raises(UsageError, match="Unknown theme"):
        record_decisions(con, [parse_ref(sha_unit, with_theme=False)], "add", theme="gambling")
    record_decisions(con, [parse_ref(sha_unit, with_theme=False)], "add", theme="domestic_abuse")
    reviewed = reviewed_rows(con)
    assert len(reviewed) == 1 and "domestic_abuse" in reviewed[0]["themes"]


def test_precision_counts_reviewed_hits_with_an_interval(con) -> None:
    refs = [parse_ref(row["ref"], with_theme=True) for row in review_queue(con, theme="hoarding", limit=4)]
    record_decisions(con, refs[:3], "accept")
    record_decisions(con, refs[3:], "reject")
    row = next(r for r in precision_estimates(con) if r["theme"] == "hoarding")
    assert (row["hits"], row["reviewed"], row["precision"]) == (16, 4, 0.75)
    assert row["precision_low"] < 0.75 < row["precision_high"]
    untouched = next(r for r in precision_estimates(con) if r["theme"] == "self_neglect")
    assert untouched["precision"] is None


def test_wilson_interval_is_bounded() -> None:
    assert wilson_interval(0, 0) == (0.0, 1.0)
    low, high = wilson_interval(10, 10)
    assert 0.6 < low < 1.0 and high == 1.0
