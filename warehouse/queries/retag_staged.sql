-- Whether a re-tag to $version was started (a `--retag` run, or documents staged) and, the active
-- version being another, never finished: then any run with this codebook resumes it.
SELECT (SELECT count(*) FROM retag_documents WHERE version = $version)
     + (SELECT count(*) FROM runs WHERE command = 'ingest --retag' AND taxonomy_version = $version)
       AS staged
