INSERT OR REPLACE INTO file_index (path, size, mtime_ns, sha256) VALUES ($path, $size, $mtime_ns, $sha256);
