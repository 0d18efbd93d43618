-- The migrations applied so far.
SELECT version FROM schema_migrations
