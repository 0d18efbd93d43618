INSERT INTO taxonomy_versions (version, human_version, loaded_at, themes)
VALUES ($version, $human_version, now(), $themes)
ON CONFLICT DO NOTHING;
