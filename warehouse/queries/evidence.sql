-- Key words in context: the sentences behind a theme's numbers, newest first.
SELECT d.title, d.year, d.doc_type, d.area, m.page, m.section, u.text AS sentence, m.matched_text,
       m.counted, m.reason, m.rule_id, m.source, m.sha256,
       m.start_offset - u.start_offset AS match_start, m.end_offset - u.start_offset AS match_end
FROM current_mentions AS m
JOIN current_documents AS d USING (sha256)
JOIN text_units AS u ON u.sha256 = m.sha256 AND u.unit_no = m.unit_no
WHERE m.theme = $theme
  AND (m.counted OR $include_uncounted)
  AND ($year::INTEGER IS NULL OR d.year = $year)
  AND ($doc_types::VARCHAR[] IS NULL OR list_contains($doc_types::VARCHAR[], d.doc_type))
  AND ($areas::VARCHAR[] IS NULL OR list_contains($areas::VARCHAR[], d.area))
  AND ($search::VARCHAR IS NULL OR u.text ILIKE '%' || $search || '%')
ORDER BY d.year DESC NULLS LAST, d.title, m.start_offset
LIMIT $limit;
