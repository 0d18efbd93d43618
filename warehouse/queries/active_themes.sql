-- The theme codebook of the active taxonomy version.
SELECT t.version, t.human_version, unnest(from_json(t.themes, '["json"]')) AS theme
FROM taxonomy_versions AS t
JOIN active_taxonomy AS a USING (version);
