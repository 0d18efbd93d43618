-- The document theme settings the view document_themes decides with (one row).
SELECT version, min_sentences, off_scope_min_sentences, scope_ratio, prominent_key_sentences,
       prominent_sentences, prominent_paragraph_sentences, saturated_share
FROM document_theme_settings;
