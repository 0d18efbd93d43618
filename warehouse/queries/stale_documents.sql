-- Documents tagged with another version than $version: the ones `ingest --retag` re-tags.
SELECT sha256 FROM documents WHERE tagged_version IS DISTINCT FROM $version ORDER BY sha256
