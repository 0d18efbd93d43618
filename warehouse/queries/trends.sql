-- Theme x bucket trend cells, every (theme, bucket) pair present, zeros included.
-- $by: year | doc_type | area.  $metric: share | prominent | documents | mentions | per_10k.
-- A document counts for a theme when the view document_themes decides the theme is discussed
-- there (migration 006; with $sections, on the mentions in those sections only):
-- share = documents discussing the theme / documents in the bucket; prominent = documents where
-- it is prominent / documents in the bucket; mentions = counted mentions in the documents
-- discussing it. Denominators come from bucketed_documents (over trend_documents, migration 005),
-- so a document tagged with another taxonomy version counts nowhere.
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
hits AS (
    SELECT p.theme, d.bucket, count(*) AS documents, count(*) FILTER (p.prominent) AS prominent_documents,
           sum(p.mentions) AS mentions
    FROM document_themes_in($sections::VARCHAR[], reviewed_ := $reviewed::BOOLEAN) AS p
    JOIN docs AS d USING (sha256)
    WHERE p.discussed
    GROUP BY p.theme, d.bucket
)
SELECT t.theme,
       b.bucket,
       CASE $metric
           WHEN 'share' THEN coalesce(h.documents, 0) / b.total_documents
           WHEN 'prominent' THEN coalesce(h.prominent_documents, 0) / b.total_documents
           WHEN 'documents' THEN coalesce(h.documents, 0)
           WHEN 'mentions' THEN coalesce(h.mentions, 0)
           WHEN 'per_10k' THEN coalesce(h.mentions, 0) * 10000.0 / nullif(b.total_words, 0)
       END AS value,
       coalesce(h.documents, 0) AS documents,
       b.total_documents,
       coalesce(h.mentions, 0) AS mentions,
       b.total_words,
       coalesce(h.prominent_documents, 0) AS prominent_documents,
       coalesce(h.prominent_documents, 0) / b.total_documents AS prominent_share
FROM themes AS t
CROSS JOIN buckets AS b
LEFT JOIN hits AS h ON h.theme = t.theme AND h.bucket = b.bucket
ORDER BY t.theme, b.bucket;
