-- Dashboard overview: headline counts and the taxonomy version trends read.
SELECT (SELECT count(*) FROM trend_documents) AS documents,
       (SELECT coalesce(sum(pages), 0) FROM trend_documents) AS pages,
       (SELECT count(*) FROM current_mentions WHERE counted) AS counted_mentions,
       (SELECT count(DISTINCT theme) FROM document_themes WHERE discussed) AS themes_found,
       (SELECT version FROM active_taxonomy) AS taxonomy_version,
       (SELECT max(finished_at)::TIMESTAMP FROM runs WHERE status IN ('ok', 'quarantined')) AS last_finished_run;
