-- The documents of a REFI-QDA export: the latest version of each, with its cleaned text.
SELECT d.sha256, d.title, d.path, d.doc_type, d.area, d.year, d.pages, t.text
FROM current_documents AS d
JOIN document_texts AS t USING (sha256)
ORDER BY d.year NULLS LAST, d.title, d.sha256;
