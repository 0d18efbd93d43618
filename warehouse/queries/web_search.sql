-- Sentences of the counted documents containing $search (case-insensitive, no wildcards),
-- with the themes counted in each sentence and the total number of matches.
SELECT d.sha256, d.title, d.year, d.doc_type, u.page, u.unit_no, u.start_offset, u.text AS sentence,
       (SELECT list(DISTINCT m.theme ORDER BY m.theme) FROM current_mentions AS m
        WHERE m.sha256 = u.sha256 AND m.unit_no = u.unit_no AND m.counted) AS themes,
       count(*) OVER () AS total
FROM text_units AS u
JOIN trend_documents AS d USING (sha256)
WHERE contains(lower(u.text), lower($search))
ORDER BY d.year DESC NULLS LAST, d.title, u.sha256, u.unit_no
LIMIT $limit OFFSET $offset;
