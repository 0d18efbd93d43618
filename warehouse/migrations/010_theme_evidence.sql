-- The evidence of each theme in each document, kept as tables so document_themes is cheap to
-- read (a warehouse of 1M mentions answers in tens of milliseconds, not seconds): per
-- (document, taxonomy version, theme) its counted sentences and mentions, those in the summary
-- or recommendations, the paragraphs (blocks) they sit in, the most in one paragraph, and the
-- document's counted sentences of children's and of adults' themes (its scope); the same per
-- section for section filters. The loader refreshes a document's rows whenever its tagging is
-- written or swapped (statements/refresh_theme_evidence.sql); here the existing tagging is
-- filled in, and document_themes_in is redefined over the tables (the same columns as in 006).

CREATE TABLE theme_evidence (  -- per (document, tagging, theme)
    sha256 VARCHAR NOT NULL,
    taxonomy_version VARCHAR NOT NULL,
    theme VARCHAR NOT NULL,
    sentences INTEGER NOT NULL,            -- counted sentences
    mentions INTEGER NOT NULL,             -- counted mentions
    key_sentences INTEGER NOT NULL,        -- sentences in the summary or recommendations
    paragraphs INTEGER NOT NULL,           -- blocks with a counted sentence
    paragraph_sentences INTEGER NOT NULL,  -- most counted sentences in one block
    children_sentences INTEGER NOT NULL,   -- the document's counted sentences of children's themes
    adults_sentences INTEGER NOT NULL      -- ... and of adults' themes (its scope)
);

CREATE TABLE theme_section_evidence (  -- the same per section, for --section filters
    sha256 VARCHAR NOT NULL,
    taxonomy_version VARCHAR NOT NULL,
    theme VARCHAR NOT NULL,
    section VARCHAR NOT NULL,
    sentences INTEGER NOT NULL,
    mentions INTEGER NOT NULL,
    paragraphs INTEGER NOT NULL,
    paragraph_sentences INTEGER NOT NULL
);

INSERT INTO theme_section_evidence
WITH sentences AS (  -- each sentence with a counted mention of a theme, and how many it has
    SELECT m.sha256, m.taxonomy_version, m.theme, m.unit_no, any_value(m.section) AS section, count(*) AS mentions
    FROM mentions AS m
    WHERE m.counted
    GROUP BY m.sha256, m.taxonomy_version, m.theme, m.unit_no
),
per_paragraph AS (  -- the paragraph (block) each sentence belongs to
    SELECT s.sha256, s.taxonomy_version, s.theme, s.section, b.block_no, count(*) AS sentences,
           sum(s.mentions) AS mentions
    FROM sentences AS s
    JOIN text_units AS u ON u.sha256 = s.sha256 AND u.unit_no = s.unit_no
    JOIN blocks AS b ON b.sha256 = s.sha256
                    AND u.start_offset >= b.start_offset AND u.start_offset < b.end_offset
    GROUP BY ALL
)
SELECT sha256, taxonomy_version, theme, section, sum(sentences)::INTEGER AS sentences,
       sum(mentions)::INTEGER AS mentions, count(*)::INTEGER AS paragraphs,
       max(sentences)::INTEGER AS paragraph_sentences
FROM per_paragraph
GROUP BY sha256, taxonomy_version, theme, section;

INSERT INTO theme_evidence
WITH sentences AS (  -- each sentence with a counted mention of a theme, and how many it has
    SELECT m.sha256, m.taxonomy_version, m.theme, m.unit_no, any_value(m.section) AS section, count(*) AS mentions
    FROM mentions AS m
    WHERE m.counted
    GROUP BY m.sha256, m.taxonomy_version, m.theme, m.unit_no
),
per_paragraph AS (  -- the paragraph (block) each sentence belongs to
    SELECT s.sha256, s.taxonomy_version, s.theme, s.section, b.block_no, count(*) AS sentences,
           sum(s.mentions) AS mentions
    FROM sentences AS s
    JOIN text_units AS u ON u.sha256 = s.sha256 AND u.unit_no = s.unit_no
    JOIN blocks AS b ON b.sha256 = s.sha256
                    AND u.start_offset >= b.start_offset AND u.start_offset < b.end_offset
    GROUP BY ALL
),
scopes AS (  -- each theme's scope in the codebook version it was tagged with
    SELECT t.version AS taxonomy_version, j ->> 'id' AS theme, coalesce(j ->> 'scope', 'all_age') AS scope
    FROM taxonomy_versions AS t, unnest(from_json(t.themes, '["json"]')) AS u(j)
),
totals AS (
    SELECT sha256, taxonomy_version, theme, sum(sentences)::INTEGER AS sentences,
           sum(mentions)::INTEGER AS mentions,
           coalesce(sum(sentences) FILTER (section IN ('summary', 'recommendations')), 0)::INTEGER AS key_sentences,
           count(*)::INTEGER AS paragraphs, max(sentences)::INTEGER AS paragraph_sentences
    FROM per_paragraph
    GROUP BY sha256, taxonomy_version, theme
)
SELECT t.*,
       coalesce(sum(t.sentences) FILTER (c.scope = 'children') OVER w, 0)::INTEGER AS children_sentences,
       coalesce(sum(t.sentences) FILTER (c.scope = 'adults') OVER w, 0)::INTEGER AS adults_sentences
FROM totals AS t
LEFT JOIN scopes AS c USING (taxonomy_version, theme)
WINDOW w AS (PARTITION BY t.sha256, t.taxonomy_version);

CREATE OR REPLACE MACRO document_themes_in(sections_) AS TABLE
WITH settings AS (
    SELECT * FROM document_theme_settings
),
whole AS (  -- no section filter: the totals as stored
    SELECT e.sha256, e.theme, e.sentences, e.mentions, e.key_sentences, e.paragraphs, e.paragraph_sentences,
           e.children_sentences, e.adults_sentences
    FROM theme_evidence AS e
    WHERE sections_ IS NULL AND e.taxonomy_version = (SELECT version FROM active_taxonomy)
),
in_sections AS (  -- a section filter: the evidence in those sections, the document's scope from all
    SELECT s.sha256, s.theme, sum(s.sentences)::INTEGER AS sentences, sum(s.mentions)::INTEGER AS mentions,
           coalesce(sum(s.sentences) FILTER (s.section IN ('summary', 'recommendations')), 0)::INTEGER
               AS key_sentences,
           sum(s.paragraphs)::INTEGER AS paragraphs, max(s.paragraph_sentences) AS paragraph_sentences,
           any_value(e.children_sentences) AS children_sentences, any_value(e.adults_sentences) AS adults_sentences
    FROM theme_section_evidence AS s
    JOIN theme_evidence AS e USING (sha256, taxonomy_version, theme)
    WHERE sections_ IS NOT NULL AND list_contains(sections_, s.section)
      AND s.taxonomy_version = (SELECT version FROM active_taxonomy)
    GROUP BY s.sha256, s.theme
),
decided AS (
    SELECT t.*, coalesce(c.scope, 'all_age') AS theme_scope,
           CASE WHEN t.children_sentences > st.scope_ratio * t.adults_sentences THEN 'children'
                WHEN t.adults_sentences > st.scope_ratio * t.children_sentences THEN 'adults'
                ELSE 'all_age' END AS document_scope,
           st.min_sentences, st.off_scope_min_sentences, st.prominent_key_sentences,
           st.prominent_sentences, st.prominent_paragraph_sentences
    FROM (SELECT * FROM whole UNION ALL SELECT * FROM in_sections) AS t
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

CREATE OR REPLACE VIEW document_themes AS
SELECT * FROM document_themes_in(NULL::VARCHAR[]);
