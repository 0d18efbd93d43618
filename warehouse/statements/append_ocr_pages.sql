-- Append the Arrow table `incoming_rows` (a replacement scan, see db.append_rows) to ocr_pages.
INSERT OR IGNORE INTO ocr_pages BY NAME SELECT * FROM incoming_rows
