-- Theme x document heatmap cells (one column per document trends count), zeros included.
-- Same filters as trends; $metric: share | documents (1 when the document has the theme, else 0),
-- mentions, per_10k. Columns match trends, plus the document's label, year and doc_type.
WITH docs AS (
    SELECT * FROM bucketed_documents('document', $since::INTEGER, $until::INTEGER, $doc_types::VARCHAR[], $areas::VARCHAR[])
),
themes AS (
    SELECT unnest($themes::VARCHAR[]) AS theme
),
hits AS (
    SELECT m.theme, m.sha256, count(*) AS mentions
    FROM current_mentions AS m
    JOIN docs AS d USING (sha256)
    WHERE m.counted
      AND ($sections::VARCHAR[] IS NULL OR list_contains($sections::VARCHAR[], m.section))
    GROUP BY m.theme, m.sha256
)
SELECT t.theme,
       d.sha256 AS bucket,
       coalesce(d.title, d.sha256[:12]) || coalesce(' (' || d.year || ')', '') AS bucket_label,
       CASE $metric
           WHEN 'share' THEN CASE WHEN h.mentions IS NULL THEN 0.0 ELSE 1.0 END
           WHEN 'documents' THEN CASE WHEN h.mentions IS NULL THEN 0 ELSE 1 END
           WHEN 'mentions' THEN coalesce(h.mentions, 0)
           WHEN 'per_10k' THEN coalesce(h.mentions, 0) * 10000.0 / nullif(d.words, 0)
       END AS value,
       CASE WHEN h.mentions IS NULL THEN 0 ELSE 1 END AS documents,
       1 AS total_documents,
       coalesce(h.mentions, 0) AS mentions,
       d.words AS total_words
FROM themes AS t
CROSS JOIN docs AS d
LEFT JOIN hits AS h ON h.theme = t.theme AND h.sha256 = d.sha256
ORDER BY t.theme, d.year NULLS LAST, d.title, d.sha256;
