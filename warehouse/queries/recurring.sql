-- Themes counted in at least $min_years distinct years, with the years. A document counts when
-- document_themes says the theme is discussed there (prominent, for $metric prominent).
-- documents / total_documents count documents with a known year only, so share stays a
-- share of the same set of documents. Filters as in trends (bucketed_documents).
WITH docs AS (
    SELECT sha256, year
    FROM bucketed_documents('year', $since::INTEGER, $until::INTEGER, $doc_types::VARCHAR[], $areas::VARCHAR[])
    WHERE year IS NOT NULL
),
counted AS (
    SELECT sha256, theme, prominent
    FROM document_themes_in($sections::VARCHAR[], reviewed_ := $reviewed::BOOLEAN)
    WHERE discussed AND ($metric <> 'prominent' OR prominent)
),
per_year AS (
    SELECT t.theme, d.year, count(*) AS documents, count(*) FILTER (t.prominent) AS prominent_documents
    FROM counted AS t
    JOIN docs AS d USING (sha256)
    GROUP BY t.theme, d.year
),
totals AS (
    SELECT count(*) AS total_documents FROM docs
)
SELECT p.theme,
       count(*) AS years_present,
       list(p.year ORDER BY p.year) AS years,
       sum(p.documents) AS documents,
       any_value(t.total_documents) AS total_documents,
       sum(p.documents) / any_value(t.total_documents) AS share,
       sum(p.prominent_documents) AS prominent_documents,
       sum(p.prominent_documents) / any_value(t.total_documents) AS prominent_share
FROM per_year AS p, totals AS t
GROUP BY p.theme
HAVING count(*) >= $min_years
ORDER BY years_present DESC, documents DESC, p.theme;
