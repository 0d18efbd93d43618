-- Append the Arrow table `incoming_rows` (a replacement scan, see db.append_rows) to theme_section_evidence.
INSERT INTO theme_section_evidence BY NAME SELECT * FROM incoming_rows
