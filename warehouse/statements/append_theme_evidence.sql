-- Append the Arrow table `incoming_rows` (a replacement scan, see db.append_rows) to theme_evidence.
INSERT INTO theme_evidence BY NAME SELECT * FROM incoming_rows
