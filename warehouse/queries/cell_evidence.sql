-- The top evidence sentences behind every heatmap cell: at most $per_cell per (theme, bucket),
-- one sentence per document, quotable sentences first, then newest documents first.
-- Quotable (as pipeline/quotes.py): 40-320 characters of body, summary or recommendations prose, not a
-- table row (" | ") and not a glossary run (two or more " – ").
-- $by: year | doc_type | area | document (bucket = sha256); filters as in trends. Only the documents
-- a cell counts give evidence: those discussing the theme (where it is prominent for $metric prominent).
WITH docs AS (
    SELECT * FROM bucketed_documents($by, $since::INTEGER, $until::INTEGER, $doc_types::VARCHAR[], $areas::VARCHAR[])
),
counted_documents AS (
    SELECT sha256, theme
    FROM document_themes_in($sections::VARCHAR[], reviewed_ := $reviewed::BOOLEAN)
    WHERE discussed AND ($metric <> 'prominent' OR prominent)
),
scored AS (
    SELECT m.theme, m.sha256, m.unit_no, m.page, m.section, m.start_offset, m.end_offset, m.matched_text,
           CASE WHEN length(u.text) BETWEEN 40 AND 320
                 AND NOT contains(u.text, '|')
                 AND m.section IN ('body', 'summary', 'recommendations')
                 AND length(u.text) - length(replace(u.text, ' – ', '')) < 2 * 3
                THEN 0 ELSE 1 END AS poor
    FROM counted_mentions($reviewed::BOOLEAN) AS m
    JOIN docs AS d USING (sha256)
    SEMI JOIN counted_documents AS c ON c.sha256 = m.sha256 AND c.theme = m.theme
    JOIN text_units AS u ON u.sha256 = m.sha256 AND u.unit_no = m.unit_no
    WHERE list_contains($themes::VARCHAR[], m.theme)
      AND ($sections::VARCHAR[] IS NULL OR list_contains($sections::VARCHAR[], m.section))
),
best_per_document AS (
    SELECT *, row_number() OVER (PARTITION BY theme, sha256 ORDER BY poor, start_offset) AS nth
    FROM scored
),
ranked AS (
    SELECT b.*, d.bucket, d.title, d.year, d.doc_type, d.area,
           row_number() OVER (PARTITION BY b.theme, d.bucket
                              ORDER BY b.poor, d.year DESC NULLS LAST, d.title, b.sha256) AS rank
    FROM best_per_document AS b
    JOIN docs AS d USING (sha256)
    WHERE b.nth = 1
)
SELECT r.theme, r.bucket, r.rank, r.title, r.year, r.doc_type, r.area, r.page, r.section, r.sha256,
       u.text AS sentence, r.matched_text,
       r.start_offset - u.start_offset AS match_start, r.end_offset - u.start_offset AS match_end
FROM ranked AS r
JOIN text_units AS u ON u.sha256 = r.sha256 AND u.unit_no = r.unit_no
WHERE r.rank <= $per_cell
ORDER BY r.theme, r.bucket, r.rank;
