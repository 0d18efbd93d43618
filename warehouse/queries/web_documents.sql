-- The documents counted in trends, filterable and paged, with the total matching. $patterns:
-- ILIKE patterns (wildcards escaped with \) the title or path must all match, or NULL.
WITH found AS (
    SELECT d.sha256, d.title, d.doc_type, d.area, d.year, d.pages, d.words, d.metadata_source, d.path
    FROM trend_documents AS d
    WHERE ($year::INTEGER IS NULL OR d.year = $year)
      AND ($doc_types::VARCHAR[] IS NULL OR list_contains($doc_types::VARCHAR[], d.doc_type))
      AND ($patterns::VARCHAR[] IS NULL OR list_bool_and(list_transform(
          $patterns::VARCHAR[], lambda p: coalesce(d.title, '') || ' ' || d.path ILIKE p ESCAPE '\')))
),
summary AS (
    SELECT count(*) AS total FROM found
),
page AS (
    SELECT * FROM found
    ORDER BY year DESC NULLS LAST, title, sha256
    LIMIT $limit OFFSET $offset
)
SELECT p.*,
       (SELECT count(DISTINCT m.theme) FROM current_mentions AS m
        WHERE m.sha256 = p.sha256 AND m.counted) AS themes,
       s.total
FROM page AS p
CROSS JOIN summary AS s
ORDER BY p.year DESC NULLS LAST, p.title, p.sha256;
