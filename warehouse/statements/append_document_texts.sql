-- Append the Arrow table `incoming_rows` (a replacement scan, see db.append_rows) to document_texts.
INSERT INTO document_texts BY NAME SELECT * FROM incoming_rows
