-- One document's blocks (headings, paragraphs, list items, tables) in reading order, with pages.
SELECT block_no, page, kind, section, start_offset, end_offset
FROM blocks
WHERE sha256 = $sha256
ORDER BY block_no;
