"""The REFI-QDA export: schema-valid, referentially sound, selections cut the mentioned words."""

from __future__ import annotations

import unicodedata
import zipfile
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest

from pipeline.outputs.qdpx import NAMESPACE, normalise_text, write_qdpx
from tests.export.conftest import DOCUMENTS, THEMES

SCHEMA_PATH = Path(__file__).resolve().parents[3] / "shared" / "reference" / "refi-qda" / "Project.xsd"
NS = {"q": NAMESPACE}
INTERNAL_PREFIX = "internal://"


@pytest.fixture
def qdpx(con, tmp_path) -> Path:
    """Export the fixture warehouse and return the .qdpx path."""
    out = tmp_path / "project.qdpx"
    write_qdpx(con, out)
    return out


def _get(node: ET.Element, name: str) -> str:
    """Return an attribute that must be present."""
    value = node.get(name)
    assert value is not None, f"{node.tag} has no {name}"
    return value


def _find(node: ET.Element, path: str) -> ET.Element:
    """Return a child element that must be present."""
    found = node.find(path, NS)
    assert found is not None, f"{node.tag} has no {path}"
    return found


def _project(path: Path) -> tuple[ET.Element, dict[str, str]]:
    """Return the parsed project.qde and {source GUID: text} from the zip."""
    with zipfile.ZipFile(path) as archive:
        root = ET.fromstring(archive.read("project.qde"))
        texts = {
            name.removeprefix("sources/").removesuffix(".txt"): archive.read(name).decode("utf-8")
            for name in archive.namelist()
            if name.startswith("sources/")
        }
    return root, texts


@pytest.mark.shared
def test_project_validates_against_the_refi_qda_schema(qdpx):
    etree = pytest.importorskip("lxml.etree")
    if not SCHEMA_PATH.exists():
        pytest.skip(f"{SCHEMA_PATH} is absent")
    schema = etree.XMLSchema(etree.parse(str(SCHEMA_PATH)))
    with zipfile.ZipFile(qdpx) as archive:
        document = etree.fromstring(archive.read("project.qde"))
    assert schema.validate(document), schema.error_log


def test_codebook_holds_every_theme_with_its_definition(qdpx):
    root, _ = _project(qdpx)
    codes = {_get(code, "name"): code for code in root.iterfind(".//q:Code[@isCodable='true']", NS)}
    assert set(codes) == {theme["label"] for theme in THEMES}
    for theme in THEMES:
        assert theme["definition"] in (_find(codes[theme["label"]], "q:Description").text or "")


def test_every_code_ref_names_a_code(qdpx):
    root, _ = _project(qdpx)
    code_guids = {_get(code, "guid") for code in root.iterfind(".//q:Code[@isCodable='true']", NS)}
    refs = [_get(ref, "targetGUID") for ref in root.iterfind(".//q:CodeRef", NS)]
    assert refs
    assert set(refs) <= code_guids


def test_one_source_per_document_with_its_text_file(qdpx):
    root, texts = _project(qdpx)
    sources = root.findall(".//q:TextSource", NS)
    assert len(sources) == len(DOCUMENTS)
    for source in sources:
        assert _get(source, "plainTextPath") == f"{INTERNAL_PREFIX}{_get(source, 'guid')}.txt"
        assert _get(source, "guid") in texts


def _expected_selections() -> list[tuple[str, str, str]]:
    """Return (document title, theme label, matched text) of every counted mention in the fixture."""
    labels = {theme["id"]: theme["label"] for theme in THEMES}
    return sorted(
        (title, labels[theme], phrase)
        for title, _, _, _, sentences in DOCUMENTS
        for _, _, hits in sentences
        for theme, phrase, counted in hits
        if counted
    )


def test_every_selection_cuts_the_mentions_matched_text(qdpx):
    root, texts = _project(qdpx)
    code_names = {_get(code, "guid"): _get(code, "name") for code in root.iterfind(".//q:Code", NS)}
    found = []
    for source in root.iterfind(".//q:TextSource", NS):
        text = texts[_get(source, "guid")]
        for selection in source.iterfind("q:PlainTextSelection", NS):
            start, end = int(_get(selection, "startPosition")), int(_get(selection, "endPosition"))
            code = code_names[_get(_find(selection, "q:Coding/q:CodeRef"), "targetGUID")]
            found.append((_get(source, "name"), code, text[start:end]))
    assert sorted(found) == _expected_selections()  # uncounted (negated) mentions are left out


def test_document_metadata_are_variables(qdpx):
    root, _ = _project(qdpx)
    variables = {_get(v, "guid"): _get(v, "name") for v in root.iterfind(".//q:Variable", NS)}
    assert sorted(variables.values()) == ["area", "doc_type", "year"]
    expected = {
        title: {"doc_type": kind, "area": area, "year": str(year)} for title, kind, area, year, _ in DOCUMENTS
    }
    for source in root.iterfind(".//q:TextSource", NS):
        values = {
            variables[_get(_find(value, "q:VariableRef"), "targetGUID")]: value[1].text
            for value in source.iterfind("q:VariableValue", NS)
        }
        assert values == expected[_get(source, "name")]


def test_guids_are_stable_across_exports(con, tmp_path):
    first, second = tmp_path / "a.qdpx", tmp_path / "b.qdpx"
    write_qdpx(con, first)
    write_qdpx(con, second)
    guids = [
        sorted(_get(node, "guid") for node in _project(path)[0].iter() if "guid" in node.attrib)
        for path in (first, second)
    ]
    assert guids[0] == guids[1]


@pytest.mark.parametrize(
    ("text", "span", "expected"),
    [
        ("Zoe\u0301 said self-neglect", (10, 22), "self-neglect"),  # a combining accent before the span
        ("line one\r\nself-neglect", (10, 22), "self-neglect"),  # CRLF before the span
        ("cafe\u0301 culture", (0, 5), "caf\u00e9"),  # the span itself is normalised
        ("plain text", (6, 10), "text"),  # must not change
    ],
)
def test_normalise_text_moves_spans_with_the_text(text, span, expected):
    normal, (moved,) = normalise_text(text, [span])
    assert normal == unicodedata.normalize("NFC", text.replace("\r\n", "\n"))
    assert normal[moved[0]:moved[1]] == expected
