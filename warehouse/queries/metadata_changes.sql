-- Corrections of document metadata, newest first: what changed, from what, by whom and when.
SELECT c.change_id, c.changed_at::TIMESTAMP AS changed_at, c.changed_by, c.source, c.field,
       c.old_value, c.new_value, c.note, d.title, c.sha256, d.path
FROM metadata_changes AS c
LEFT JOIN documents AS d USING (sha256)
WHERE $sha256::VARCHAR IS NULL OR c.sha256 = $sha256
ORDER BY c.change_id DESC
LIMIT $limit;
