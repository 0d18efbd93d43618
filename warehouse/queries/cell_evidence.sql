-- The top evidence sentences behind every heatmap cell: at most $per_cell per (theme, bucket),
-- one sentence per document (its first counted mention), newest documents first.
-- $by: year | doc_type | area | document (bucket = sha256); filters as in trends.
WITH docs AS (
    SELECT sha256, title, year, doc_type, area,
           CASE $by
               WHEN 'year' THEN coalesce(CAST(year AS VARCHAR), 'unknown')
               WHEN 'doc_type' THEN doc_type
               WHEN 'area' THEN coalesce(area, 'unknown')
               WHEN 'document' THEN sha256
           END AS bucket
    FROM current_documents
    WHERE ($since::INTEGER IS NULL OR year >= $since)
      AND ($until::INTEGER IS NULL OR year <= $until)
      AND ($doc_types::VARCHAR[] IS NULL OR list_contains($doc_types::VARCHAR[], doc_type))
      AND ($areas::VARCHAR[] IS NULL OR list_contains($areas::VARCHAR[], area))
),
first_mentions AS (
    SELECT m.theme, m.sha256, m.unit_no, m.page, m.start_offset, m.end_offset, m.matched_text,
           row_number() OVER (PARTITION BY m.theme, m.sha256 ORDER BY m.start_offset) AS nth
    FROM current_mentions AS m
    JOIN docs AS d USING (sha256)
    WHERE m.counted
      AND list_contains($themes::VARCHAR[], m.theme)
      AND ($sections::VARCHAR[] IS NULL OR list_contains($sections::VARCHAR[], m.section))
),
ranked AS (
    SELECT f.*, d.bucket, d.title, d.year, d.doc_type, d.area,
           row_number() OVER (PARTITION BY f.theme, d.bucket
                              ORDER BY d.year DESC NULLS LAST, d.title, f.sha256) AS rank
    FROM first_mentions AS f
    JOIN docs AS d USING (sha256)
    WHERE f.nth = 1
)
SELECT r.theme, r.bucket, r.rank, r.title, r.year, r.doc_type, r.area, r.page, r.sha256,
       u.text AS sentence, r.matched_text,
       r.start_offset - u.start_offset AS match_start, r.end_offset - u.start_offset AS match_end
FROM ranked AS r
JOIN text_units AS u ON u.sha256 = r.sha256 AND u.unit_no = r.unit_no
WHERE r.rank <= $per_cell
ORDER BY r.theme, r.bucket, r.rank;
