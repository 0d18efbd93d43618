"""The dashboard's document pages: the list, one document's themes, its text with the hits marked."""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from typing import Any

import duckdb
from starlette.datastructures import QueryParams

from pipeline.records import DOC_TYPES
from pipeline.web import forms
from pipeline.web.pages import NotFound, Page, _offset, _pages, theme_labels
from pipeline.web.text import in_context, mark_segments
from warehouse.db import run_query

DOCUMENT_MENTIONS_LIMIT = 2_000


def documents(con: duckdb.DuckDBPyConnection, params: QueryParams, fmt: str) -> Page:
    """The documents counted in trends, filterable by year, type and title."""
    year = forms.integer(params, "year", forms.YEAR_RANGE)
    doc_types = forms.choices(params, "doc_type", DOC_TYPES)
    search = forms.text(params, "q")
    number, limit, offset = _offset(params, fmt)
    rows = run_query(
        con,
        "web_documents",
        year=year,
        doc_types=doc_types or None,
        patterns=forms.like_patterns(search),
        limit=limit,
        offset=offset,
    )
    total = rows[0]["total"] if rows else 0
    return Page(
        "documents.html",
        {
            "results": rows,
            "total": total,
            "year": year,
            "doc_types": doc_types,
            "search": search,
            "page": number,
            "pages": _pages(total),
            "all_doc_types": DOC_TYPES,
        },
        rows=rows,
        columns=[
            "title",
            "doc_type",
            "area",
            "year",
            "pages",
            "words",
            "themes",
            "metadata_source",
            "path",
            "sha256",
        ],
        download_name="documents",
        title="Documents",
    )


def _document_meta(con: duckdb.DuckDBPyConnection, sha256: str) -> dict[str, Any]:
    found = run_query(con, "web_document", sha256=sha256)
    if not found:
        raise NotFound(f"There is no document {sha256[:12]}… in the warehouse; see the documents page.")
    return found[0]


def _document_text(con: duckdb.DuckDBPyConnection, sha256: str) -> str:
    found = run_query(con, "web_document_text", sha256=sha256)
    return found[0]["text"] if found else ""


def document(con: duckdb.DuckDBPyConnection, params: QueryParams, fmt: str, sha256: str) -> Page:
    """A document's metadata, its themes, and the text around each mention."""
    meta = _document_meta(con, sha256)
    include_uncounted = params.get("all") == "1"
    text = _document_text(con, sha256)
    mentions = run_query(
        con,
        "web_document_mentions",
        sha256=sha256,
        include_uncounted=include_uncounted,
        limit=DOCUMENT_MENTIONS_LIMIT,
    )
    for mention in mentions:
        mention["snippet"] = in_context(text, mention["start_offset"], mention["end_offset"])
        mention["context"] = "".join(piece.text for piece in mention["snippet"])
    doc_themes = run_query(con, "web_document_themes", sha256=sha256)
    return Page(
        "document.html",
        {
            "doc": meta,
            "labels": theme_labels(con),
            "doc_themes": [t for t in doc_themes if t["counted"]],
            "uncounted_themes": [t for t in doc_themes if not t["counted"]],
            "mention_groups": _group_by_theme(mentions, [t["theme"] for t in doc_themes]),
            "include_uncounted": include_uncounted,
            "mentions_capped": len(mentions) >= DOCUMENT_MENTIONS_LIMIT,
            "mention_limit": DOCUMENT_MENTIONS_LIMIT,
        },
        rows=mentions,
        columns=["theme", "page", "section", "counted", "reason", "matched_text", "start_offset", "context"],
        download_name=f"document-{sha256[:12]}-mentions",
        title=meta["title"] or meta["path"],
    )


def _group_by_theme(mentions: Sequence[dict[str, Any]], order: Sequence[str]) -> list[tuple[str, list]]:
    """Group mentions by theme, themes in `order` (the themes table's order)."""
    groups: dict[str, list[dict[str, Any]]] = {theme: [] for theme in order}
    for mention in mentions:
        groups.setdefault(mention["theme"], []).append(mention)
    return [(theme, items) for theme, items in groups.items() if items]


def _pages_of_blocks(text: str, blocks: Sequence[dict[str, Any]], mentions: Sequence[dict[str, Any]]):
    """Group blocks by page, each split into segments at its mentions (mentions sorted by start)."""
    starts = [m["start_offset"] for m in mentions]
    pages: list[dict[str, Any]] = []
    for block in blocks:
        if not pages or pages[-1]["page"] != block["page"]:
            pages.append({"page": block["page"], "blocks": []})
        first, last = (bisect.bisect_left(starts, block[key]) for key in ("start_offset", "end_offset"))
        segments = mark_segments(text, block["start_offset"], block["end_offset"], mentions[first:last])
        pages[-1]["blocks"].append({**block, "segments": segments})
    return pages


def document_text(con: duckdb.DuckDBPyConnection, params: QueryParams, fmt: str, sha256: str) -> Page:
    """The whole document, page by page, with counted mentions marked and anchored."""
    meta = _document_meta(con, sha256)
    text = _document_text(con, sha256)
    blocks = run_query(con, "web_document_blocks", sha256=sha256)
    mentions = run_query(
        con,
        "web_document_mentions",
        sha256=sha256,
        include_uncounted=False,
        limit=DOCUMENT_MENTIONS_LIMIT * 10,
    )
    return Page(
        "document_text.html",
        {"doc": meta, "labels": theme_labels(con), "pages": _pages_of_blocks(text, blocks, mentions)},
        rows=[{**b, "text": text[b["start_offset"] : b["end_offset"]]} for b in blocks],
        columns=["block_no", "page", "kind", "section", "start_offset", "end_offset", "text"],
        download_name=f"document-{sha256[:12]}-text",
        title=meta["title"] or meta["path"],
    )
