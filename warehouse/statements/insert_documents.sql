-- Insert a batch of new documents (registered as `incoming_documents`, with every path each was
-- found at in `incoming_paths`), linking each to the content its path held before, then record
-- the paths and recompute which documents count: those some path was last seen holding.
INSERT INTO documents BY NAME
SELECT i.*, previous.sha256 AS supersedes, TRUE AS is_latest, now() AS ingested_at
FROM incoming_documents AS i
LEFT JOIN document_paths AS previous ON previous.path = i.path AND previous.sha256 <> i.sha256;

INSERT OR REPLACE INTO document_paths (path, sha256, seen_at)
SELECT path, sha256, now() FROM incoming_paths;

UPDATE documents SET is_latest = (sha256 IN (SELECT sha256 FROM document_paths))
WHERE is_latest IS DISTINCT FROM (sha256 IN (SELECT sha256 FROM document_paths));
