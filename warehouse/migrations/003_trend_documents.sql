-- The documents trends count: the latest version of each path, tagged with the
-- active taxonomy. A document still tagged with an older version (a re-tag in
-- progress or interrupted) has no current mentions, so it must leave the
-- denominators too, or every share would be biased down.

CREATE VIEW trend_documents AS
SELECT * FROM documents
WHERE is_latest
  AND tagged_version = (SELECT version FROM active_taxonomy);
