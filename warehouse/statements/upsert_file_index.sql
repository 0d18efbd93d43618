-- Remember the hashes of files hashed this run (registered as `hashed_files`), in one statement.
INSERT OR REPLACE INTO file_index (path, size, mtime_ns, ctime_ns, inode, sha256)
SELECT path, size, mtime_ns, ctime_ns, inode, sha256 FROM hashed_files;
