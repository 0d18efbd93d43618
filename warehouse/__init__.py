"""DuckDB warehouse: connection, migrations and named queries."""
