-- Per theme: documents with >= 1 counted mention, and all documents, in an early
-- and a late period (inclusive year ranges). Every requested theme is returned,
-- zeros included; the significance test runs in pipeline.queries.rising.
-- Mentions are read from the mentions table (active taxonomy only) and joined to trend_documents:
-- the rows of current_mentions with one join fewer, aggregated per document before the join.
WITH docs AS (
    SELECT sha256,
           CASE
               WHEN year BETWEEN $early_from AND $early_to THEN 'early'
               WHEN year BETWEEN $late_from AND $late_to THEN 'late'
           END AS period
    FROM bucketed_documents('year', $since::INTEGER, $until::INTEGER, $doc_types::VARCHAR[], $areas::VARCHAR[])
),
periods AS (
    SELECT count(*) FILTER (period = 'early') AS early_total,
           count(*) FILTER (period = 'late') AS late_total
    FROM docs
),
document_themes AS (
    SELECT DISTINCT sha256, theme
    FROM mentions
    WHERE counted AND taxonomy_version = (SELECT version FROM active_taxonomy)
),
hits AS (
    SELECT t.theme,
           count(*) FILTER (d.period = 'early') AS early_documents,
           count(*) FILTER (d.period = 'late') AS late_documents
    FROM document_themes AS t
    JOIN docs AS d USING (sha256)
    WHERE d.period IS NOT NULL
    GROUP BY t.theme
)
SELECT t.theme,
       coalesce(h.early_documents, 0) AS early_documents,
       p.early_total,
       coalesce(h.late_documents, 0) AS late_documents,
       p.late_total
FROM (SELECT unnest($themes::VARCHAR[]) AS theme) AS t
CROSS JOIN periods AS p
LEFT JOIN hits AS h USING (theme)
ORDER BY t.theme;
