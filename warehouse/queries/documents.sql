-- The documents counted in trends (the latest version of each path).
SELECT d.sha256, d.path, d.title, d.doc_type, d.area, d.year, d.pages, d.words,
       d.metadata_source, d.extractor_version, d.tagged_version, d.supersedes, d.ingested_at, d.run_id,
       (SELECT count(DISTINCT theme) FROM current_mentions AS m WHERE m.sha256 = d.sha256 AND m.counted) AS themes
FROM current_documents AS d
ORDER BY d.year DESC NULLS LAST, d.title;
