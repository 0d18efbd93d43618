-- Theme x bucket trend cells, every (theme, bucket) pair present, zeros included.
-- $by: year | doc_type | area.  $metric: share | documents | mentions | per_10k.
-- share = documents in the bucket with >= 1 counted mention / documents in the bucket.
-- Denominators come from trend_documents, so a document tagged with another taxonomy version
-- counts nowhere.
WITH docs AS (
    SELECT sha256, words,
           CASE $by
               WHEN 'year' THEN coalesce(CAST(year AS VARCHAR), 'unknown')
               WHEN 'doc_type' THEN doc_type
               WHEN 'area' THEN coalesce(area, 'unknown')
           END AS bucket
    FROM trend_documents
    WHERE ($since::INTEGER IS NULL OR year >= $since)
      AND ($until::INTEGER IS NULL OR year <= $until)
      AND ($doc_types::VARCHAR[] IS NULL OR list_contains($doc_types::VARCHAR[], doc_type))
      AND ($areas::VARCHAR[] IS NULL OR list_contains($areas::VARCHAR[], area))
),
buckets AS (
    SELECT bucket, count(*) AS total_documents, sum(words) AS total_words
    FROM docs GROUP BY bucket
),
themes AS (
    SELECT unnest($themes::VARCHAR[]) AS theme
),
hits AS (
    SELECT m.theme, d.bucket, count(DISTINCT m.sha256) AS documents, count(*) AS mentions
    FROM current_mentions AS m
    JOIN docs AS d USING (sha256)
    WHERE m.counted
      AND ($sections::VARCHAR[] IS NULL OR list_contains($sections::VARCHAR[], m.section))
    GROUP BY m.theme, d.bucket
)
SELECT t.theme,
       b.bucket,
       CASE $metric
           WHEN 'share' THEN coalesce(h.documents, 0) / b.total_documents
           WHEN 'documents' THEN coalesce(h.documents, 0)
           WHEN 'mentions' THEN coalesce(h.mentions, 0)
           WHEN 'per_10k' THEN coalesce(h.mentions, 0) * 10000.0 / nullif(b.total_words, 0)
       END AS value,
       coalesce(h.documents, 0) AS documents,
       b.total_documents,
       coalesce(h.mentions, 0) AS mentions,
       b.total_words
FROM themes AS t
CROSS JOIN buckets AS b
LEFT JOIN hits AS h ON h.theme = t.theme AND h.bucket = b.bucket
ORDER BY t.theme, b.bucket;
