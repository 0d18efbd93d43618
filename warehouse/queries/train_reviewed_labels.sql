-- Reviewed labels for training: the latest decision per (sentence, theme) whose sentence
-- is still stored unchanged.
SELECT r.sha256, r.unit_no, r.theme, r.decision
FROM review_decisions AS r
JOIN text_units AS u ON u.sha256 = r.sha256 AND u.unit_no = r.unit_no AND u.text = r.sentence
JOIN current_documents AS d ON d.sha256 = r.sha256
ORDER BY r.sha256, r.unit_no, r.theme;
