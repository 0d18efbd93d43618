-- Files still quarantined: each path's latest quarantine, unless a later ingest loaded it.
SELECT q.path, q.reason, q.message, q.run_id, q.quarantined_at::TIMESTAMP AS quarantined_at,
       count(*) OVER (PARTITION BY q.path) AS times
FROM quarantine AS q
WHERE NOT EXISTS (
    SELECT 1 FROM current_documents AS d WHERE d.path = q.path AND d.ingested_at > q.quarantined_at
)
QUALIFY row_number() OVER (PARTITION BY q.path ORDER BY q.quarantined_at DESC, q.run_id DESC) = 1
ORDER BY q.quarantined_at DESC, q.path
LIMIT $limit;
