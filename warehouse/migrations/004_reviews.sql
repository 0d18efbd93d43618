-- A learning lead's decisions on theme hits, kept apart from the machine's mentions.
-- One row per decision (history kept); the latest decision per sentence and theme wins.
-- A decision names its sentence by document, unit number and text, so a re-tag that
-- splits sentences differently orphans it instead of moving it to another sentence.

CREATE SEQUENCE IF NOT EXISTS review_ids START 1;

CREATE TABLE reviews (
    review_id BIGINT PRIMARY KEY DEFAULT nextval('review_ids'),
    sha256 VARCHAR NOT NULL,
    unit_no INTEGER NOT NULL,
    sentence VARCHAR NOT NULL,
    theme VARCHAR NOT NULL,
    decision VARCHAR NOT NULL CHECK (decision IN ('accept', 'reject', 'add')),
    source VARCHAR,                     -- source of the reviewed hit (rules | classifier), NULL for add
    reviewer VARCHAR,
    note VARCHAR,
    reviewed_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE VIEW review_decisions AS
SELECT r.*
FROM reviews AS r
QUALIFY row_number() OVER (
    PARTITION BY r.sha256, r.unit_no, r.theme ORDER BY r.reviewed_at DESC, r.review_id DESC
) = 1;
