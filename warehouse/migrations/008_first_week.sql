-- What a learning lead needs in the first week (issue 19).
-- The folders this warehouse was fed: a later `ingest` without a folder scans these again
-- (and nothing else), so the bundled sample never slips into a real warehouse.
CREATE TABLE ingest_folders (
    path VARCHAR PRIMARY KEY,
    is_sample BOOLEAN NOT NULL,
    first_run BIGINT NOT NULL,
    last_run BIGINT NOT NULL
);

-- Every correction of a document's title, type, area or year after it was loaded: by a
-- manifest re-applied on a later run, or by `documents set`; who, when, from what to what.
CREATE SEQUENCE IF NOT EXISTS metadata_change_ids START 1;
CREATE TABLE metadata_changes (
    change_id BIGINT PRIMARY KEY DEFAULT nextval('metadata_change_ids'),
    sha256 VARCHAR NOT NULL,
    field VARCHAR NOT NULL CHECK (field IN ('title', 'doc_type', 'area', 'year')),
    old_value VARCHAR,
    new_value VARCHAR,
    source VARCHAR NOT NULL,            -- manifest | documents set
    changed_by VARCHAR,
    changed_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    note VARCHAR
);

-- Files skipped because they were quarantined before and have not changed since.
ALTER TABLE runs ADD COLUMN still_quarantined INTEGER DEFAULT 0;
