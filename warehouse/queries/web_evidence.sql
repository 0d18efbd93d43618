-- The sentences behind one heatmap cell, one row per sentence with all its matches, with the
-- same filters as trends.sql so that the distinct documents here equal the cell's document count.
-- $by/$bucket pick the cell's column (bucket NULL: every bucket); paged by $limit/$offset.
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
    SELECT s.*, u.text AS sentence, u.start_offset AS unit_start
    FROM sentences AS s
    JOIN text_units AS u ON u.sha256 = s.sha256 AND u.unit_no = s.unit_no
    WHERE $search::VARCHAR IS NULL OR contains(lower(u.text), lower($search))
),
summary AS (
    SELECT sum(mentions) AS total_mentions, count(*) AS total_sentences,
           count(DISTINCT sha256) AS total_documents
    FROM found
)
SELECT f.title, f.year, f.doc_type, f.area, f.page, f.section, f.sentence,
       list_transform(f.spans, lambda s: s.text) AS matched_text, f.mentions, f.counted, f.reasons, f.sha256,
       f.start_offset,
       list_transform(f.spans, lambda s: {'start': s.start - f.unit_start, 'end': s."end" - f.unit_start,
                                             'counted': s.counted}) AS matches,
       s.total_mentions, s.total_sentences, s.total_documents
FROM found AS f, summary AS s
ORDER BY f.year DESC NULLS LAST, f.title, f.sha256, f.start_offset
LIMIT $limit OFFSET $offset;
