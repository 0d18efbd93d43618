-- Each theme's scope (children | adults | all_age) in the codebook version $version.
SELECT j ->> 'id' AS theme, coalesce(j ->> 'scope', 'all_age') AS scope
FROM taxonomy_versions AS t, unnest(from_json(t.themes, '["json"]')) AS u(j)
WHERE t.version = $version;
