-- Documents a re-tag to $version has still to do: tagged with another version and not yet staged.
-- Longest first, so that the workers finish together (as ingest hands out the largest files first).
SELECT sha256 FROM documents
WHERE tagged_version IS DISTINCT FROM $version
  AND sha256 NOT IN (SELECT sha256 FROM retag_documents WHERE version = $version)
ORDER BY words DESC, sha256
