-- Documents a re-tag to $version has still to do: tagged with another version and not yet staged.
SELECT sha256 FROM documents
WHERE tagged_version IS DISTINCT FROM $version
  AND sha256 NOT IN (SELECT sha256 FROM retag_documents WHERE version = $version)
ORDER BY sha256
