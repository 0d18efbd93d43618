-- The source of the counted machine hit of a theme in a sentence (NULL: no counted hit).
SELECT min(source) AS source
FROM current_mentions
WHERE sha256 = $sha256 AND unit_no = $unit_no AND theme = $theme AND counted;
