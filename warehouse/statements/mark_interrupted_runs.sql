-- Runs still 'running' when a new writer holds the lock were killed or crashed.
UPDATE runs SET status = 'interrupted' WHERE status = 'running';
