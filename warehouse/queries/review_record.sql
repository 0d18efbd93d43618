-- Record one review decision (a write: run it on a writer connection); returns its id.
INSERT INTO reviews (sha256, unit_no, sentence, theme, decision, source, reviewer, note)
VALUES ($sha256, $unit_no, $sentence, $theme, $decision, $source, $reviewer, $note)
RETURNING review_id;
