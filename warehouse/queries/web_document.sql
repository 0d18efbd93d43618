-- One document version's metadata, the version that replaced it (if any) and its word count.
SELECT d.sha256, d.path, d.title, d.doc_type, d.area, d.year, d.pages, d.words, d.extractor_version,
       d.metadata_source, d.ingested_at::TIMESTAMP AS ingested_at, d.run_id, d.supersedes, d.is_latest, d.tagged_version,
       (SELECT n.sha256 FROM documents AS n WHERE n.supersedes = d.sha256 LIMIT 1) AS superseded_by
FROM documents AS d
WHERE d.sha256 = $sha256;
