-- The file index: path, size, mtime, ctime and inode -> sha256, so a no-op rerun skips hashing.
SELECT path, size, mtime_ns, ctime_ns, inode, sha256 FROM file_index
