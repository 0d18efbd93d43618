-- One document's themes: counted and not-counted mentions and the pages of the counted ones.
SELECT m.theme,
       count(*) FILTER (WHERE m.counted) AS counted,
       count(*) FILTER (WHERE NOT m.counted) AS not_counted,
       list(DISTINCT m.page ORDER BY m.page) FILTER (WHERE m.counted) AS pages
FROM mentions AS m
WHERE m.sha256 = $sha256
  AND m.taxonomy_version = (SELECT version FROM active_taxonomy)
GROUP BY m.theme
ORDER BY counted DESC, m.theme;
