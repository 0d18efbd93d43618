-- Review that counts (issue 19): with --reviewed, trends and every output apply people's review
-- decisions. Decisions stay in `reviews`; the machine's mentions are never changed.
-- A decision applies while its sentence is unchanged (same document, unit number and text), as
-- in review_decisions: a re-tag that splits sentences differently orphans it.

-- Hits a reviewer rejected: (document, sentence, theme) whose latest decision is reject.
CREATE VIEW review_rejections AS
SELECT r.sha256, r.unit_no, r.theme
FROM review_decisions AS r
JOIN text_units AS u ON u.sha256 = r.sha256 AND u.unit_no = r.unit_no AND u.text = r.sentence
WHERE r.decision = 'reject';

-- Themes a reviewer added to a sentence the machine did not count them in, with the sentence's place.
CREATE VIEW review_additions AS
SELECT r.sha256, r.theme, r.unit_no, u.page, u.section, u.start_offset, u.end_offset, u.text AS matched_text
FROM review_decisions AS r
JOIN text_units AS u ON u.sha256 = r.sha256 AND u.unit_no = r.unit_no AND u.text = r.sentence
WHERE r.decision = 'add'
  AND NOT EXISTS (
      SELECT 1 FROM mentions AS m
      WHERE m.sha256 = r.sha256 AND m.unit_no = r.unit_no AND m.theme = r.theme AND m.counted
        AND m.taxonomy_version = (SELECT version FROM active_taxonomy)
  );

-- The counted mentions of the active codebook, as every count reads them. reviewed_ FALSE: the
-- machine's. TRUE: less the rejected hits, plus one mention per added (sentence, theme), whose
-- span is the whole sentence and whose source is 'review'. Callers cast: counted_mentions($reviewed::BOOLEAN).
CREATE MACRO counted_mentions(reviewed_) AS TABLE
SELECT m.sha256, m.theme, m.unit_no, m.page, m.section, m.start_offset, m.end_offset, m.matched_text, m.source
FROM mentions AS m
WHERE m.counted
  AND m.taxonomy_version = (SELECT version FROM active_taxonomy)
  AND NOT (reviewed_ AND EXISTS (
      SELECT 1 FROM review_rejections AS r
      WHERE r.sha256 = m.sha256 AND r.unit_no = m.unit_no AND r.theme = m.theme
  ))
UNION ALL
SELECT a.sha256, a.theme, a.unit_no, a.page, a.section, a.start_offset, a.end_offset, a.matched_text,
       'review' AS source
FROM review_additions AS a
WHERE reviewed_;

-- The document-level decisions (document_themes_in, migrations 006 and 010) with reviewed_: the
-- (document, theme) pairs a decision touches are recounted from their sentences with the decisions
-- applied, the others read from theme_evidence as before; the decisions themselves are unchanged.
-- A later redefinition of document_themes_in must keep the reviewed_ parameter (the trend queries
-- pass it); tests/test_reviewed_counts.py fails when it is lost.
CREATE OR REPLACE MACRO document_themes_in(sections_, reviewed_ := FALSE) AS TABLE
WITH settings AS (
    SELECT * FROM document_theme_settings
),
touched AS (  -- with reviewed_: the (document, theme) pairs a review decision changes
    SELECT sha256, theme FROM review_rejections WHERE reviewed_
    UNION
    SELECT sha256, theme FROM review_additions WHERE reviewed_
),
whole AS (  -- no section filter: the totals as stored
    SELECT e.sha256, e.theme, e.sentences, e.mentions, e.key_sentences, e.paragraphs, e.paragraph_sentences,
           e.children_sentences, e.adults_sentences
    FROM theme_evidence AS e
    WHERE sections_ IS NULL AND e.taxonomy_version = (SELECT version FROM active_taxonomy)
      AND NOT EXISTS (SELECT 1 FROM touched AS t WHERE t.sha256 = e.sha256 AND t.theme = e.theme)
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
      AND NOT EXISTS (SELECT 1 FROM touched AS t WHERE t.sha256 = s.sha256 AND t.theme = s.theme)
    GROUP BY s.sha256, s.theme
),
recounted_sentences AS (  -- the touched pairs' sentences, decisions applied (counted_mentions)
    SELECT m.sha256, m.theme, m.unit_no, any_value(m.section) AS section, count(*) AS mentions
    FROM counted_mentions(TRUE) AS m
    SEMI JOIN touched AS t ON t.sha256 = m.sha256 AND t.theme = m.theme
    WHERE sections_ IS NULL OR list_contains(sections_, m.section)
    GROUP BY m.sha256, m.theme, m.unit_no
),
recounted_paragraphs AS (  -- as theme_evidence is built (migration 010), for those pairs only
    SELECT s.sha256, s.theme, b.block_no, count(*) AS sentences, sum(s.mentions) AS mentions,
           count(*) FILTER (s.section IN ('summary', 'recommendations')) AS key_sentences
    FROM recounted_sentences AS s
    JOIN text_units AS u ON u.sha256 = s.sha256 AND u.unit_no = s.unit_no
    JOIN blocks AS b ON b.sha256 = s.sha256
                    AND u.start_offset >= b.start_offset AND u.start_offset < b.end_offset
    GROUP BY s.sha256, s.theme, b.block_no
),
document_scope_counts AS (  -- a document's children's and adults' sentences, as stored
    SELECT sha256, max(children_sentences) AS children_sentences, max(adults_sentences) AS adults_sentences
    FROM theme_evidence
    WHERE taxonomy_version = (SELECT version FROM active_taxonomy)
    GROUP BY sha256
),
recounted AS (
    SELECT p.sha256, p.theme, sum(p.sentences)::INTEGER AS sentences, sum(p.mentions)::INTEGER AS mentions,
           sum(p.key_sentences)::INTEGER AS key_sentences, count(*)::INTEGER AS paragraphs,
           max(p.sentences)::INTEGER AS paragraph_sentences,
           coalesce(any_value(c.children_sentences), 0)::INTEGER AS children_sentences,
           coalesce(any_value(c.adults_sentences), 0)::INTEGER AS adults_sentences
    FROM recounted_paragraphs AS p
    LEFT JOIN document_scope_counts AS c USING (sha256)
    GROUP BY p.sha256, p.theme
),
decided AS (
    SELECT t.*, coalesce(c.scope, 'all_age') AS theme_scope,
           CASE WHEN t.children_sentences > st.scope_ratio * t.adults_sentences THEN 'children'
                WHEN t.adults_sentences > st.scope_ratio * t.children_sentences THEN 'adults'
                ELSE 'all_age' END AS document_scope,
           st.min_sentences, st.off_scope_min_sentences, st.prominent_key_sentences,
           st.prominent_sentences, st.prominent_paragraph_sentences
    FROM (SELECT * FROM whole UNION ALL SELECT * FROM in_sections UNION ALL SELECT * FROM recounted) AS t
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
