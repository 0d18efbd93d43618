-- The documents discussing one theme (document_themes), prominent ones first, then most mentions.
SELECT t.sha256, t.title, t.year, t.doc_type, t.area, t.mentions, t.sentences, t.prominent,
       (SELECT count(DISTINCT m.page) FROM current_mentions AS m
        WHERE m.sha256 = t.sha256 AND m.theme = t.theme AND m.counted) AS pages_with_theme
FROM document_themes AS t
WHERE t.theme = $theme AND t.discussed
ORDER BY t.prominent DESC, t.mentions DESC, t.year DESC NULLS LAST, t.title
LIMIT $limit;
