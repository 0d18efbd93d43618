INSERT INTO runs (run_id, command, started_at, status, workers, taxonomy_version, extractor_version)
VALUES (nextval('run_ids'), $command, now(), 'running', $workers, $taxonomy_version, $extractor_version)
RETURNING run_id;
