-- A stored document's metadata, to rebuild it for re-tagging.
SELECT path, title, doc_type, area, year, pages, extractor_version FROM documents WHERE sha256 = $sha256
