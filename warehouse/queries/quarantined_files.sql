-- Files quarantined before, not read again until their content changes. A file stopped by a
-- codebook regex's time bound is retried once the codebook ($version) has changed.
SELECT DISTINCT q.sha256, q.path, q.size, q.mtime_ns
FROM quarantine AS q
JOIN runs AS r USING (run_id)
WHERE q.reason <> 'regex_timeout' OR r.taxonomy_version = $version
