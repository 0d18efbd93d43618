"""A review decision shows up in `evidence --review`, kept apart from the machine's hit."""

from __future__ import annotations

import json

from click.testing import CliRunner

from pipeline.cli import cli
from pipeline.ingest.load import load_document
from tests.factories import make_tagged
from warehouse.db import connect_read, connect_write, run_statement

THEMES = json.dumps(
    [{"id": "hoarding", "label": "Hoarding", "scope": "adults", "group": "harm", "definition": "d"}]
)


def test_rejecting_a_hit_changes_its_review_status_not_the_hit(tmp_path):
    db = tmp_path / "w.duckdb"
    con = connect_write(db)
    run_statement(con, "register_taxonomy", version="test+0001", human_version="test", themes=THEMES)
    run_statement(con, "activate_taxonomy", version="test+0001")
    load_document(con, make_tagged("a" * 64, sentences=[("Hoarding was severe.", ["hoarding"])]), run_id=1)
    con.close()

    def evidence() -> list[dict]:
        result = CliRunner().invoke(
            cli, ["--db", str(db), "evidence", "--theme", "hoarding", "--format", "json"]
        )
        assert result.exit_code == 0, result.output
        return json.loads(result.stdout)

    (row,) = evidence()
    assert row["review_status"] == "unreviewed"
    result = CliRunner().invoke(cli, ["--db", str(db), "review", "reject", row["review_ref"]])
    assert result.exit_code == 0, result.output
    (row,) = evidence()
    assert row["review_status"] == "rejected"
    with connect_read(db) as con:
        assert con.execute("SELECT counted FROM mentions").fetchall() == [(True,)]
