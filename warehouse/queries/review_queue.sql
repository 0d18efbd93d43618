-- Theme hits to review: one row per (sentence, theme) with a counted machine hit, in a
-- fixed pseudo-random order (so the reviewed ones are a fair sample for precision); `total` is how
-- many the filters select before the limit.
WITH hits AS (
    SELECT m.sha256, m.unit_no, m.theme,
           string_agg(DISTINCT m.matched_text, ' | ') AS matched_text,
           min(m.source) AS source
    FROM current_mentions AS m
    WHERE m.counted
      AND ($theme::VARCHAR IS NULL OR m.theme = $theme)
      AND ($source::VARCHAR IS NULL OR m.source = $source)
    GROUP BY ALL
)
SELECT * EXCLUDE (sort_key), count(*) OVER () AS total
FROM (
SELECT substr(h.sha256, 1, 12) || ':' || h.unit_no || ':' || h.theme AS ref,
       h.theme, d.title, d.year, d.doc_type, u.page, u.text AS sentence, h.matched_text, h.source,
       CASE r.decision WHEN 'reject' THEN 'rejected' WHEN 'accept' THEN 'accepted' WHEN 'add' THEN 'accepted'
            ELSE 'unreviewed' END AS status,
       hash(h.sha256, h.unit_no, h.theme) AS sort_key
FROM hits AS h
JOIN current_documents AS d USING (sha256)
JOIN text_units AS u ON u.sha256 = h.sha256 AND u.unit_no = h.unit_no
LEFT JOIN review_decisions AS r
       ON r.sha256 = h.sha256 AND r.unit_no = h.unit_no AND r.theme = h.theme AND r.sentence = u.text
) AS queue
WHERE $status::VARCHAR = 'all' OR status = $status
ORDER BY sort_key
LIMIT $limit;
