UPDATE runs
SET finished_at = now(), status = $status, seen = $seen, new = $new, skipped = $skipped,
    retagged = $retagged, quarantined = $quarantined, pages = $pages
WHERE run_id = $run_id;
