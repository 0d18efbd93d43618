-- Documents stored from the bundled sample corpus (their file under $sample_prefix) and others.
SELECT count(*) FILTER (WHERE starts_with(path, $sample_prefix)) AS sample,
       count(*) FILTER (WHERE NOT starts_with(path, $sample_prefix)) AS other
FROM documents;
