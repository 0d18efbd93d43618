-- The file index: path, size and mtime -> sha256, so a no-op rerun skips hashing.
SELECT path, size, mtime_ns, sha256 FROM file_index
