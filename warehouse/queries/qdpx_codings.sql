-- The coded selections of a REFI-QDA export: every counted mention of the active taxonomy
-- (one per theme and span, should two rules have matched the same words).
SELECT DISTINCT ON (sha256, theme, start_offset, end_offset)
       sha256, theme, start_offset, end_offset, matched_text, page, section
FROM current_mentions
WHERE counted
ORDER BY sha256, start_offset, end_offset, theme;
