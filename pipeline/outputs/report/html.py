"""Render a learning briefing as one self-contained HTML page (inline CSS and JS, no network)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from pipeline.outputs.heatmap.html import heatmap_context, template_env

if TYPE_CHECKING:
    from pipeline.outputs.report.briefing import Briefing


def render_html_report(briefing: Briefing) -> str:
    """Return the briefing as HTML."""
    template = template_env().get_template("briefing.html")
    return template.render(briefing=briefing, heatmap=heatmap_context(briefing.matrix))


def write_html_report(briefing: Briefing, out: Path) -> None:
    """Write the briefing to `out` as HTML."""
    out.write_text(render_html_report(briefing), encoding="utf-8")
