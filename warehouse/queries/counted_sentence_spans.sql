-- The span of every sentence with a counted mention, per theme (active taxonomy, documents trends count).
SELECT DISTINCT m.sha256, m.theme, u.start_offset, u.end_offset
FROM mentions AS m
SEMI JOIN trend_documents AS d USING (sha256)
JOIN text_units AS u USING (sha256, unit_no)
WHERE m.counted AND m.taxonomy_version = (SELECT version FROM active_taxonomy);
