-- Append the Arrow table `incoming_rows` (a replacement scan, see db.append_rows) to retag_documents.
INSERT INTO retag_documents BY NAME SELECT * FROM incoming_rows
