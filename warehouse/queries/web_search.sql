-- Sentences of the documents trends count that match every one of $patterns (ILIKE patterns,
-- wildcards escaped with \), with the themes counted in each sentence and the number of matches.
-- Text and themes are read for the page's rows only.
WITH found AS (
    SELECT u.sha256, u.unit_no, u.page, u.start_offset, d.title, d.year, d.doc_type
    FROM text_units AS u
    JOIN trend_documents AS d USING (sha256)
    -- The two longest terms as plain ILIKEs (vectorised, fast); a per-row check of every term
    -- (slow) runs only for three or more terms, on the few rows that passed.
    WHERE u.text ILIKE $patterns[1] ESCAPE '\'
      AND (len($patterns::VARCHAR[]) < 2 OR u.text ILIKE $patterns[2] ESCAPE '\')
      AND (len($patterns::VARCHAR[]) < 3
           OR list_bool_and(list_transform($patterns::VARCHAR[], lambda p: u.text ILIKE p ESCAPE '\')))
),
summary AS (
    SELECT count(*) AS total FROM found
),
page AS (
    SELECT * FROM found
    ORDER BY year DESC NULLS LAST, title, sha256, unit_no
    LIMIT $limit OFFSET $offset
)
SELECT p.sha256, p.title, p.year, p.doc_type, p.page, p.unit_no, p.start_offset, u.text AS sentence,
       (SELECT list(DISTINCT m.theme ORDER BY m.theme) FROM current_mentions AS m
        WHERE m.sha256 = p.sha256 AND m.unit_no = p.unit_no AND m.counted) AS themes,
       s.total
FROM page AS p
JOIN text_units AS u ON u.sha256 = p.sha256 AND u.unit_no = p.unit_no
CROSS JOIN summary AS s
ORDER BY p.year DESC NULLS LAST, p.title, p.sha256, p.unit_no;
