-- What trends count: the latest version of each document, and only mentions
-- made with the active taxonomy version (so versions never mix silently).

CREATE VIEW current_documents AS
SELECT * FROM documents WHERE is_latest;

CREATE VIEW current_mentions AS
SELECT m.*, d.title, d.year, d.doc_type, d.area, d.path
FROM mentions AS m
JOIN documents AS d USING (sha256)
WHERE d.is_latest
  AND m.taxonomy_version = (SELECT version FROM active_taxonomy);
