-- The sentences behind one heatmap cell, one row per sentence with all its matches, with the
-- same filters as trends.sql so that the distinct documents here equal the cell's document count.
-- $by/$bucket pick the cell's column (bucket NULL: every bucket). $pattern: an ILIKE pattern
-- (wildcards escaped with \) the sentence must contain, or NULL. Paged by $limit/$offset; the
-- sentence text is read for the page's rows only.
WITH matches AS (
    SELECT m.sha256, m.title, m.year, m.doc_type, m.area, m.page, m.section, m.unit_no,
           m.matched_text, m.counted, m.reason, m.start_offset, m.end_offset
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
sentences AS (
    SELECT x.sha256, x.unit_no, any_value(x.title) AS title, any_value(x.year) AS year,
           any_value(x.doc_type) AS doc_type, any_value(x.area) AS area, any_value(x.page) AS page,
           any_value(x.section) AS section, min(x.start_offset) AS start_offset, count(*) AS mentions,
           bool_or(x.counted) AS counted,
           list(DISTINCT x.reason ORDER BY x.reason) FILTER (WHERE NOT x.counted) AS reasons,
           list({'start': x.start_offset, 'end': x.end_offset, 'text': x.matched_text, 'counted': x.counted}
                ORDER BY x.start_offset) AS spans
    FROM matches AS x
    GROUP BY x.sha256, x.unit_no
),
found AS (
    SELECT s.*
    FROM sentences AS s
    WHERE $pattern::VARCHAR IS NULL OR EXISTS (
        SELECT 1 FROM text_units AS u
        WHERE u.sha256 = s.sha256 AND u.unit_no = s.unit_no AND u.text ILIKE $pattern ESCAPE '\'
    )
),
summary AS (
    SELECT sum(mentions) AS total_mentions, count(*) AS total_sentences,
           count(DISTINCT sha256) AS total_documents
    FROM found
),
page AS (
    SELECT * FROM found
    ORDER BY year DESC NULLS LAST, title, sha256, start_offset
    LIMIT $limit OFFSET $offset
)
SELECT p.title, p.year, p.doc_type, p.area, p.page, p.section, u.text AS sentence,
       list_transform(p.spans, lambda s: s.text) AS matched_text, p.mentions, p.counted, p.reasons,
       p.sha256, p.start_offset,
       list_transform(p.spans, lambda s: {'start': s.start - u.start_offset, 'end': s."end" - u.start_offset,
                                          'counted': s.counted}) AS matches,
       s.total_mentions, s.total_sentences, s.total_documents
FROM page AS p
JOIN text_units AS u ON u.sha256 = p.sha256 AND u.unit_no = p.unit_no
CROSS JOIN summary AS s
ORDER BY p.year DESC NULLS LAST, p.title, p.sha256, p.start_offset;
