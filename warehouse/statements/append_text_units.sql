-- Append the Arrow table `incoming_rows` (a replacement scan, see db.append_rows) to text_units.
INSERT INTO text_units BY NAME SELECT * FROM incoming_rows
