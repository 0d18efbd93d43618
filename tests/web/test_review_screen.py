"""The dashboard's review screen (issue 19, item 6): accept, reject or add from the browser.

Decisions go through the CLI's single-writer path (the writer lock, `record_decisions`),
count in the --reviewed numbers, cannot be posted from another site, and never keep the
nightly ingest waiting: with the lock taken by an ingest, the screen says to try again.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import time
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

from pipeline.web.app import create_app
from warehouse.db import connect_read

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def own_warehouse(warehouse_path: Path, tmp_path: Path) -> Path:
    """A copy of the fixture warehouse: these tests write decisions into it."""
    copy = tmp_path / "review.duckdb"
    shutil.copy(warehouse_path, copy)
    return copy


@pytest.fixture
def review_client(own_warehouse: Path) -> Iterator[TestClient]:
    with TestClient(create_app(own_warehouse), base_url="http://localhost") as client:
        yield client


def _form(html: str, ref_prefix: str = "") -> dict[str, str]:
    """Return the accept/reject form fields of the first hit (or the one whose ref starts so)."""
    decide_forms = r'<form method="post" action="/review" class="decide">(.*?)</form>'
    for form in re.findall(decide_forms, html, re.S):
        fields = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)">', form))
        if fields["ref"].startswith(ref_prefix):
            return {key: value.replace("&amp;", "&") for key, value in fields.items()}
    raise AssertionError("no review form")


def _decisions(db: Path) -> list[tuple]:
    with connect_read(db) as con:
        query = "SELECT decision, theme, reviewer, note FROM reviews ORDER BY review_id"
        return con.execute(query).fetchall()


def test_the_review_screen_lists_hits_with_their_forms(review_client: TestClient) -> None:
    html = review_client.get("/review?theme=self_neglect").text
    assert 'href="/review"' in html  # in the navigation
    assert html.count('class="hit"') >= 1 and 'value="accept"' in html and 'value="reject"' in html
    assert 'name="csrf"' in html and "Add a theme to this sentence" in html
    assert "<kbd>a</kbd> accept" in html


def test_accept_reject_and_add_are_recorded_and_counted(
    review_client: TestClient, own_warehouse: Path
) -> None:
    def mentions(reviewed: bool) -> int:
        rows = review_client.get(
            f"/heatmap?metric=mentions&format=json{'&reviewed=1' if reviewed else ''}"
        ).json()
        return sum(row["value"] for row in rows if row["theme"] == "self_neglect")

    before = mentions(reviewed=True)
    fields = _form(review_client.get("/review?theme=self_neglect&reviewer=Jo").text)
    response = review_client.post("/review", data={**fields, "decision": "reject"}, follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"].startswith("/review?theme=self_neglect&reviewer=Jo&done=reject")
    assert _decisions(own_warehouse) == [("reject", "self_neglect", "Jo", "dashboard")]
    assert mentions(reviewed=True) < before == mentions(reviewed=False)
    after = review_client.get(response.headers["location"]).text
    assert "Recorded: reject: self_neglect" in after and fields["ref"] not in after

    sentence = fields["ref"].rsplit(":", 1)[0]
    added = review_client.post(
        "/review",
        data={**fields, "ref": sentence, "decision": "add", "theme": "information_sharing"},
        follow_redirects=False,
    )
    assert added.status_code == 303
    assert _decisions(own_warehouse)[-1] == ("add", "information_sharing", "Jo", "dashboard")


@pytest.mark.parametrize(
    ("change", "status"),
    [({"csrf": "forged"}, 400), ({"decision": "delete"}, 400), ({"ref": "nonsense"}, 400)],
)
def test_a_forged_or_bad_form_records_nothing(
    review_client: TestClient, own_warehouse: Path, change: dict, status: int
) -> None:
    fields = _form(review_client.get("/review").text)
    response = review_client.post("/review", data={**fields, "decision": "accept", **change})
    assert response.status_code == status
    assert _decisions(own_warehouse) == []


def test_a_post_from_another_site_is_refused(review_client: TestClient, own_warehouse: Path) -> None:
    fields = _form(review_client.get("/review").text)
    for headers in ({"origin": "http://evil.example"}, {"sec-fetch-site": "cross-site"}):
        response = review_client.post("/review", data={**fields, "decision": "accept"}, headers=headers)
        assert response.status_code == 403
    assert _decisions(own_warehouse) == []


def test_while_an_ingest_holds_the_warehouse_the_screen_asks_to_try_again(
    review_client: TestClient, own_warehouse: Path
) -> None:
    fields = _form(review_client.get("/review").text)
    holder = subprocess.Popen(
        [sys.executable, "-c", (
            "import sys, time\n"
            "from pathlib import Path\n"
            "from warehouse.db import writer_lock\n"
            f"with writer_lock(Path({str(own_warehouse)!r}), wait_s=5, command='ingest'):\n"
            "    print('held', flush=True)\n"
            "    time.sleep(8)\n"
        )],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        started = time.monotonic()
        response = review_client.post("/review", data={**fields, "decision": "accept"})
        assert response.status_code == 503 and "try again" in response.text
        assert time.monotonic() - started < 5  # a reviewer waits briefly; the ingest never waits
        assert _decisions(own_warehouse) == []
    finally:
        holder.kill()
        holder.wait()
