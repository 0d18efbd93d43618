-- The documents with the most counted mentions of one theme.
SELECT m.sha256, any_value(m.title) AS title, any_value(m.year) AS year, any_value(m.doc_type) AS doc_type,
       any_value(m.area) AS area, count(*) AS mentions, count(DISTINCT m.page) AS pages_with_theme
FROM current_mentions AS m
WHERE m.theme = $theme AND m.counted
GROUP BY m.sha256
ORDER BY mentions DESC, year DESC NULLS LAST, title
LIMIT $limit;
