-- One document's theme mentions made with the active taxonomy, in reading order.
SELECT m.theme, m.start_offset, m.end_offset, m.matched_text, m.page, m.section, m.counted, m.reason,
       m.rule_id
FROM mentions AS m
WHERE m.sha256 = $sha256
  AND m.taxonomy_version = (SELECT version FROM active_taxonomy)
  AND (m.counted OR $include_uncounted)
ORDER BY m.start_offset, m.theme
LIMIT $limit;
