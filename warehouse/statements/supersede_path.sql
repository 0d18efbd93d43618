-- Mark older versions of the same path as superseded; return the one replaced.
UPDATE documents SET is_latest = FALSE
WHERE path = $path AND is_latest AND sha256 <> $sha256
RETURNING sha256;
