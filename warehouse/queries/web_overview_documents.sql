-- Dashboard overview: documents counted in trends, by year and doc_type.
SELECT year, doc_type, count(*) AS documents, sum(pages) AS pages, sum(words) AS words
FROM trend_documents
GROUP BY ALL
ORDER BY year DESC NULLS LAST, doc_type;
