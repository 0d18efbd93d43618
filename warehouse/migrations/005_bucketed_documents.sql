-- One definition of "the documents a trend counts, and the column each falls in", shared by
-- trends, the per-document heatmap and the evidence behind a cell, so their document counts
-- always agree. Callers cast their parameters: bucketed_documents($by, $since::INTEGER, ...).
-- by_: year | doc_type | area | document.

CREATE MACRO bucketed_documents(by_, since_, until_, doc_types_, areas_) AS TABLE
SELECT sha256, title, year, doc_type, area, words,
       CASE by_
           WHEN 'year' THEN coalesce(CAST(year AS VARCHAR), 'unknown')
           WHEN 'doc_type' THEN doc_type
           WHEN 'area' THEN coalesce(area, 'unknown')
           WHEN 'document' THEN sha256
       END AS bucket
FROM trend_documents
WHERE (since_ IS NULL OR year >= since_)
  AND (until_ IS NULL OR year <= until_)
  AND (doc_types_ IS NULL OR list_contains(doc_types_, doc_type))
  AND (areas_ IS NULL OR list_contains(areas_, area));
