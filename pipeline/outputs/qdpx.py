"""Export the warehouse as a REFI-QDA project (QDA-XML 1.0 `.qdpx`) for NVivo, MAXQDA, ATLAS.ti, QualCoder.

The taxonomy becomes the codebook (themes grouped under their group, with definitions),
each current document a text source (its cleaned text, the text all offsets refer to),
each counted mention a coded selection, and doc_type, area and year source variables.
GUIDs are derived from content (uuid5), so exporting the same warehouse twice gives the
same project. Offsets count code points, end exclusive; text is normalised to NFC with LF
line ends piece by piece between offsets, so every selection still covers its matched text.
As the standard says, characters outside the Basic Multilingual Plane (emoji) can shift
selections in importers that count UTF-16 units; review texts rarely contain them.
"""

from __future__ import annotations

import unicodedata
import uuid
import zipfile
from dataclasses import dataclass
from datetime import UTC, datetime
from itertools import pairwise
from pathlib import Path
from typing import Any
from xml.etree import ElementTree as ET

import duckdb

from pipeline.analysis import queries
from pipeline.output import writing
from warehouse.db import run_query

NAMESPACE = "urn:QDA-XML:project:1.0"
PROJECT_FILE = "project.qde"
SOURCES_FOLDER = "sources"
GUID_NAMESPACE = uuid.UUID("5b0c5d3e-6c1f-4f0e-9a51-7f3b2e8d9c41")  # fixed: stable GUIDs across exports
ORIGIN = "safeguarding-themes"
DEFAULT_PROJECT_NAME = "Safeguarding review themes"
USER_NAME = "safeguarding-themes (automatic rule-based coding)"
# Okabe-Ito colours (distinguishable with colour-vision deficiencies), one per taxonomy group.
GROUP_COLOURS = {
    "practice": "#0072B2",
    "system": "#E69F00",
    "context": "#009E73",
    "harm": "#D55E00",
    "population": "#CC79A7",
}
OTHER_GROUP_COLOUR = "#999999"
VARIABLES = (("doc_type", "Text"), ("area", "Text"), ("year", "Integer"))


@dataclass(frozen=True)
class QdpxSummary:
    """What an export wrote."""

    sources: int
    codes: int
    selections: int


def guid(*parts: object) -> str:
    """Return a stable GUID for the thing named by `parts`."""
    return str(uuid.uuid5(GUID_NAMESPACE, "\x1f".join(map(str, parts))))


def _tag(name: str) -> str:
    return f"{{{NAMESPACE}}}{name}"


def _child(parent: ET.Element, tag: str, text: str | None = None, /, **attributes: Any) -> ET.Element:
    element = ET.SubElement(parent, _tag(tag), {key: str(value) for key, value in attributes.items()})
    if text is not None:
        element.text = text
    return element


def _normal(text: str) -> str:
    return unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))


def normalise_text(text: str, spans: list[tuple[int, int]]) -> tuple[str, list[tuple[int, int]]]:
    """Return NFC/LF text and the spans moved to match, normalising the pieces between span ends."""
    cuts = sorted({0, len(text), *(offset for span in spans for offset in span)})
    position, total, pieces = {0: 0}, 0, []
    for start, end in pairwise(cuts):
        piece = _normal(text[start:end])
        pieces.append(piece)
        total += len(piece)
        position[end] = total
    return "".join(pieces), [(position[start], position[end]) for start, end in spans]


def _codebook(project: ET.Element, themes: list[dict[str, Any]]) -> dict[str, str]:
    """Write the codebook (group codes holding theme codes); return {theme id: code GUID}."""
    codes = _child(_child(project, "CodeBook"), "Codes")
    groups: dict[str, ET.Element] = {}
    code_guids = {}
    for theme in themes:
        group = theme.get("group") or "other"
        colour = GROUP_COLOURS.get(group, OTHER_GROUP_COLOUR)
        if group not in groups:
            groups[group] = _child(codes, "Code", guid=guid("group", group), name=group.capitalize(),
                                   isCodable="false", color=colour)
        code_guids[theme["id"]] = guid("code", theme["id"])
        code = _child(groups[group], "Code", guid=code_guids[theme["id"]], name=theme["label"],
                      isCodable="true", color=colour)
        _child(code, "Description", f"{theme.get('definition') or ''} [id: {theme['id']}]".strip())
    return code_guids


def _variables(project: ET.Element) -> dict[str, str]:
    variables = _child(project, "Variables")
    guids = {}
    for name, kind in VARIABLES:
        guids[name] = guid("variable", name)
        _child(variables, "Variable", guid=guids[name], name=name, typeOfVariable=kind)
    return guids


def _source(
    sources: ET.Element, document: dict[str, Any], codings: list[dict[str, Any]], context: dict[str, Any]
) -> str:
    """Write one TextSource with its coded selections and variables; return its normalised text."""
    source_guid = guid("source", document["sha256"])
    spans = [(row["start_offset"], row["end_offset"]) for row in codings]
    text, moved = normalise_text(document["text"], spans)
    source = _child(sources, "TextSource", guid=source_guid, name=document["name"],
                    plainTextPath=f"internal://{source_guid}.txt", **context["stamp"])
    _child(source, "Description", f"{document['path']} ({document['pages']} pages)")
    for row, (start, end) in zip(codings, moved, strict=True):
        selection_guid = guid("selection", source_guid, start, end, row["theme"])
        selection = _child(source, "PlainTextSelection", guid=selection_guid, name=text[start:end],
                           startPosition=start, endPosition=end, **context["stamp"])
        _child(selection, "Description", f"page {row['page']}, {row['section']}")
        coding = _child(selection, "Coding", guid=guid("coding", source_guid, start, end, row["theme"]),
                        **context["stamp"])
        _child(coding, "CodeRef", targetGUID=context["codes"][row["theme"]])
    for name, kind in VARIABLES:
        if document[name] is not None:
            value = _child(source, "VariableValue")
            _child(value, "VariableRef", targetGUID=context["variables"][name])
            _child(value, f"{kind}Value", str(document[name]))
    return text


def _named(documents: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Give every document a unique source name (importers key sources by name): its title, numbered."""
    seen: dict[str, int] = {}
    for document in documents:
        base = document["title"] or Path(document["path"]).name
        seen[base] = seen.get(base, 0) + 1
        document["name"] = base if seen[base] == 1 else f"{base} ({seen[base]})"
    return documents


def build_project(
    con: duckdb.DuckDBPyConnection, *, name: str, reviewed: bool = False
) -> tuple[ET.Element, dict[str, str], int]:
    """Return the project element, {source GUID: text} and the number of selections."""
    created = datetime.now(UTC).replace(microsecond=0).isoformat()
    user = guid("user", USER_NAME)
    project = ET.Element(_tag("Project"), {"name": name, "origin": ORIGIN, "creatingUserGUID": user,
                                           "creationDateTime": created})
    _child(_child(project, "Users"), "User", guid=user, name=USER_NAME)
    themes = queries.active_themes(con)
    context = {"codes": _codebook(project, themes), "variables": _variables(project),
               "stamp": {"creatingUser": user, "creationDateTime": created}}
    by_document: dict[str, list[dict[str, Any]]] = {}
    for row in run_query(con, "qdpx_codings", reviewed=reviewed):
        if row["theme"] in context["codes"]:
            by_document.setdefault(row["sha256"], []).append(row)
    sources, texts = _child(project, "Sources"), {}
    for document in _named(run_query(con, "qdpx_sources")):
        texts[guid("source", document["sha256"])] = _source(
            sources, document, by_document.get(document["sha256"], []), context
        )
    return project, texts, sum(len(rows) for rows in by_document.values())


def write_qdpx(
    con: duckdb.DuckDBPyConnection, out: Path, *, name: str = DEFAULT_PROJECT_NAME, reviewed: bool = False
) -> QdpxSummary:
    """Write the warehouse to `out` as a .qdpx (zip of project.qde and sources/<GUID>.txt).

    With `reviewed`, review decisions apply: rejected hits are not coded, added themes are
    coded on their whole sentence.

    Raises:
        UsageError: `out` cannot be written.
    """
    ET.register_namespace("", NAMESPACE)
    with writing(out):
        project, texts, selections = build_project(con, name=name, reviewed=reviewed)
        ET.indent(project)
        xml = ET.tostring(project, encoding="utf-8", xml_declaration=True)
        with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            archive.writestr(PROJECT_FILE, xml)
            for source_guid, text in texts.items():
                archive.writestr(f"{SOURCES_FOLDER}/{source_guid}.txt", text.encode("utf-8"))
    codes = len(project.findall(f".//{_tag('Code')}[@isCodable='true']"))
    return QdpxSummary(sources=len(texts), codes=codes, selections=selections)
