-- Keep only what a re-tag to $version staged before (a killed one resumes); drop older stagings.
DELETE FROM retag_mentions
WHERE taxonomy_version <> $version
   OR sha256 NOT IN (SELECT sha256 FROM retag_documents WHERE version = $version);
DELETE FROM retag_text_units WHERE sha256 NOT IN (SELECT sha256 FROM retag_documents WHERE version = $version);
DELETE FROM retag_documents WHERE version <> $version;
