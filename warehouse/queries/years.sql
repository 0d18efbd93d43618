-- The publication years present among the documents trends count.
SELECT DISTINCT year
FROM trend_documents
WHERE year IS NOT NULL
  AND ($doc_types::VARCHAR[] IS NULL OR list_contains($doc_types::VARCHAR[], doc_type))
ORDER BY year;
