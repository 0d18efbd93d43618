-- The codebook version trends count with (no row before the first ingest).
SELECT version FROM active_taxonomy
