INSERT INTO documents (sha256, path, title, doc_type, area, year, pages, words, extractor_version,
                       metadata_source, ingested_at, run_id, supersedes, is_latest, tagged_version)
VALUES ($sha256, $path, $title, $doc_type, $area, $year, $pages, $words, $extractor_version,
        $metadata_source, now(), $run_id, $supersedes, TRUE, $tagged_version);
