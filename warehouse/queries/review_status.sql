-- The latest review decision of every reviewed (sentence, theme), to join onto mentions:
--   LEFT JOIN (<this query>) AS r ON r.sha256 = m.sha256 AND r.unit_no = m.unit_no
--        AND r.theme = m.theme AND r.sentence = u.text
SELECT sha256, unit_no, sentence, theme,
       CASE decision WHEN 'reject' THEN 'rejected' ELSE 'accepted' END AS review_status,  -- accept, add
       decision, reviewer, note, reviewed_at::TIMESTAMP AS reviewed_at
FROM review_decisions;
