-- Key words in context: the sentences behind a theme's numbers, newest first.
-- Speed (1M mentions, millions of sentences): the page of mentions is chosen on narrow columns
-- first; only its $limit rows then look up their sentences' row ids and fetch the wide columns
-- (matched text, sentence) by rowid, so no text is read for rows that are not shown.
-- With $search, the candidates' sentences are searched first. `total` counts the rows before $limit.
-- With $reviewed, review decisions apply as in counted_mentions (migration 011): a rejected hit
-- is left out (shown as not counted with --all), a theme a reviewer added is a row (source review).
WITH machine AS (
    SELECT m.rowid AS mention_row, m.sha256, m.unit_no, m.start_offset, m.counted,
           x.sha256 IS NOT NULL AS rejected
    FROM mentions AS m
    LEFT JOIN review_rejections AS x
           ON $reviewed AND x.sha256 = m.sha256 AND x.unit_no = m.unit_no AND x.theme = m.theme
    WHERE m.theme = $theme
      AND m.taxonomy_version = (SELECT version FROM active_taxonomy)
),
candidates AS (
    SELECT mention_row, sha256, unit_no, start_offset, rejected FROM machine
    WHERE (counted AND NOT rejected) OR $include_uncounted
    UNION ALL
    SELECT NULL, a.sha256, a.unit_no, a.start_offset, FALSE
    FROM review_additions AS a
    WHERE $reviewed AND a.theme = $theme
),
hits AS (
    SELECT c.*, d.title, d.year, d.doc_type, d.area
    FROM candidates AS c
    JOIN trend_documents AS d USING (sha256)
    WHERE ($since::INTEGER IS NULL OR d.year >= $since)
      AND ($until::INTEGER IS NULL OR d.year <= $until)
      AND ($doc_types::VARCHAR[] IS NULL OR list_contains($doc_types::VARCHAR[], d.doc_type))
      AND ($areas::VARCHAR[] IS NULL OR list_contains($areas::VARCHAR[], d.area))
),
found AS (
    SELECT h.*
    FROM hits AS h
    WHERE $search::VARCHAR IS NULL
       OR EXISTS (SELECT 1 FROM text_units AS u
                  WHERE u.sha256 = h.sha256 AND u.unit_no = h.unit_no
                    AND u.text ILIKE '%' || $search || '%')
),
total AS (
    SELECT count(*) AS total FROM found
),
page AS (
    SELECT * FROM found
    ORDER BY year DESC NULLS LAST, title, sha256, start_offset
    LIMIT $limit
),
units AS (
    SELECT DISTINCT p.sha256, p.unit_no, u.rowid AS unit_row
    FROM page AS p
    JOIN text_units AS u ON u.sha256 = p.sha256 AND u.unit_no = p.unit_no
)
SELECT p.title, p.year, p.doc_type, p.area, coalesce(m.page, u.page) AS page,
       coalesce(m.section, u.section) AS section, u.text AS sentence,
       coalesce(m.matched_text, u.text) AS matched_text,
       coalesce(m.counted AND NOT p.rejected, TRUE) AS counted,
       CASE WHEN p.rejected THEN 'rejected_in_review' ELSE m.reason END AS reason,
       coalesce(m.rule_id, 'review:add') AS rule_id, coalesce(m.source, 'review') AS source, p.sha256,
       coalesce(m.start_offset, u.start_offset) - u.start_offset AS match_start,
       coalesce(m.end_offset, u.end_offset) - u.start_offset AS match_end,
       CASE r.decision WHEN 'reject' THEN 'rejected' WHEN 'accept' THEN 'accepted' WHEN 'add' THEN 'accepted'
            ELSE 'unreviewed' END AS review_status,
       substr(p.sha256, 1, 12) || ':' || p.unit_no || ':' || $theme AS review_ref,
       o.engine AS ocr_engine, o.confidence AS ocr_confidence,  -- the page was read by OCR (else NULL)
       t.total
FROM page AS p
CROSS JOIN total AS t
JOIN units AS k ON k.sha256 = p.sha256 AND k.unit_no = p.unit_no
LEFT JOIN mentions AS m ON m.rowid = p.mention_row
JOIN text_units AS u ON u.rowid = k.unit_row
LEFT JOIN review_decisions AS r
       ON r.sha256 = p.sha256 AND r.unit_no = p.unit_no AND r.theme = $theme AND r.sentence = u.text
LEFT JOIN ocr_pages AS o ON o.sha256 = p.sha256 AND o.page = coalesce(m.page, u.page)
ORDER BY p.year DESC NULLS LAST, p.title, p.sha256, p.start_offset;
