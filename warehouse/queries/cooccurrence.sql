-- Theme pairs counted in the same documents, with lift.
-- lift = documents with both x all documents / (documents with a x documents with b):
-- 1 when the themes are independent, above 1 when they go together.
-- Pairs with fewer than $min_documents shared documents are left out; with $themes,
-- only pairs that involve one of them.
-- A document has a theme when document_themes says it is discussed there (prominent, for
-- $metric prominent).
WITH docs AS (
    SELECT sha256
    FROM bucketed_documents('year', $since::INTEGER, $until::INTEGER, $doc_types::VARCHAR[], $areas::VARCHAR[])
),
total AS (
    SELECT count(*) AS total_documents FROM docs
),
doc_themes AS (
    SELECT t.sha256, t.theme
    FROM document_themes_in($sections::VARCHAR[], reviewed_ := $reviewed::BOOLEAN) AS t
    SEMI JOIN docs AS d USING (sha256)
    WHERE t.discussed AND ($metric <> 'prominent' OR t.prominent)
),
theme_documents AS (
    SELECT theme, count(*) AS documents FROM doc_themes GROUP BY theme
),
pairs AS (
    SELECT a.theme AS theme_a, b.theme AS theme_b, count(*) AS documents
    FROM doc_themes AS a
    JOIN doc_themes AS b ON a.sha256 = b.sha256 AND a.theme < b.theme
    GROUP BY a.theme, b.theme
    HAVING count(*) >= $min_documents
)
SELECT p.theme_a,
       p.theme_b,
       p.documents,
       ta.documents AS documents_a,
       tb.documents AS documents_b,
       t.total_documents,
       p.documents / t.total_documents AS share,
       p.documents * t.total_documents / (ta.documents * tb.documents) AS lift
FROM pairs AS p
JOIN theme_documents AS ta ON ta.theme = p.theme_a
JOIN theme_documents AS tb ON tb.theme = p.theme_b
CROSS JOIN total AS t
WHERE $themes::VARCHAR[] IS NULL
   OR list_contains($themes::VARCHAR[], p.theme_a)
   OR list_contains($themes::VARCHAR[], p.theme_b)
ORDER BY p.theme_a, p.theme_b;  -- ranked in pipeline/analysis/cooccurrence.py (lift_low)
