"""Tests for the codebook loader: coverage of the research ids, version, and validation messages."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

import pipeline.tag.taxonomy as taxonomy_module
from pipeline.errors import ExitCode, TaxonomyError
from pipeline.tag.taxonomy import DEFAULT_TAXONOMY_PATH, GROUPS, SCOPES, load_taxonomy

RESEARCH_TAXONOMY = Path(__file__).resolve().parents[3] / "shared" / "reference" / "taxonomy-research.yaml"
VERSION_PATTERN = re.compile(r"^\d+\.\d+\+[0-9a-f]{8}$")

VALID_THEME = """
[themes.widgets]
label = "Widgets"
scope = "adults"
group = "harm"
definition = "A test theme."
terms = ["widget"]
"""


def research_theme_ids() -> list[str]:
    """Return the theme ids of the shared research taxonomy (the evaluation vocabulary)."""
    return re.findall(r"^  - id: (\w+)\s*$", RESEARCH_TAXONOMY.read_text(), flags=re.M)


@pytest.fixture
def codebook(tmp_path: Path) -> Path:
    """Return a folder with the real matching rules and one valid test theme."""
    shutil.copy(DEFAULT_TAXONOMY_PATH / "matching.toml", tmp_path / "matching.toml")
    (tmp_path / "themes-test.toml").write_text(VALID_THEME)
    return tmp_path


def test_default_taxonomy_loads_with_valid_fields():
    taxonomy = load_taxonomy()
    assert len(taxonomy.themes) >= 49
    assert len(set(taxonomy.theme_ids)) == len(taxonomy.theme_ids)
    for theme in taxonomy.themes:
        assert theme.label and theme.definition
        assert theme.scope in SCOPES
        assert theme.group in GROUPS


@pytest.mark.shared
@pytest.mark.skipif(not RESEARCH_TAXONOMY.exists(), reason="../shared is absent")
def test_every_research_theme_id_is_in_the_codebook():
    ids = research_theme_ids()
    assert len(ids) == 49
    assert set(ids) <= set(load_taxonomy().theme_ids)


def test_version_is_human_version_plus_content_hash():
    taxonomy = load_taxonomy()
    assert VERSION_PATTERN.match(taxonomy.version)
    assert taxonomy.version.startswith(taxonomy.human_version + "+")
    assert load_taxonomy().version == taxonomy.version


def test_editing_a_file_changes_the_version(codebook: Path):
    before = load_taxonomy(codebook).version
    theme_file = codebook / "themes-test.toml"
    theme_file.write_text(theme_file.read_text().replace('["widget"]', '["widget", "gadget"]'))
    assert load_taxonomy(codebook).version != before


def test_a_new_matcher_revision_changes_the_version(codebook: Path, monkeypatch: pytest.MonkeyPatch):
    before = load_taxonomy(codebook).version
    monkeypatch.setattr(taxonomy_module, "MATCHER_REVISION", "next")
    assert load_taxonomy(codebook).version != before


def test_a_single_file_can_be_loaded(codebook: Path):
    single = codebook / "all.toml"
    single.write_text((codebook / "matching.toml").read_text() + VALID_THEME)
    assert load_taxonomy(single).theme_ids == ["widgets"]


BROKEN_THEMES = {
    "toml_syntax": (VALID_THEME.replace('terms = ["widget"]', 'terms = ["widget"'), "invalid TOML"),
    "missing_label": (VALID_THEME.replace('label = "Widgets"\n', ""), "label"),
    "bad_scope": (VALID_THEME.replace('"adults"', '"elderly"'), "scope"),
    "bad_regex": (VALID_THEME + "regex = ['(unclosed']\n", "not a valid regex"),
    "slow_regex": (VALID_THEME + "regex = ['.*widget']\n", "anchor it with '^'"),
    "unknown_key": (VALID_THEME + 'synonyms = ["gizmo"]\n', "unknown key"),
    "not_strings": (VALID_THEME.replace('["widget"]', '["widget", 3]'), "list of non-empty strings"),
    "context_without_requires": (
        VALID_THEME + '\n[[themes.widgets.context]]\nname = "cogs"\nterms = ["cog"]\n',
        "requires",
    ),
    "no_rules": (VALID_THEME.replace('terms = ["widget"]\n', ""), "no terms"),
    "bad_id": (VALID_THEME.replace("themes.widgets", "themes.Widgets"), "snake_case"),
}


@pytest.mark.parametrize("case", sorted(BROKEN_THEMES))
def test_broken_theme_names_file_line_and_theme(codebook: Path, case: str):
    text, expected = BROKEN_THEMES[case]
    (codebook / "themes-test.toml").write_text(text)
    with pytest.raises(TaxonomyError) as error:
        load_taxonomy(codebook)
    message = str(error.value)
    assert "themes-test.toml:" in message
    assert re.search(r"themes-test\.toml:[1-9]\d*:", message), message
    assert "widgets" in message.lower()
    assert expected in message
    assert error.value.exit_code == ExitCode.USAGE == 2


def test_syntax_error_reports_the_line_of_the_error(codebook: Path):
    lines = VALID_THEME.splitlines()
    broken = "\n".join(line if not line.startswith("group") else 'group = "harm' for line in lines)
    (codebook / "themes-test.toml").write_text(broken)
    with pytest.raises(TaxonomyError, match=r"themes-test\.toml:5: theme widgets"):
        load_taxonomy(codebook)


def test_missing_key_points_at_its_own_theme(codebook: Path):
    second = VALID_THEME.replace("widgets", "gadgets")
    (codebook / "themes-test.toml").write_text(VALID_THEME.replace('label = "Widgets"\n', "") + second)
    with pytest.raises(TaxonomyError, match=r"themes-test\.toml:2: theme widgets: missing or empty 'label'"):
        load_taxonomy(codebook)


def test_duplicate_theme_id_across_files(codebook: Path):
    (codebook / "themes-other.toml").write_text(VALID_THEME)
    with pytest.raises(TaxonomyError, match="duplicate theme id"):
        load_taxonomy(codebook)


def test_bad_matching_table_is_reported(codebook: Path):
    matching = codebook / "matching.toml"
    text = matching.read_text().replace("window = 6", "window = 0")
    matching.write_text(text)
    line = text.splitlines().index("window = 0") + 1
    with pytest.raises(TaxonomyError, match=rf"matching\.toml:{line}: matching\.window"):
        load_taxonomy(codebook)


def test_missing_version_is_reported(codebook: Path):
    matching = codebook / "matching.toml"
    matching.write_text(matching.read_text().replace('version = "1.0"', ""))
    with pytest.raises(TaxonomyError, match="version"):
        load_taxonomy(codebook)


@pytest.mark.parametrize("command", [["themes"], ["tag", "-"]])
def test_cli_exits_2_on_a_broken_codebook(codebook: Path, command: list[str]):
    from click.testing import CliRunner

    from pipeline.cli import cli

    (codebook / "themes-test.toml").write_text(VALID_THEME.replace('"adults"', '"elderly"'))
    result = CliRunner().invoke(cli, ["--taxonomy", str(codebook), *command], input="Some text.\n")
    assert result.exit_code == 2
    assert re.search(r"themes-test\.toml:\d+: theme widgets: scope", result.output)


def test_missing_folder_is_reported(tmp_path: Path):
    with pytest.raises(TaxonomyError, match="not found"):
        load_taxonomy(tmp_path / "nowhere")
