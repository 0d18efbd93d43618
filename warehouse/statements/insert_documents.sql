-- Insert a batch of new documents (registered as `incoming_documents`), linking each to
-- the version it replaces at the same path, then mark the replaced versions superseded.
INSERT INTO documents BY NAME
SELECT i.*, previous.sha256 AS supersedes, TRUE AS is_latest, now() AS ingested_at
FROM incoming_documents AS i
LEFT JOIN documents AS previous ON previous.path = i.path AND previous.is_latest;

UPDATE documents SET is_latest = FALSE
WHERE is_latest
  AND path IN (SELECT path FROM incoming_documents)
  AND sha256 NOT IN (SELECT sha256 FROM incoming_documents);
