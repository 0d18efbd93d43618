-- A quarantined file with its size and mtime, so an unreadable one (no hash) is reported once.
INSERT INTO quarantine (run_id, path, sha256, reason, message, size, mtime_ns, quarantined_at)
VALUES ($run_id, $path, $sha256, $reason, $message, $size, $mtime_ns, now());
