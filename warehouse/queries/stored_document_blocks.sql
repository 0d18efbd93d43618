-- A stored document's blocks, in order, with their spans in its text.
SELECT page, kind, section, start_offset, end_offset FROM blocks WHERE sha256 = $sha256 ORDER BY block_no
