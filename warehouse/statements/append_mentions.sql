-- Append the Arrow table `incoming_rows` (a replacement scan, see db.append_rows) to mentions.
INSERT INTO mentions BY NAME SELECT * FROM incoming_rows
