-- How many documents the warehouse holds, all versions.
SELECT count(*) AS documents FROM documents
