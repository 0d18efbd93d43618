-- The documents counted in trends, filterable and paged, with the total matching.
SELECT d.sha256, d.title, d.doc_type, d.area, d.year, d.pages, d.words, d.metadata_source, d.path,
       (SELECT count(DISTINCT m.theme) FROM current_mentions AS m
        WHERE m.sha256 = d.sha256 AND m.counted) AS themes,
       count(*) OVER () AS total
FROM trend_documents AS d
WHERE ($year::INTEGER IS NULL OR d.year = $year)
  AND ($doc_types::VARCHAR[] IS NULL OR list_contains($doc_types::VARCHAR[], d.doc_type))
  AND ($search::VARCHAR IS NULL OR contains(lower(coalesce(d.title, '') || ' ' || d.path), lower($search)))
ORDER BY d.year DESC NULLS LAST, d.title, d.sha256
LIMIT $limit OFFSET $offset;
