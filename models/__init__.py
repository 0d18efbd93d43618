"""Theme taxonomy (codebook) and trained artifacts."""
