-- Resolve a review reference (document sha256 prefix and unit number) to its sentence.
SELECT u.sha256, u.unit_no, u.text AS sentence
FROM text_units AS u
JOIN current_documents AS d USING (sha256)
WHERE starts_with(u.sha256, $prefix) AND u.unit_no = $unit_no;
