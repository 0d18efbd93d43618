-- The tables of an opened DuckDB file (to tell our warehouse from some other DuckDB database).
SELECT table_name FROM duckdb_tables() WHERE NOT internal ORDER BY table_name;
