-- One document's themes: counted and not-counted mentions, the pages of the counted ones, and
-- the document-level decisions (document_themes: discussed, prominent, counted sentences).
SELECT m.theme,
       count(*) FILTER (WHERE m.counted) AS counted,
       count(*) FILTER (WHERE NOT m.counted) AS not_counted,
       list(DISTINCT m.page ORDER BY m.page) FILTER (WHERE m.counted) AS pages,
       coalesce(any_value(t.discussed), FALSE) AS discussed,
       coalesce(any_value(t.prominent), FALSE) AS prominent,
       coalesce(any_value(t.sentences), 0) AS sentences,
       coalesce(any_value(t.key_sentences), 0) AS key_sentences
FROM mentions AS m
LEFT JOIN document_themes AS t ON t.sha256 = m.sha256 AND t.theme = m.theme
WHERE m.sha256 = $sha256
  AND m.taxonomy_version = (SELECT version FROM active_taxonomy)
GROUP BY m.theme
ORDER BY prominent DESC, discussed DESC, counted DESC, m.theme;
