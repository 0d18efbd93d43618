-- A stored document's text.
SELECT text FROM document_texts WHERE sha256 = $sha256
