-- The areas present among the documents trends count (for the heatmap's filter).
SELECT DISTINCT area FROM trend_documents WHERE area IS NOT NULL ORDER BY area;
