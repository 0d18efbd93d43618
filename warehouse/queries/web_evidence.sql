-- The sentences behind one heatmap cell, one row per sentence with all its matches. Documents
-- and buckets are chosen exactly as in trends.sql (documents discussing the theme, or where it
-- is prominent for $metric prominent), so the distinct documents here equal the cell's count
-- (with $include_uncounted, uncounted mentions of every document are added). $by/$bucket pick the
-- cell's column (bucket NULL: every bucket).
-- $patterns: ILIKE patterns (wildcards escaped with \) the sentence must all match, or NULL.
-- Paged by $limit/$offset; sentence text is read for the page's rows only.
WITH docs AS (
    SELECT * FROM bucketed_documents($by, $since::INTEGER, $until::INTEGER, $doc_types::VARCHAR[], $areas::VARCHAR[])
),
counted_documents AS (
    SELECT sha256
    FROM document_themes_in($sections::VARCHAR[], reviewed_ := $reviewed::BOOLEAN)
    WHERE theme = $theme AND discussed AND ($metric <> 'prominent' OR prominent)
),
candidates AS (  -- with $reviewed: a rejected hit is not counted, an added theme is (the whole sentence)
    SELECT m.sha256, m.unit_no, m.page, m.section, m.start_offset, m.end_offset, m.matched_text,
           m.counted AND x.sha256 IS NULL AS counted,
           CASE WHEN m.counted AND x.sha256 IS NOT NULL THEN 'rejected_in_review' ELSE m.reason END AS reason
    FROM current_mentions AS m
    LEFT JOIN review_rejections AS x
           ON $reviewed AND x.sha256 = m.sha256 AND x.unit_no = m.unit_no AND x.theme = m.theme
    WHERE m.theme = $theme
    UNION ALL
    SELECT a.sha256, a.unit_no, a.page, a.section, a.start_offset, a.end_offset, a.matched_text, TRUE, NULL
    FROM review_additions AS a
    WHERE $reviewed AND a.theme = $theme
),
sentences AS (
    SELECT m.sha256, m.unit_no, any_value(m.page) AS page, any_value(m.section) AS section,
           min(m.start_offset) AS start_offset, count(*) AS mentions, bool_or(m.counted) AS counted,
           list_sort(list_distinct(list(m.reason) FILTER (WHERE NOT m.counted))) AS reasons,
           -- list_sort orders the structs by their first field, the start (faster than an ordered aggregate)
           list_sort(list({'start': m.start_offset, 'end': m.end_offset, 'text': m.matched_text,
                           'counted': m.counted})) AS spans
    FROM candidates AS m
    JOIN docs AS d USING (sha256)
    WHERE TRUE
      AND ($include_uncounted OR m.sha256 IN (SELECT sha256 FROM counted_documents))
      AND (m.counted OR $include_uncounted)
      AND ($bucket::VARCHAR IS NULL OR d.bucket = $bucket)
      AND ($sections::VARCHAR[] IS NULL OR list_contains($sections::VARCHAR[], m.section))
    GROUP BY m.sha256, m.unit_no
),
found AS (
    SELECT s.*, d.title, d.year, d.doc_type, d.area
    FROM sentences AS s
    JOIN docs AS d USING (sha256)
    WHERE $patterns::VARCHAR[] IS NULL OR EXISTS (
        SELECT 1 FROM text_units AS u
        WHERE u.sha256 = s.sha256 AND u.unit_no = s.unit_no
          AND u.text ILIKE $patterns[1] ESCAPE '\'  -- as in web_search.sql
          AND (len($patterns::VARCHAR[]) < 2 OR u.text ILIKE $patterns[2] ESCAPE '\')
          AND (len($patterns::VARCHAR[]) < 3
              OR list_bool_and(list_transform($patterns::VARCHAR[], lambda p: u.text ILIKE p ESCAPE '\')))
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
       s.total_mentions, s.total_sentences, s.total_documents,
       o.engine AS ocr_engine, o.confidence AS ocr_confidence  -- the page was read by OCR (else NULL)
FROM page AS p
JOIN text_units AS u ON u.sha256 = p.sha256 AND u.unit_no = p.unit_no
CROSS JOIN summary AS s
LEFT JOIN ocr_pages AS o ON o.sha256 = p.sha256 AND o.page = p.page
ORDER BY p.year DESC NULLS LAST, p.title, p.sha256, p.start_offset;
