"""The bundled sample corpus and its generator."""
