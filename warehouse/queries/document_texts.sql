-- The text of every document that trends count (the text all offsets count in).
SELECT t.sha256, t.text FROM document_texts AS t SEMI JOIN trend_documents AS d USING (sha256);
