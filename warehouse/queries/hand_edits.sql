-- When each document field was last set by hand (`documents set`), as epoch seconds:
-- a manifest written before that does not undo it.
SELECT sha256, field, max(epoch(changed_at)) AS changed_epoch
FROM metadata_changes
WHERE source = 'documents set'
GROUP BY sha256, field;
