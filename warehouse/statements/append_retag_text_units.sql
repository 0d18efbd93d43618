-- Append the Arrow table `incoming_rows` (a replacement scan, see db.append_rows) to retag_text_units.
INSERT INTO retag_text_units BY NAME SELECT * FROM incoming_rows
