-- Correct one metadata field of a stored document and record the change ($field is one of
-- title, doc_type, area, year; the CASE keeps the column choice out of string building).
UPDATE documents
SET title = CASE WHEN $field = 'title' THEN $new_value ELSE title END,
    doc_type = CASE WHEN $field = 'doc_type' THEN $new_value ELSE doc_type END,
    area = CASE WHEN $field = 'area' THEN $new_value ELSE area END,
    year = CASE WHEN $field = 'year' THEN CAST($new_value AS INTEGER) ELSE year END,
    metadata_source = $metadata_source
WHERE sha256 = $sha256;
INSERT INTO metadata_changes (sha256, field, old_value, new_value, source, changed_by, note)
VALUES ($sha256, $field, $old_value, $new_value, $source, $changed_by, $note);
