-- Per theme: documents discussing it (document_themes; where it is prominent, for $metric
-- prominent), and all documents, in an early and a late period (inclusive year ranges). Every
-- requested theme is returned, zeros included; the significance test runs in analysis.queries.rising.
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
counted AS (
    SELECT sha256, theme
    FROM document_themes_in($sections::VARCHAR[], reviewed_ := $reviewed::BOOLEAN)
    WHERE discussed AND ($metric <> 'prominent' OR prominent)
),
hits AS (
    SELECT t.theme,
           count(*) FILTER (d.period = 'early') AS early_documents,
           count(*) FILTER (d.period = 'late') AS late_documents
    FROM counted AS t
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
