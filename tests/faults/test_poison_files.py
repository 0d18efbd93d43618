"""Items 2, 3 and 10 of issue 17: no file can stall or poison a night; no codebook regex can hang it.

A night of good reports plus poison files (a 2 MB one-line text, a 1.1 MB web page in
one paragraph, a Word zip bomb, an oversized text, binary junk named .txt) runs the
real CLI in a subprocess: the good files load, each bad one is quarantined with its reason.
"""

from __future__ import annotations

import json
import os
import random
import time
import zipfile
from pathlib import Path

import docx
import pytest

from tests.faults.helpers import copy_codebook, query, run, sample_inbox

pytestmark = pytest.mark.slow
SENTENCE = "The practitioners did not share information about the hoarding with the GP. "
BOMB_XML_BYTES = 40_000_000
OVERSIZED_TXT_BYTES = 60_000_000


def docx_bomb(path: Path, unpacked: int = BOMB_XML_BYTES) -> None:
    """Write a small .docx whose document.xml unpacks to `unpacked` bytes."""
    document = docx.Document()
    document.add_paragraph("Learning review")
    document.save(str(path))
    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    paragraph = b"<w:p><w:r><w:t>" + b"neglect " * 500 + b"</w:t></w:r></w:p>"
    body = paragraph * (unpacked // len(paragraph))
    xml = parts["word/document.xml"]
    parts["word/document.xml"] = xml.replace(b"<w:body>", b"<w:body>" + body, 1)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)


def poison_night(folder: Path) -> Path:
    inbox = sample_inbox(folder, 4)
    (inbox / "one-line-2mb.txt").write_text(SENTENCE * (2_000_000 // len(SENTENCE)), encoding="utf-8")
    (inbox / "one-paragraph.html").write_text(
        "<html><body><p>" + SENTENCE * (1_100_000 // len(SENTENCE)) + "</p></body></html>", encoding="utf-8"
    )
    docx_bomb(inbox / "bomb.docx")
    with (inbox / "oversized.txt").open("wb") as handle:
        handle.write(SENTENCE.encode() * (OVERSIZED_TXT_BYTES // len(SENTENCE) + 1))
    (inbox / "junk.txt").write_bytes(random.Random(17).randbytes(200_000))
    return inbox


def test_poison_files_are_quarantined_or_read_in_pieces_and_the_rest_loads(tmp_path):
    inbox = poison_night(tmp_path / "inbox")
    db = tmp_path / "night.duckdb"
    started = time.monotonic()
    taxonomy = copy_codebook(tmp_path)
    result = run(db, "ingest", str(inbox), "--workers", "2", "--format", "json", taxonomy=taxonomy)
    elapsed = time.monotonic() - started
    assert result.returncode == 3, result.stderr
    summary = json.loads(result.stdout)
    reasons = {Path(q["path"]).name: q["reason"] for q in summary["quarantined"]}
    assert reasons == {"bomb.docx": "too_large", "oversized.txt": "too_large", "junk.txt": "not_a_document"}
    assert summary["new"] == 6  # 4 reports, the one-line text and the one-paragraph page
    longest = query(db, "SELECT max(end_offset - start_offset) FROM blocks")[0][0]
    assert longest <= 50_000, "a long paragraph was not cut into bounded pieces"
    counted = query(
        db, "SELECT count(*) FROM mentions m JOIN documents d USING (sha256) WHERE d.path LIKE '%one-line%'"
    )[0][0]
    assert counted > 1000
    assert elapsed < 240


def test_a_file_over_the_time_limit_is_quarantined_and_the_rest_loads(tmp_path):
    inbox = sample_inbox(tmp_path / "inbox", 3)
    (inbox / "slow.txt").write_text(SENTENCE * (2_000_000 // len(SENTENCE)), encoding="utf-8")
    db = tmp_path / "slow.duckdb"
    result = run(db, "ingest", str(inbox), "--time-limit", "1", "--format", "json")
    assert result.returncode == 3, result.stderr
    summary = json.loads(result.stdout)
    assert [(Path(q["path"]).name, q["reason"]) for q in summary["quarantined"]] == [("slow.txt", "timeout")]
    assert summary["new"] == 3


def _add_theme(taxonomy: Path, pattern: str) -> tuple[Path, int]:
    """Append a theme with one regex to the codebook; return its file and the regex's line."""
    path = sorted(taxonomy.glob("themes-*.toml"))[0]
    text = path.read_text(encoding="utf-8").rstrip("\n")
    table = (
        '\n\n[themes.zz_probe]\nlabel = "Probe"\nscope = "all_age"\ngroup = "practice"\n'
        f'definition = "A probe."\nregex = [{json.dumps(pattern)}]\n'
    )
    path.write_text(text + table, encoding="utf-8")
    return path, len((text + table).splitlines())


@pytest.mark.parametrize("pattern", ["(a+)+$", r"(\w+\s?)*;", r"\b", "x*"])
def test_a_catastrophic_or_empty_matching_regex_is_refused_at_load_with_file_line_and_theme(
    tmp_path, pattern
):
    taxonomy = copy_codebook(tmp_path)
    path, line = _add_theme(taxonomy, pattern)
    inbox = sample_inbox(tmp_path / "inbox", 1)
    result = run(tmp_path / "w.duckdb", "ingest", str(inbox), taxonomy=taxonomy)
    assert result.returncode == 2
    assert f"{path}:{line}: theme zz_probe: regex pattern" in result.stderr, result.stderr


def test_a_slow_regex_that_passes_validation_is_stopped_and_reported(tmp_path):
    taxonomy = copy_codebook(tmp_path)
    _add_theme(taxonomy, "(?:a{1,9}){1,99}b")
    inbox = sample_inbox(tmp_path / "inbox", 2)
    (inbox / "trap.txt").write_text("Learning review.\n\n" + "a" * 300 + "\n", encoding="utf-8")
    started = time.monotonic()
    result = run(tmp_path / "w.duckdb", "ingest", str(inbox), "--format", "json", taxonomy=taxonomy)
    assert time.monotonic() - started < 120
    assert result.returncode == 3, result.stderr
    (item,) = json.loads(result.stdout)["quarantined"]
    assert (Path(item["path"]).name, item["reason"]) == ("trap.txt", "regex_timeout")
    assert "(?:a{1,9}){1,99}b" in item["message"] and "zz_probe" in item["message"]
    assert json.loads(result.stdout)["new"] == 2


def test_binary_junk_named_txt_is_quarantined_but_odd_real_text_is_not(tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "junk.txt").write_bytes(os.urandom(50_000))
    (inbox / "latin1.txt").write_bytes("Caf\xe9 review: the GP did not share information.\n".encode("cp1252"))
    result = run(tmp_path / "w.duckdb", "ingest", str(inbox), "--format", "json")
    assert result.returncode == 3
    summary = json.loads(result.stdout)
    reasons = [(Path(q["path"]).name, q["reason"]) for q in summary["quarantined"]]
    assert reasons == [("junk.txt", "not_a_document")]
    assert summary["new"] == 1
