-- Per theme: documents with >= 1 counted mention, and all documents, in an early
-- and a late period (inclusive year ranges). Every requested theme is returned,
-- zeros included; the significance test runs in pipeline.queries.rising.
WITH docs AS (
    SELECT sha256,
           CASE
               WHEN year BETWEEN $early_from AND $early_to THEN 'early'
               WHEN year BETWEEN $late_from AND $late_to THEN 'late'
           END AS period
    FROM trend_documents
    WHERE ($doc_types::VARCHAR[] IS NULL OR list_contains($doc_types::VARCHAR[], doc_type))
),
periods AS (
    SELECT count(*) FILTER (period = 'early') AS early_total,
           count(*) FILTER (period = 'late') AS late_total
    FROM docs
),
hits AS (
    SELECT m.theme,
           count(DISTINCT m.sha256) FILTER (d.period = 'early') AS early_documents,
           count(DISTINCT m.sha256) FILTER (d.period = 'late') AS late_documents
    FROM current_mentions AS m
    JOIN docs AS d USING (sha256)
    WHERE m.counted AND d.period IS NOT NULL
    GROUP BY m.theme
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
