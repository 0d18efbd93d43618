"""The figures a briefing shows, as plain records: recurring themes and changes between periods."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class ThemeSummary:
    """A recurring theme: its share of all documents, where it is prominent, the years it appears in."""

    theme: str
    label: str
    share: float
    documents: int
    years_present: int
    prominent_share: float = 0.0
    saturated: bool = False


@dataclass(frozen=True)
class ThemeChange:
    """A theme's share of documents in an early and a late period, with its test when one ran."""

    theme: str
    label: str
    early_share: float
    late_share: float
    early_years: str
    late_years: str
    early_documents: int = 0
    early_total: int = 0
    late_documents: int = 0
    late_total: int = 0
    q_value: float | None = None  # None when no test was run
    significant: bool | None = None  # None when no test was run

    @property
    def change(self) -> float:
        """Return the change in share (late minus early)."""
        return self.late_share - self.early_share

    @property
    def counts(self) -> str:
        """Return the documents behind the two shares, e.g. "3 of 25 -> 12 of 28 documents"."""
        early = f"{self.early_documents} of {self.early_total}"
        return f"{early} → {self.late_documents} of {self.late_total} documents"

    @property
    def test_text(self) -> str:
        """Return the test result in words: "q = 0.012", or "not tested"."""
        return "not tested" if self.q_value is None else f"q = {self.q_value:.3f}"


@dataclass
class Changes:
    """The briefing's changes: significant rises and falls, and large changes that are not significant."""

    rising: list[ThemeChange] = field(default_factory=list)
    falling: list[ThemeChange] = field(default_factory=list)
    not_significant: list[ThemeChange] = field(default_factory=list)
    tested: bool = False
    method: str = ""
    reason: str = ""  # why no test could run
