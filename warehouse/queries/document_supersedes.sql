-- The version a document superseded, if any.
SELECT supersedes FROM documents WHERE sha256 = $sha256
