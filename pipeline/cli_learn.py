"""Commands that learn beyond the rules: train, review, discover."""
