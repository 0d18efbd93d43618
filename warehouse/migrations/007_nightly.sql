-- Unattended nights (issue 17).
-- Where each document is on disk: the content last seen at each path. A document counts
-- (documents.is_latest) while some path was last seen holding it, so reverting a file
-- (A -> B -> A), renaming one and reusing the old name, or editing one of two identical
-- copies never drops content that is on disk. A path whose file is gone keeps its last
-- content (the warehouse is the archive), unless that content was seen at another path
-- in the same scan (the file moved).
CREATE TABLE document_paths (
    path VARCHAR PRIMARY KEY,
    sha256 VARCHAR NOT NULL,
    seen_at TIMESTAMPTZ NOT NULL
);
INSERT INTO document_paths (path, sha256, seen_at)
SELECT path, sha256, ingested_at FROM documents WHERE is_latest;

-- An edit that keeps size and mtime still changes ctime (and a replaced file its inode).
ALTER TABLE file_index ADD COLUMN ctime_ns BIGINT DEFAULT 0;
ALTER TABLE file_index ADD COLUMN inode BIGINT DEFAULT 0;

-- A file quarantined without a hash (unreadable) is recognised by size and mtime, so it is
-- reported once, not every night, until it changes.
ALTER TABLE quarantine ADD COLUMN size BIGINT;
ALTER TABLE quarantine ADD COLUMN mtime_ns BIGINT;

-- A re-tag writes here, beside the active tagging, and swaps it in one transaction when every
-- document is done, so readers see the old codebook complete until the new one is.
CREATE TABLE retag_documents (sha256 VARCHAR PRIMARY KEY, version VARCHAR NOT NULL);
CREATE TABLE retag_text_units AS SELECT * FROM text_units WHERE FALSE;
CREATE TABLE retag_mentions AS SELECT * FROM mentions WHERE FALSE;
