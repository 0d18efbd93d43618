-- Remember a folder an ingest scanned (first and last run), so a bare `ingest` scans it again.
INSERT INTO ingest_folders (path, is_sample, first_run, last_run)
VALUES ($path, $is_sample, $run_id, $run_id)
ON CONFLICT (path) DO UPDATE SET last_run = excluded.last_run;
