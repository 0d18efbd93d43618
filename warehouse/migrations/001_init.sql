-- Documents, their text, blocks, sentences, theme mentions, runs and quarantine.
-- A document is identified by the sha256 of its file bytes; a new version of the
-- same path is a new document that supersedes the old one (both kept).

CREATE SEQUENCE IF NOT EXISTS run_ids START 1;

CREATE TABLE runs (
    run_id BIGINT PRIMARY KEY,
    command VARCHAR NOT NULL,
    started_at TIMESTAMPTZ NOT NULL,
    finished_at TIMESTAMPTZ,
    status VARCHAR NOT NULL,            -- running | ok | quarantined | interrupted | failed
    seen INTEGER DEFAULT 0,
    new INTEGER DEFAULT 0,
    skipped INTEGER DEFAULT 0,
    retagged INTEGER DEFAULT 0,
    quarantined INTEGER DEFAULT 0,
    pages INTEGER DEFAULT 0,
    workers INTEGER DEFAULT 1,
    taxonomy_version VARCHAR,
    extractor_version VARCHAR
);

CREATE TABLE taxonomy_versions (
    version VARCHAR PRIMARY KEY,
    human_version VARCHAR NOT NULL,
    loaded_at TIMESTAMPTZ NOT NULL,
    themes JSON NOT NULL               -- [{"id","label","scope","group","definition"}]
);

-- The taxonomy version that trends read: one row, changed only by a full (re)tag.
CREATE TABLE active_taxonomy (
    only_row BOOLEAN PRIMARY KEY DEFAULT TRUE CHECK (only_row),
    version VARCHAR NOT NULL
);

CREATE TABLE documents (
    sha256 VARCHAR PRIMARY KEY,
    path VARCHAR NOT NULL,
    title VARCHAR,
    doc_type VARCHAR NOT NULL,
    area VARCHAR,
    year INTEGER,
    pages INTEGER NOT NULL,
    words INTEGER NOT NULL,
    extractor_version VARCHAR NOT NULL,
    metadata_source VARCHAR,            -- manifest | inferred
    ingested_at TIMESTAMPTZ NOT NULL,
    run_id BIGINT NOT NULL,
    supersedes VARCHAR,                 -- sha256 of the previous version of the same path
    is_latest BOOLEAN NOT NULL DEFAULT TRUE,
    tagged_version VARCHAR              -- taxonomy version of its current mentions
);

CREATE TABLE document_texts (
    sha256 VARCHAR PRIMARY KEY,
    text VARCHAR NOT NULL
);

CREATE TABLE blocks (
    sha256 VARCHAR NOT NULL,
    block_no INTEGER NOT NULL,
    page INTEGER NOT NULL,
    kind VARCHAR NOT NULL,
    section VARCHAR NOT NULL,
    start_offset INTEGER NOT NULL,
    end_offset INTEGER NOT NULL
);

CREATE TABLE text_units (
    sha256 VARCHAR NOT NULL,
    unit_no INTEGER NOT NULL,
    page INTEGER NOT NULL,
    section VARCHAR NOT NULL,
    kind VARCHAR NOT NULL,
    start_offset INTEGER NOT NULL,
    end_offset INTEGER NOT NULL,
    text VARCHAR NOT NULL
);

CREATE TABLE mentions (
    sha256 VARCHAR NOT NULL,
    taxonomy_version VARCHAR NOT NULL,
    theme VARCHAR NOT NULL,
    start_offset INTEGER NOT NULL,
    end_offset INTEGER NOT NULL,
    matched_text VARCHAR NOT NULL,
    unit_no INTEGER NOT NULL,
    page INTEGER NOT NULL,
    section VARCHAR NOT NULL,
    rule_id VARCHAR NOT NULL,
    counted BOOLEAN NOT NULL,
    reason VARCHAR,
    source VARCHAR NOT NULL DEFAULT 'rules'
);

CREATE TABLE quarantine (
    run_id BIGINT NOT NULL,
    path VARCHAR NOT NULL,
    sha256 VARCHAR,
    reason VARCHAR NOT NULL,
    message VARCHAR NOT NULL,
    quarantined_at TIMESTAMPTZ NOT NULL
);

-- The file index lets a no-op rerun skip hashing files whose size and mtime are unchanged.
CREATE TABLE file_index (
    path VARCHAR PRIMARY KEY,
    size BIGINT NOT NULL,
    mtime_ns BIGINT NOT NULL,
    sha256 VARCHAR NOT NULL
);
