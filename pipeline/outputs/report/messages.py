"""The briefing's key messages: what a board reads first, each with the evidence behind it.

Built from the briefing's figures (`Facts`: what a `Briefing` holds), so the HTML and the PDF
say exactly the same. A message never
overstates: a theme is called rising or falling only when the `rising` test says the change is
significant (with its q value); otherwise the message says the change is not significant.
Every message ends with where its figures come from (the command that reproduces them) and,
for themes, a cited quote from the reports.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

from pipeline.outputs.report.figures import Changes, ThemeChange, ThemeSummary

NAMED = 3  # themes named per message


@dataclass(frozen=True)
class KeyMessage:
    """One key message: the sentence, and the evidence it rests on."""

    text: str
    evidence: str


class Facts(Protocol):
    """What the key messages are made from (a `briefing.Briefing`)."""

    recurring: list[ThemeSummary]
    saturated: list[ThemeSummary]
    changes: Changes
    metric: str
    options: str
    alpha: float
    quotes: dict[str, list[dict[str, Any]]]
    labels: dict[str, str]


def _citation(briefing: Facts, theme: str) -> str:
    """Return "e.g. "…quote…" (Title, 2023, p. 4)" for the theme's first quote, or ""."""
    quotes = briefing.quotes.get(theme) or []
    if not quotes:
        return ""
    quote = quotes[0]
    where = ", ".join(str(part) for part in (quote["title"], quote["year"]) if part)
    page = f", p. {quote['page']}" if quote.get("page") else ""
    text = f"{quote['before']}{quote['match']}{quote['after']}".strip()
    return f" e.g. {briefing.labels.get(theme, theme)}: “{text}” ({where}{page})."


def _command(briefing: Facts, command: str) -> str:
    options = " ".join(part for part in (command, briefing.options) if part)
    return f"`{options}`"


def _shares(themes: list[ThemeSummary], *, prominent: bool = False) -> str:
    if prominent:
        return ", ".join(f"{s.label} (prominent in {s.prominent_share:.0%})" for s in themes[:NAMED])
    return ", ".join(f"{s.label} ({s.share:.0%}, {s.documents} documents)" for s in themes[:NAMED])


def _persistent(briefing: Facts) -> KeyMessage | None:
    if not briefing.recurring:
        return None
    found = "where it is prominent" if briefing.metric == "prominent" else "discussing it"
    text = (
        f"Most persistent (share of documents {found}, in at least 3 years): {_shares(briefing.recurring)}."
    )
    evidence = f"{_command(briefing, 'recurring')}.{_citation(briefing, briefing.recurring[0].theme)}"
    return KeyMessage(text, evidence)


def _saturated(briefing: Facts) -> KeyMessage | None:
    if not briefing.saturated:
        return None
    ranked = sorted(briefing.saturated, key=lambda s: (-s.prominent_share, s.label))
    names = ", ".join(f"{s.label} (prominent in {s.prominent_share:.0%})" for s in ranked[:NAMED])
    more = len(ranked) - NAMED
    text = (
        f"In nearly every report, every year (saturated, so their share says little): {names}"
        f"{f' and {more} more' if more > 0 else ''}. Prominent means a strand of the summary, "
        "findings or recommendations, or the subject of a paragraph."
    )
    return KeyMessage(text, f"{_command(briefing, 'trends --metric prominent')}.")


def _prominent(briefing: Facts) -> KeyMessage | None:
    if briefing.metric == "prominent" or not briefing.recurring:
        return None
    ranked = sorted(briefing.recurring, key=lambda s: (-s.prominent_share, s.label))
    text = f"Most often a main strand of the reports (prominent): {_shares(ranked, prominent=True)}."
    return KeyMessage(
        text, f"{_command(briefing, 'trends --metric prominent')}.{_citation(briefing, ranked[0].theme)}"
    )


def _change_text(change: ThemeChange) -> str:
    return f"{change.label} ({change.early_share:.0%} → {change.late_share:.0%}, {change.test_text})"


def _changes(briefing: Facts) -> list[KeyMessage]:
    changes = briefing.changes
    command = _command(briefing, "rising --both --all")
    if not changes.tested:
        text = f"No theme is called rising or falling: no significance test could run ({changes.reason})."
        return [KeyMessage(text, f"{command} says the same.")]
    messages = []
    for word, found in (("Rising", changes.rising), ("Falling", changes.falling)):
        if found:
            named = ", ".join(_change_text(c) for c in found[:NAMED])
            counts = "; ".join(f"{c.label}: {c.counts}" for c in found[:NAMED])
            text = f"{word} significantly between {found[0].early_years} and {found[0].late_years}: {named}."
            messages.append(KeyMessage(text, f"{command}: {counts}.{_citation(briefing, found[0].theme)}"))
    if not changes.rising and not changes.falling:
        messages.append(
            KeyMessage(
                "No theme's share rose or fell significantly between the earlier and later "
                f"years (Benjamini-Hochberg q at most {briefing.alpha:g}).",
                f"{command}.",
            )
        )
    if changes.not_significant:
        named = ", ".join(_change_text(c) for c in changes.not_significant[:NAMED])
        messages.append(
            KeyMessage(f"Changed, but not significantly (may be chance): {named}.", f"{command}.")
        )
    return messages


def key_messages(briefing: Facts) -> list[KeyMessage]:
    """Return the key messages of a briefing, most general first."""
    found = [_persistent(briefing), _prominent(briefing), _saturated(briefing)]
    return [message for message in found if message is not None] + _changes(briefing)
