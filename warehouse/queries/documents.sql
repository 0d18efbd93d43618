-- The latest version of each document; in_trends is false while it is still tagged with
-- another taxonomy version than the active one (trends leave it out until re-tagged).
-- themes / prominent_themes: the themes document_themes says it discusses / where they are prominent.
-- Timestamps are cast to TIMESTAMP (session time zone): TIMESTAMPTZ needs pytz in Python.
SELECT d.sha256, d.path, d.title, d.doc_type, d.area, d.year, d.pages, d.words,
       d.metadata_source, d.extractor_version, d.tagged_version, d.supersedes,
       d.ingested_at::TIMESTAMP AS ingested_at, d.run_id,
       d.tagged_version IS NOT DISTINCT FROM (SELECT version FROM active_taxonomy) AS in_trends,
       (SELECT count(*) FROM document_themes AS t WHERE t.sha256 = d.sha256 AND t.discussed) AS themes,
       (SELECT count(*) FROM document_themes AS t WHERE t.sha256 = d.sha256 AND t.prominent) AS prominent_themes
FROM current_documents AS d
ORDER BY d.year DESC NULLS LAST, d.title;
