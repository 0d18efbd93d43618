-- Swap every staged tagging in and make $version active, in one transaction (the caller's):
-- readers see the old codebook complete until this commits, then the new one complete.
DELETE FROM mentions WHERE sha256 IN (SELECT sha256 FROM retag_documents WHERE version = $version);
DELETE FROM text_units WHERE sha256 IN (SELECT sha256 FROM retag_documents WHERE version = $version);
INSERT INTO text_units BY NAME
SELECT * FROM retag_text_units WHERE sha256 IN (SELECT sha256 FROM retag_documents WHERE version = $version);
INSERT INTO mentions BY NAME SELECT * FROM retag_mentions WHERE taxonomy_version = $version;
UPDATE documents SET tagged_version = $version
WHERE sha256 IN (SELECT sha256 FROM retag_documents WHERE version = $version);
INSERT OR REPLACE INTO active_taxonomy (only_row, version) VALUES (TRUE, $version);
DELETE FROM retag_mentions;
DELETE FROM retag_text_units;
DELETE FROM retag_documents;
