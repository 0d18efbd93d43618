-- One document's text: every stored offset counts code points in it.
SELECT text FROM document_texts WHERE sha256 = $sha256;
