DELETE FROM mentions WHERE sha256 = $sha256;
DELETE FROM text_units WHERE sha256 = $sha256;
DELETE FROM theme_evidence WHERE sha256 = $sha256;
DELETE FROM theme_section_evidence WHERE sha256 = $sha256;
