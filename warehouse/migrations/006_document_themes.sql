-- Document-level theme decisions: when a theme is *discussed* in a document and when it is
-- *prominent* there, from where and how much its counted mentions sit. One definition, read by
-- trends, the heatmaps, recurring, rising, co-occurrence, the briefing and the dashboard.
-- The parameters live in models/document_themes.toml; warehouse.db copies them into
-- document_theme_settings on every write connection (the row below is the first default).

CREATE TABLE document_theme_settings (
    only_row BOOLEAN PRIMARY KEY DEFAULT TRUE CHECK (only_row),
    version VARCHAR NOT NULL,
    min_sentences INTEGER NOT NULL,                 -- discussed: counted sentences needed
    off_scope_min_sentences INTEGER NOT NULL,       -- ... when the theme's scope is not the document's
    scope_ratio DOUBLE NOT NULL,                    -- a children's (adults') document: its children-scope
                                                    -- sentences outnumber its adult-scope ones this many times
    prominent_key_sentences INTEGER NOT NULL,       -- prominent: sentences in the summary or recommendations,
    prominent_sentences INTEGER NOT NULL,           -- or sentences anywhere,
    prominent_paragraph_sentences INTEGER NOT NULL, -- or sentences in one paragraph
    saturated_share DOUBLE NOT NULL                 -- saturated: at least this share of every year's documents
);
INSERT INTO document_theme_settings VALUES (TRUE, 'migration-006', 1, 4, 3.0, 1, 4, 2, 0.9);

-- The scope (children | adults | all_age) of each theme of the active codebook.
CREATE VIEW active_theme_scopes AS
SELECT theme ->> 'id' AS theme, coalesce(theme ->> 'scope', 'all_age') AS scope
FROM (
    SELECT unnest(from_json(t.themes, '["json"]')) AS theme
    FROM taxonomy_versions AS t
    JOIN active_taxonomy AS a USING (version)
);

-- Per (document, theme) with at least one counted mention (in `sections_`, all when NULL):
-- its evidence and the two decisions. Callers cast: document_themes_in($sections::VARCHAR[]).
CREATE MACRO document_themes_in(sections_) AS TABLE
WITH settings AS (
    SELECT * FROM document_theme_settings
),
counted AS (  -- each sentence with a counted mention of a theme, and how many it has
    SELECT m.sha256, m.theme, m.unit_no, any_value(m.section) AS section, count(*) AS mentions
    FROM mentions AS m
    SEMI JOIN trend_documents AS d USING (sha256)
    WHERE m.counted AND m.taxonomy_version = (SELECT version FROM active_taxonomy)
    GROUP BY m.sha256, m.theme, m.unit_no
),
document_scopes AS (  -- from all of a document's counted sentences, whatever the section filter
    SELECT u.sha256,
           count(*) FILTER (c.scope = 'children') AS children,
           count(*) FILTER (c.scope = 'adults') AS adults
    FROM counted AS u
    JOIN active_theme_scopes AS c USING (theme)
    GROUP BY u.sha256
),
sentences AS (
    SELECT * FROM counted
    WHERE sections_ IS NULL OR list_contains(sections_, section)
),
per_paragraph AS (  -- the paragraph (block) each sentence belongs to
    SELECT s.sha256, s.theme, b.block_no, count(*) AS sentences, sum(s.mentions) AS mentions,
           count(*) FILTER (s.section IN ('summary', 'recommendations')) AS key_sentences
    FROM sentences AS s
    JOIN text_units AS u ON u.sha256 = s.sha256 AND u.unit_no = s.unit_no
    JOIN blocks AS b ON b.sha256 = s.sha256
                    AND u.start_offset >= b.start_offset AND u.start_offset < b.end_offset
    GROUP BY s.sha256, s.theme, b.block_no
),
per_theme AS (
    SELECT sha256, theme, sum(sentences)::BIGINT AS sentences, sum(mentions)::BIGINT AS mentions,
           sum(key_sentences)::BIGINT AS key_sentences, count(*) AS paragraphs,
           max(sentences) AS paragraph_sentences
    FROM per_paragraph
    GROUP BY sha256, theme
),
decided AS (
    SELECT t.*, coalesce(c.scope, 'all_age') AS theme_scope,
           CASE WHEN s.children > st.scope_ratio * s.adults THEN 'children'
                WHEN s.adults > st.scope_ratio * s.children THEN 'adults'
                ELSE 'all_age' END AS document_scope,
           st.min_sentences, st.off_scope_min_sentences, st.prominent_key_sentences,
           st.prominent_sentences, st.prominent_paragraph_sentences
    FROM per_theme AS t
    JOIN document_scopes AS s USING (sha256)
    LEFT JOIN active_theme_scopes AS c USING (theme)
    CROSS JOIN settings AS st
),
discussed AS (
    SELECT *,
           sentences >= CASE WHEN theme_scope NOT IN ('all_age', document_scope) AND document_scope <> 'all_age'
                             THEN off_scope_min_sentences ELSE min_sentences END AS discussed
    FROM decided
)
SELECT x.sha256, d.path, x.theme, x.sentences, x.discussed,
       x.discussed AND (x.key_sentences >= x.prominent_key_sentences
                        OR x.sentences >= x.prominent_sentences
                        OR x.paragraph_sentences >= x.prominent_paragraph_sentences) AS prominent,
       x.mentions, x.key_sentences, x.paragraphs, x.paragraph_sentences, x.theme_scope, x.document_scope,
       d.title, d.doc_type, d.area, d.year, d.words
FROM discussed AS x
JOIN trend_documents AS d USING (sha256);

-- The document-level truth every output reads: one row per (document, theme) with a counted
-- mention; `discussed` and `prominent` are the decisions (sentences: counted sentences).
CREATE VIEW document_themes AS
SELECT * FROM document_themes_in(NULL::VARCHAR[]);
