"""Finding files and reading manifests."""

from __future__ import annotations

import pytest

from pipeline.errors import ManifestError, UsageError
from pipeline.hashing import sha256_file
from pipeline.ingest.inbox import (
    ManifestRow,
    apply_manifest,
    find_files,
    find_manifests,
    read_manifest,
)
from pipeline.records import DocumentMetadata


def test_find_files_walks_folders_keeps_supported_suffixes_and_skips_manifests(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "a.pdf").write_bytes(b"%PDF-")
    (tmp_path / "sub" / "b.PDF").write_bytes(b"%PDF-")
    (tmp_path / "notes.xyz").write_text("x")
    (tmp_path / "manifest.csv").write_text("file\n")
    found = find_files([tmp_path, tmp_path / "a.pdf"], (".pdf",))
    assert [p.name for p in found] == ["a.pdf", "b.PDF"]


def test_a_missing_path_is_a_usage_error(tmp_path):
    with pytest.raises(UsageError, match="No such file"):
        find_files([tmp_path / "nope"], (".pdf",))


def test_sha256_matches_hashlib(tmp_path):
    import hashlib

    path = tmp_path / "x.bin"
    path.write_bytes(b"abc" * 1_000_000)
    assert sha256_file(path) == hashlib.sha256(b"abc" * 1_000_000).hexdigest()


def test_manifest_rows_override_inference_and_empty_cells_mean_infer(tmp_path):
    (tmp_path / "manifest.csv").write_text(
        "file,title,doc_type,area,year\na.pdf,SAR Mr K,sar,,2021\nb.pdf,,,Eastvale,\n", encoding="utf-8"
    )
    rows = find_manifests([tmp_path], None)
    inferred = DocumentMetadata(title="Guess", doc_type="other", area="Guessed", year=2019)
    a = apply_manifest(inferred, rows[(tmp_path / "a.pdf").resolve()])
    b = apply_manifest(inferred, rows[(tmp_path / "b.pdf").resolve()])
    assert a == DocumentMetadata(title="SAR Mr K", doc_type="sar", area="Guessed", year=2021)
    assert b == DocumentMetadata(title="Guess", doc_type="other", area="Eastvale", year=2019)
    assert apply_manifest(inferred, None) == inferred


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("name,year\na.pdf,2020\n", "needs a 'file' column"),
        ("file,doc_type\na.pdf,serious_case\n", "Unknown document type 'serious_case'. Did you mean cspr"),
        ("file,year\na.pdf,twenty\n", "'twenty' is not a year: write 2023, or a reporting period"),
        ("file,year\n,2020\n", "'file' cell is empty"),
    ],
)
def test_bad_manifests_name_file_and_line(tmp_path, content, message):
    path = tmp_path / "manifest.csv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ManifestError, match=message) as error:
        read_manifest(path)
    assert str(path) in str(error.value)
    assert ":1:" in str(error.value) or ":2:" in str(error.value)


def test_manifest_row_defaults_are_all_infer():
    assert ManifestRow() == ManifestRow(None, None, None, None)
