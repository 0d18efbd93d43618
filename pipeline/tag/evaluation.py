"""Scoring a tagger against labelled sentences: per theme, micro, macro, theme-free false hits.

Pure functions over sets of theme ids, so `evaluate`, the training script and the model
card all count the same way: a theme assigned to a sentence is a true positive when the
sentence is labelled with it; the theme-free false-hit rate is the share of sentences
labelled with no theme that get any theme.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any


@dataclass(frozen=True)
class Counts:
    """True positives, false positives and false negatives, with the derived scores."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def support(self) -> int:
        """Return the number of labelled occurrences."""
        return self.tp + self.fn

    @property
    def precision(self) -> float:
        """Return TP / (TP + FP), 0 when nothing was assigned."""
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        """Return TP / (TP + FN), 0 when nothing was labelled."""
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        """Return the harmonic mean of precision and recall."""
        return 2 * self.tp / (2 * self.tp + self.fp + self.fn) if self.tp else 0.0

    def row(self) -> dict[str, Any]:
        """Return the counts and rounded scores as a dict."""
        return {
            **asdict(self),
            "support": self.support,
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "f1": round(self.f1, 4),
        }


def per_theme(gold: Sequence[set[str]], predicted: Sequence[set[str]]) -> dict[str, Counts]:
    """Return the counts of every theme that is labelled or assigned at least once."""
    tallies: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    for labelled, assigned in zip(gold, predicted, strict=True):
        for theme in labelled & assigned:
            tallies[theme][0] += 1
        for theme in assigned - labelled:
            tallies[theme][1] += 1
        for theme in labelled - assigned:
            tallies[theme][2] += 1
    return {theme: Counts(*counts) for theme, counts in sorted(tallies.items())}


def summary(gold: Sequence[set[str]], predicted: Sequence[set[str]]) -> dict[str, Any]:
    """Return micro and macro scores, the theme-free false-hit rate and the per-theme table."""
    themes = per_theme(gold, predicted)
    micro = Counts(*(sum(getattr(c, key) for c in themes.values()) for key in ("tp", "fp", "fn")))
    supported = [c for c in themes.values() if c.support]
    free = [assigned for labelled, assigned in zip(gold, predicted, strict=True) if not labelled]
    false_hits = sum(1 for assigned in free if assigned)
    return {
        "sentences": len(gold),
        "micro": micro.row(),
        "macro_f1": round(sum(c.f1 for c in supported) / len(supported), 4) if supported else 0.0,
        "theme_free_sentences": len(free),
        "theme_free_with_a_theme": false_hits,
        "theme_free_false_hit_rate": round(false_hits / len(free), 4) if free else 0.0,
        "themes": {theme: counts.row() for theme, counts in themes.items()},
    }


def by_group(
    gold: Sequence[set[str]], predicted: Sequence[set[str]], groups: Sequence[str]
) -> dict[str, dict[str, Any]]:
    """Return `summary` for every group (e.g. genre) of sentences, and for all of them as "all"."""
    members: dict[str, list[int]] = defaultdict(list)
    for index, group in enumerate(groups):
        members[group].append(index)
    result = {"all": summary(gold, predicted)}
    for group, indices in sorted(members.items()):
        if len(members) > 1:
            result[group] = summary([gold[i] for i in indices], [predicted[i] for i in indices])
    return result
