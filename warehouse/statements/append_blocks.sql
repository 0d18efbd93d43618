-- Append the Arrow table `incoming_rows` (a replacement scan, see db.append_rows) to blocks.
INSERT INTO blocks BY NAME SELECT * FROM incoming_rows
