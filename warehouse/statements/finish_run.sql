UPDATE runs
SET finished_at = now(), status = $status, seen = $seen, new = $new, skipped = $skipped,
    retagged = $retagged, quarantined = $quarantined, pages = $pages,
    still_quarantined = $still_quarantined
WHERE run_id = $run_id;
