-- A run that ends in an error marks itself (failed, or interrupted when stopped by a signal).
UPDATE runs SET status = $status, finished_at = now() WHERE run_id = $run_id AND status = 'running';
