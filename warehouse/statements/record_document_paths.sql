-- Record where stored documents are on disk after a scan (registered: `scanned_files(path, sha256)`,
-- `scan_roots(root)`). A path under a scanned folder whose file is gone, while its content was
-- seen at another path, is the old name of a moved file: forget it. A gone file whose content
-- is nowhere else keeps its path (the warehouse is the archive). Then a document counts while
-- some path was last seen holding it.
DELETE FROM document_paths
WHERE path NOT IN (SELECT path FROM scanned_files)
  AND sha256 IN (SELECT sha256 FROM scanned_files)
  AND EXISTS (
      SELECT 1 FROM scan_roots AS r
      WHERE document_paths.path = r.root OR starts_with(document_paths.path, r.root || '/')
  );

INSERT OR REPLACE INTO document_paths (path, sha256, seen_at)
SELECT path, sha256, now() FROM scanned_files
WHERE sha256 IN (SELECT sha256 FROM documents);

UPDATE documents SET is_latest = (sha256 IN (SELECT sha256 FROM document_paths))
WHERE is_latest IS DISTINCT FROM (sha256 IN (SELECT sha256 FROM document_paths));
