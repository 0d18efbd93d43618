-- The documents staged by a re-tag to $version (swapped in by statements/switch_retag.sql).
SELECT sha256 FROM retag_documents WHERE version = $version ORDER BY sha256;
