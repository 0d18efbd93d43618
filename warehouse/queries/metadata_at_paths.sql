-- The stored metadata of the documents last seen at these paths (manifest rows name paths).
SELECT p.path, d.sha256, d.title, d.doc_type, d.area, d.year
FROM document_paths AS p
JOIN documents AS d USING (sha256)
WHERE list_contains($paths::VARCHAR[], p.path);
