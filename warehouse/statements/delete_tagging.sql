DELETE FROM mentions WHERE sha256 = $sha256;
DELETE FROM text_units WHERE sha256 = $sha256;
