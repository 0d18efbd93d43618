-- The coded selections of a REFI-QDA export: every counted mention of the active taxonomy
-- (one per theme and span, should two rules have matched the same words); with $reviewed,
-- review decisions applied (counted_mentions: rejected hits left out, added themes coded on
-- their whole sentence). Documents as trends count them.
SELECT DISTINCT ON (m.sha256, m.theme, m.start_offset, m.end_offset)
       m.sha256, m.theme, m.start_offset, m.end_offset, m.matched_text, m.page, m.section
FROM counted_mentions($reviewed::BOOLEAN) AS m
SEMI JOIN current_documents AS d USING (sha256)
ORDER BY m.sha256, m.start_offset, m.end_offset, m.theme;
