-- The publication years present among the documents trends count.
SELECT DISTINCT year
FROM bucketed_documents('year', $since::INTEGER, $until::INTEGER, $doc_types::VARCHAR[], $areas::VARCHAR[])
WHERE year IS NOT NULL
ORDER BY year;
