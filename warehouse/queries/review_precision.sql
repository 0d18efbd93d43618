-- Per theme and source: counted machine hits (sentences) and how many of them a reviewer
-- accepted or rejected. Added themes (hits the machine missed) are not precision evidence.
WITH hits AS (
    SELECT DISTINCT sha256, unit_no, theme, source FROM current_mentions WHERE counted
),
reviewed AS (
    SELECT h.theme, h.source, r.decision
    FROM hits AS h
    JOIN text_units AS u ON u.sha256 = h.sha256 AND u.unit_no = h.unit_no
    JOIN review_decisions AS r
      ON r.sha256 = h.sha256 AND r.unit_no = h.unit_no AND r.theme = h.theme AND r.sentence = u.text
    WHERE r.decision IN ('accept', 'reject')
),
totals AS (
    SELECT theme, source, count(*) AS hits FROM hits GROUP BY ALL
)
SELECT t.theme, t.source, t.hits,
       count(r.decision) FILTER (WHERE r.decision = 'accept') AS accepted,
       count(r.decision) FILTER (WHERE r.decision = 'reject') AS rejected
FROM totals AS t
LEFT JOIN reviewed AS r USING (theme, source)
GROUP BY ALL
ORDER BY t.theme, t.source;
