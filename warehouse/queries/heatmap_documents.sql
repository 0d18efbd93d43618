-- Theme x document heatmap cells (one column per document trends count), zeros included.
-- Same filters and decisions as trends (document_themes); $metric: share | documents (1 when the
-- document discusses the theme, else 0), prominent (1 when the theme is prominent there),
-- mentions, per_10k. Columns match trends, plus the document's label.
WITH docs AS (
    SELECT * FROM bucketed_documents('document', $since::INTEGER, $until::INTEGER, $doc_types::VARCHAR[], $areas::VARCHAR[])
),
themes AS (
    SELECT unnest($themes::VARCHAR[]) AS theme
),
hits AS (
    SELECT p.theme, p.sha256, p.mentions, p.prominent
    FROM document_themes_in($sections::VARCHAR[], reviewed_ := $reviewed::BOOLEAN) AS p
    SEMI JOIN docs AS d USING (sha256)
    WHERE p.discussed
)
SELECT t.theme,
       d.sha256 AS bucket,
       coalesce(d.title, d.sha256[:12]) || coalesce(' (' || d.year || ')', '') AS bucket_label,
       CASE $metric
           WHEN 'share' THEN CASE WHEN h.mentions IS NULL THEN 0.0 ELSE 1.0 END
           WHEN 'prominent' THEN CASE WHEN h.prominent THEN 1.0 ELSE 0.0 END
           WHEN 'documents' THEN CASE WHEN h.mentions IS NULL THEN 0 ELSE 1 END
           WHEN 'mentions' THEN coalesce(h.mentions, 0)
           WHEN 'per_10k' THEN coalesce(h.mentions, 0) * 10000.0 / nullif(d.words, 0)
       END AS value,
       CASE WHEN h.mentions IS NULL THEN 0 ELSE 1 END AS documents,
       1 AS total_documents,
       coalesce(h.mentions, 0) AS mentions,
       d.words AS total_words,
       CASE WHEN h.prominent THEN 1 ELSE 0 END AS prominent_documents,
       CASE WHEN h.prominent THEN 1.0 ELSE 0.0 END AS prominent_share
FROM themes AS t
CROSS JOIN docs AS d
LEFT JOIN hits AS h ON h.theme = t.theme AND h.sha256 = d.sha256
ORDER BY t.theme, d.year NULLS LAST, d.title, d.sha256;
