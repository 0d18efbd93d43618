-- Theme x bucket trend cells, every (theme, bucket) pair present, zeros included.
-- $by: year | doc_type | area.  $metric: share | documents | mentions | per_10k.
-- share = documents in the bucket with >= 1 counted mention / documents in the bucket.
-- Denominators come from bucketed_documents (over trend_documents, migration 005), so a
-- document tagged with another taxonomy version counts nowhere.
-- Mentions are read from the mentions table (active taxonomy only) and joined to trend_documents:
-- the rows of current_mentions with one join fewer, aggregated per document before the join.
WITH docs AS (
    SELECT * FROM bucketed_documents($by, $since::INTEGER, $until::INTEGER, $doc_types::VARCHAR[], $areas::VARCHAR[])
),
buckets AS (
    SELECT bucket, count(*) AS total_documents, sum(words) AS total_words
    FROM docs GROUP BY bucket
),
themes AS (
    SELECT unnest($themes::VARCHAR[]) AS theme
),
per_document AS (
    SELECT sha256, theme, count(*) AS mentions
    FROM mentions
    WHERE counted
      AND taxonomy_version = (SELECT version FROM active_taxonomy)
      AND ($sections::VARCHAR[] IS NULL OR list_contains($sections::VARCHAR[], section))
    GROUP BY sha256, theme
),
hits AS (
    SELECT p.theme, d.bucket, count(*) AS documents, sum(p.mentions) AS mentions
    FROM per_document AS p
    JOIN docs AS d USING (sha256)
    GROUP BY p.theme, d.bucket
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
