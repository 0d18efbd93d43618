INSERT OR REPLACE INTO active_taxonomy (only_row, version) VALUES (TRUE, $version);
