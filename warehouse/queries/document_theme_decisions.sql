-- Every (document, theme) decision of the view document_themes (benchmarks/eval_documents.py).
SELECT sha256, theme, discussed, prominent FROM document_themes ORDER BY sha256, theme;
