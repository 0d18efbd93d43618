-- Training sentences with their weak labels: the themes the rules counted in each
-- sentence of the current documents (a rule hit the classifier vetoed, in its sentence or as a
-- lone weak hit in its document, still counts as the rules' label; classifier hits never do,
-- so the model never learns from itself).
-- The document's path lets an evaluation leave whole source documents out.
SELECT u.sha256, u.unit_no, u.text, d.path,
       coalesce(
           list(DISTINCT m.theme ORDER BY m.theme) FILTER (WHERE m.theme IS NOT NULL), []
       ) AS rule_themes
FROM text_units AS u
JOIN current_documents AS d USING (sha256)
LEFT JOIN current_mentions AS m
       ON m.sha256 = u.sha256 AND m.unit_no = u.unit_no AND m.source = 'rules'
      AND (m.counted OR m.reason IN ('classifier_veto', 'classifier_lone'))
WHERE u.section NOT IN ('contents', 'glossary', 'references')
  AND length(u.text) >= $min_chars
GROUP BY ALL
ORDER BY u.sha256, u.unit_no;
