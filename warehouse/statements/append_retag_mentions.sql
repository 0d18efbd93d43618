-- Append the Arrow table `incoming_rows` (a replacement scan, see db.append_rows) to retag_mentions.
INSERT INTO retag_mentions BY NAME SELECT * FROM incoming_rows
