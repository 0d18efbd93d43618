-- The folders (or files) this warehouse was fed, in the order first fed.
SELECT path, is_sample, first_run, last_run FROM ingest_folders ORDER BY first_run, path;
