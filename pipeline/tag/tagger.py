"""The tagger a run uses: the codebook rules, optionally combined with the trained classifier.

It stamps every tagged document with the tagging version (the taxonomy version, plus
the classifier's name when combined), so trends never mix the two."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from pipeline.records import ExtractedDocument, TaggedDocument
from pipeline.tag.rules import ThemeTagger
from pipeline.tag.taxonomy import Taxonomy


def tagging_version(taxonomy: Taxonomy, classifier_path: Path | None) -> str:
    """Return the version stamped on mentions: the taxonomy's, plus the classifier's name when combined.

    Turning the classifier on or off so changes the version, and trends never mix
    documents tagged with and without it (`ingest --retag` brings them in line).
    """
    return taxonomy.version if classifier_path is None else f"{taxonomy.version}+{classifier_path.stem}"


class VersionedTagger:
    """The rules, optionally combined with the trained classifier."""

    def __init__(self, taxonomy: Taxonomy, classifier_path: Path | None = None) -> None:
        self.rules = ThemeTagger(taxonomy)
        self.classifier = None
        if classifier_path is not None:
            from pipeline.tag.classify import load_classifier  # scikit-learn only when asked for

            self.classifier = load_classifier(classifier_path)
        self.version = tagging_version(taxonomy, classifier_path)

    def tag_document(self, document: ExtractedDocument) -> TaggedDocument:
        """Tag one document and stamp it with this tagging's version."""
        tagged = self.rules.tag_document(document)
        if self.classifier is not None:
            from pipeline.tag.classify import apply_to_document

            tagged = apply_to_document(tagged, self.classifier)
        return replace(tagged, taxonomy_version=self.version)
