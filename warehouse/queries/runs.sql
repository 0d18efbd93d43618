-- Ingestion history, newest first, with each run's quarantined files.
-- Timestamps are cast to TIMESTAMP (session time zone): TIMESTAMPTZ needs pytz in Python.
SELECT r.run_id, r.command, r.status, r.started_at::TIMESTAMP AS started_at,
       r.finished_at::TIMESTAMP AS finished_at, r.seen, r.new, r.skipped, r.retagged,
       r.pages, r.workers, r.taxonomy_version, r.extractor_version, r.still_quarantined,
       coalesce((SELECT list({'path': q.path, 'sha256': q.sha256, 'reason': q.reason, 'message': q.message}
                             ORDER BY q.path)
                 FROM quarantine AS q WHERE q.run_id = r.run_id), []) AS quarantined
FROM runs AS r
ORDER BY r.run_id DESC
LIMIT $limit;
