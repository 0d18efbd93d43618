-- Themes with a counted mention in at least $min_years distinct years, with the years.
WITH per_year AS (
    SELECT theme, year, count(DISTINCT sha256) AS documents
    FROM current_mentions
    WHERE counted AND year IS NOT NULL
      AND ($doc_types::VARCHAR[] IS NULL OR list_contains($doc_types::VARCHAR[], doc_type))
    GROUP BY theme, year
),
totals AS (
    SELECT count(*) AS total_documents
    FROM current_documents
    WHERE ($doc_types::VARCHAR[] IS NULL OR list_contains($doc_types::VARCHAR[], doc_type))
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
