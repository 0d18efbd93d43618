-- Sentences of the current dated documents, each with the themes the codebook matched in
-- it, counted or not (a negated or wrong-sense match still means the codebook names what
-- the sentence is about): the raw material of `discover`. Front matter (titles,
-- publication dates) and the uncounted sections are left out.
SELECT u.sha256, u.unit_no, u.text, d.year, d.title,
       coalesce(list(DISTINCT m.theme ORDER BY m.theme) FILTER (WHERE m.theme IS NOT NULL), []) AS themes
FROM text_units AS u
JOIN current_documents AS d USING (sha256)
LEFT JOIN current_mentions AS m ON m.sha256 = u.sha256 AND m.unit_no = u.unit_no
WHERE u.section NOT IN ('front_matter', 'contents', 'glossary', 'references')
  AND d.year IS NOT NULL
GROUP BY ALL
ORDER BY d.year, u.sha256, u.unit_no;
