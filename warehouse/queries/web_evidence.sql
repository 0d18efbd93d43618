-- The sentences behind one heatmap cell, with the same filters as trends.sql so
-- that the distinct documents here equal the cell's document count.
-- $by/$bucket pick the cell's column (bucket NULL: every bucket); paged by $limit/$offset.
WITH matches AS (
    SELECT m.sha256, m.title, m.year, m.doc_type, m.area, m.page, m.section, m.unit_no,
           m.matched_text, m.counted, m.reason, m.rule_id, m.source, m.start_offset, m.end_offset
    FROM current_mentions AS m
    WHERE m.theme = $theme
      AND (m.counted OR $include_uncounted)
      AND ($bucket::VARCHAR IS NULL OR $bucket = CASE $by
              WHEN 'year' THEN coalesce(CAST(m.year AS VARCHAR), 'unknown')
              WHEN 'doc_type' THEN m.doc_type
              WHEN 'area' THEN coalesce(m.area, 'unknown')
          END)
      AND ($since::INTEGER IS NULL OR m.year >= $since)
      AND ($until::INTEGER IS NULL OR m.year <= $until)
      AND ($doc_types::VARCHAR[] IS NULL OR list_contains($doc_types::VARCHAR[], m.doc_type))
      AND ($areas::VARCHAR[] IS NULL OR list_contains($areas::VARCHAR[], m.area))
      AND ($sections::VARCHAR[] IS NULL OR list_contains($sections::VARCHAR[], m.section))
),
found AS (
    SELECT x.*, u.text AS sentence, u.start_offset AS unit_start
    FROM matches AS x
    JOIN text_units AS u ON u.sha256 = x.sha256 AND u.unit_no = x.unit_no
    WHERE $search::VARCHAR IS NULL OR contains(lower(u.text), lower($search))
),
summary AS (
    SELECT count(*) AS total_mentions, count(DISTINCT sha256) AS total_documents FROM found
)
SELECT f.title, f.year, f.doc_type, f.area, f.page, f.section, f.sentence, f.matched_text,
       f.counted, f.reason, f.rule_id, f.source, f.sha256, f.start_offset,
       f.start_offset - f.unit_start AS match_start, f.end_offset - f.unit_start AS match_end,
       s.total_mentions, s.total_documents
FROM found AS f, summary AS s
ORDER BY f.year DESC NULLS LAST, f.title, f.sha256, f.start_offset
LIMIT $limit OFFSET $offset;
