INSERT INTO quarantine (run_id, path, sha256, reason, message, quarantined_at)
VALUES ($run_id, $path, $sha256, $reason, $message, now());
