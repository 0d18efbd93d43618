-- How many documents trends count under the filters (themes and sections aside): the
-- documents of bucketed_documents, so an empty selection is recognised the same way everywhere.
SELECT count(*) AS documents
FROM bucketed_documents('year', $since::INTEGER, $until::INTEGER, $doc_types::VARCHAR[], $areas::VARCHAR[]);
