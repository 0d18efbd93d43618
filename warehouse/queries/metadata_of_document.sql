-- A document named by a sha256 prefix or by its path, with its metadata (latest versions only).
SELECT DISTINCT d.sha256, d.path, d.title, d.doc_type, d.area, d.year
FROM documents AS d
LEFT JOIN document_paths AS p USING (sha256)
WHERE d.is_latest
  AND (starts_with(d.sha256, lower($ref)) OR d.path = $ref OR p.path = $ref)
ORDER BY d.sha256;
