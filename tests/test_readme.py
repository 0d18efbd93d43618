"""The README's two quick-start commands stay true, and CI runs the second verbatim."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _quick_start_commands() -> list[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    return [block.strip() for block in re.findall(r"```(?:bash)?\n(.*?)```", section, flags=re.S)]


def test_quick_start_has_exactly_two_single_line_commands():
    commands = _quick_start_commands()
    assert len(commands) == 2
    assert all("\n" not in command for command in commands)
    assert "run_pipeline.py run" in commands[0]
    assert "pytest" in commands[1] and ".[dev]" in commands[1]


def test_ci_runs_readme_command_two_verbatim():
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert _quick_start_commands()[1] in ci.splitlines()


def test_ci_installs_the_optional_extras_before_readme_command_two():
    lines = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    extras = next(i for i, line in enumerate(lines) if '-e ".[ocr,cluster]"' in line)
    assert extras < lines.index(_quick_start_commands()[1])  # the same .venv, so Ray tests run
