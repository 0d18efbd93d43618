-- Themes with a counted mention in at least $min_years distinct years, with the years.
-- documents / total_documents count documents with a known year only, so share stays a
-- share of the same set of documents. Filters as in trends (bucketed_documents).
-- Mentions are read from the mentions table (active taxonomy only) and joined to trend_documents:
-- the rows of current_mentions with one join fewer, aggregated per document before the join.
WITH docs AS (
    SELECT sha256, year
    FROM bucketed_documents('year', $since::INTEGER, $until::INTEGER, $doc_types::VARCHAR[], $areas::VARCHAR[])
    WHERE year IS NOT NULL
),
document_themes AS (
    SELECT DISTINCT sha256, theme
    FROM mentions
    WHERE counted AND taxonomy_version = (SELECT version FROM active_taxonomy)
),
per_year AS (
    SELECT t.theme, d.year, count(*) AS documents
    FROM document_themes AS t
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
       sum(p.documents) / any_value(t.total_documents) AS share
FROM per_year AS p, totals AS t
GROUP BY p.theme
HAVING count(*) >= $min_years
ORDER BY years_present DESC, documents DESC, p.theme;
