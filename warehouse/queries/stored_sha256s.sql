-- The sha256 of every stored document (all versions): files to skip.
SELECT sha256 FROM documents
