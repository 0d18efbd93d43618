-- Store the document theme settings (models/document_themes.toml) the view document_themes reads.
INSERT OR REPLACE INTO document_theme_settings
    (only_row, version, min_sentences, off_scope_min_sentences, scope_ratio, prominent_key_sentences,
     prominent_sentences, prominent_paragraph_sentences, saturated_share)
VALUES (TRUE, $version, $min_sentences, $off_scope_min_sentences, $scope_ratio, $prominent_key_sentences,
        $prominent_sentences, $prominent_paragraph_sentences, $saturated_share);
