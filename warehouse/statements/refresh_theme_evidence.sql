-- Recompute the theme evidence (migration 010) of the documents $shas from their tagging as it
-- is now: run in the same transaction as every write or swap of their mentions.
DELETE FROM theme_section_evidence WHERE list_contains($shas::VARCHAR[], sha256);
DELETE FROM theme_evidence WHERE list_contains($shas::VARCHAR[], sha256);
INSERT INTO theme_section_evidence
WITH sentences AS (  -- each sentence with a counted mention of a theme, and how many it has
    SELECT m.sha256, m.taxonomy_version, m.theme, m.unit_no, any_value(m.section) AS section, count(*) AS mentions
    FROM mentions AS m
    WHERE m.counted
      AND list_contains($shas::VARCHAR[], m.sha256)
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
      AND list_contains($shas::VARCHAR[], m.sha256)
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
