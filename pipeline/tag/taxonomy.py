"""Load and validate the theme codebook (taxonomy) kept as TOML data under ``models/taxonomy/``.

The codebook is data a learning lead edits: one ``[themes.<id>]`` table per theme
(label, scope, group, definition, terms, abbreviations, regex, exclusions and
``[[themes.<id>.context]]`` rules that only count with a context word), spread
over any number of ``*.toml`` files in one folder, plus one ``[matching]`` table
(negation and hedge cues, window, statutory boilerplate). ``models/README.md``
describes every field.

Validation happens on load: any problem raises :class:`errors.TaxonomyError`
whose message names the file, the line and the theme, so the CLI exits 2.
The version stamped on every run and mention is ``<human version>+<hash>``,
where the hash covers the bytes of every codebook file and the matcher revision:
any edit, or a change to how terms are matched, changes it.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipeline.errors import TaxonomyError
from pipeline.paths import DEFAULT_TAXONOMY_PATH
from pipeline.tag.codebook_source import _check_choice, _check_regex, _fail, _read_source, _Source, _strings
from pipeline.tag.forms import FORMS

SCOPES = ("children", "adults", "all_age")
GROUPS = ("practice", "system", "context", "harm", "population")
HASH_CHARS = 8
# Bump when pipeline/tag/ (rules, matcher, sentences) changes what a given codebook matches
# (e.g. new spelling variants), so warehouses tagged by the old matcher are refused until `ingest --retag`.
# 2: two plain words also match hyphenated. 3: a short block of an `uncounted_forms` form counts no theme.
MATCHER_REVISION = "3"
THEME_ID_PATTERN = re.compile(r"^[a-z][a-z0-9_]*$")

REQUIRED_THEME_KEYS = ("label", "scope", "group", "definition")
RULE_LIST_KEYS = ("terms", "exact", "abbreviations", "regex")
THEME_KEYS = {*REQUIRED_THEME_KEYS, *RULE_LIST_KEYS, "exclusions", "context", "negatable"}
CONTEXT_KEYS = {"name", *RULE_LIST_KEYS, "requires", "exclusions"}
MATCHING_KEYS = {
    "negation_cues",
    "negation_after_cues",
    "hedge_cues",
    "window",
    "negatable_groups",
    "boilerplate",
    "hedged_counts",
    "not_findings",
    "uncounted_forms",
}


@dataclass(frozen=True)
class RuleSet:
    """Phrases and patterns of one theme that share a context requirement.

    Attributes:
        name: rule-set name, part of every rule id ("core" for the theme's own lists).
        terms: lower-case phrases matched on lemmas (plurals and verb forms match).
        exact: lower-case phrases matched word for word (no lemmatising).
        abbreviations: case-sensitive tokens (acronyms).
        regex: Python regular expressions searched in the sentence text.
        requires: context phrases; when set, a match counts only if one occurs in
            the same sentence (a trailing ``*`` matches any word ending).
    """

    name: str
    terms: tuple[str, ...] = ()
    exact: tuple[str, ...] = ()
    abbreviations: tuple[str, ...] = ()
    regex: tuple[str, ...] = ()
    requires: tuple[str, ...] = ()
    exclusions: tuple[str, ...] = ()


@dataclass(frozen=True)
class Theme:
    """One codebook entry."""

    id: str
    label: str
    scope: str
    group: str
    definition: str
    rule_sets: tuple[RuleSet, ...]
    exclusions: tuple[str, ...] = ()
    negatable: bool = True
    source: str = ""  # "file:line" of the theme's table, for messages


@dataclass(frozen=True)
class MatchingRules:
    """Cues shared by all themes (the ``[matching]`` table)."""

    negation_cues: tuple[str, ...] = ()
    negation_after_cues: tuple[str, ...] = ()
    hedge_cues: tuple[str, ...] = ()
    window: int = 6
    negatable_groups: tuple[str, ...] = GROUPS
    boilerplate: tuple[str, ...] = ()
    hedged_counts: bool = True  # the annotation guide labels hedged mentions ("possible coercive control")
    not_findings: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (form, regexes): see pipeline/tag/forms.py
    uncounted_forms: tuple[str, ...] = ()  # forms whose sentences count no theme (reason = the form)


@dataclass(frozen=True)
class Taxonomy:
    """The loaded codebook: themes, shared matching rules and a version."""

    human_version: str
    content_hash: str
    themes: list[Theme]
    matching: MatchingRules
    files: tuple[Path, ...] = field(default=())

    @property
    def version(self) -> str:
        """Return the version stamped on runs and mentions: human version + content hash."""
        return f"{self.human_version}+{self.content_hash[:HASH_CHARS]}"

    @property
    def theme_ids(self) -> list[str]:
        """Return the theme ids in codebook order."""
        return [theme.id for theme in self.themes]


def load_taxonomy(path: Path | None = None) -> Taxonomy:
    """Load and validate the codebook.

    Args:
        path: a folder of ``*.toml`` files or one ``.toml`` file; default
            ``DEFAULT_TAXONOMY_PATH``.

    Returns:
        The validated taxonomy.

    Raises:
        TaxonomyError: the files are missing or malformed; the message names
            file, line and theme.
    """
    files = _codebook_files(Path(path) if path is not None else DEFAULT_TAXONOMY_PATH)
    sources = [_read_source(file) for file in files]
    human_version = _human_version(sources)
    matching = _matching_rules(sources)
    themes = _themes(sources)
    return Taxonomy(
        human_version=human_version,
        content_hash=_content_hash(files),
        themes=themes,
        matching=matching,
        files=tuple(files),
    )


def _codebook_files(path: Path) -> list[Path]:
    """Return the TOML files of a codebook folder (sorted) or the single file given."""
    if path.is_file():
        return [path]
    if not path.is_dir():
        raise TaxonomyError(f"{path}: taxonomy not found; pass a folder of .toml files or one .toml file")
    files = sorted(path.glob("*.toml"))
    if not files:
        raise TaxonomyError(f"{path}: no .toml files in the taxonomy folder")
    return files


def _content_hash(files: list[Path]) -> str:
    """Return the sha256 over the matcher revision and the names and bytes of the codebook files."""
    digest = hashlib.sha256(f"matcher {MATCHER_REVISION}\n".encode())
    for file in files:
        digest.update(file.name.encode())
        digest.update(file.read_bytes())
    return digest.hexdigest()


def _human_version(sources: list[_Source]) -> str:
    """Return the single ``version`` string declared in the codebook files."""
    declared = [(source, source.data["version"]) for source in sources if "version" in source.data]
    if len(declared) != 1:
        where = ", ".join(str(source.path) for source, _ in declared) or str(sources[0].path)
        raise TaxonomyError(f'{where}:1: the taxonomy needs exactly one top-level version = "X.Y"')
    source, version = declared[0]
    if not isinstance(version, str) or not version.strip():
        raise _fail(source, None, 'version must be a non-empty string such as "1.0"', "version")
    return version.strip()


def _matching_rules(sources: list[_Source]) -> MatchingRules:
    """Return the validated ``[matching]`` table (defaults when absent)."""
    tables = [(source, source.data["matching"]) for source in sources if "matching" in source.data]
    if len(tables) > 1:
        raise TaxonomyError(f"{tables[1][0].path}: [matching] is defined in more than one file")
    if not tables:
        return MatchingRules()
    source, table = tables[0]
    if not isinstance(table, dict):
        raise _fail(source, None, "matching must be a table", "matching")
    unknown = set(table) - MATCHING_KEYS
    if unknown:
        raise _fail(source, None, f"unknown key(s) in [matching]: {sorted(unknown)}", sorted(unknown)[0])
    window = table.get("window", MatchingRules.window)
    if not isinstance(window, int) or window < 1:
        raise _fail(source, None, "matching.window must be a positive integer", "window")
    hedged_counts = table.get("hedged_counts", MatchingRules.hedged_counts)
    if not isinstance(hedged_counts, bool):
        raise _fail(source, None, "matching.hedged_counts must be true or false", "hedged_counts")
    lists = {
        key: _strings(source, None, table, key)
        for key in MATCHING_KEYS - {"window", "hedged_counts", "not_findings"}
    }
    unknown_forms = set(lists["uncounted_forms"]) - set(FORMS)
    if unknown_forms:
        message = f"uncounted_forms has unknown form(s) {sorted(unknown_forms)}; known: {list(FORMS)}"
        raise _fail(source, None, message, "uncounted_forms")
    for pattern in lists["boilerplate"]:
        _check_regex(source, None, "boilerplate", pattern)
    bad_groups = set(lists["negatable_groups"]) - set(GROUPS)
    if bad_groups:
        raise _fail(
            source, None, f"negatable_groups has unknown group(s) {sorted(bad_groups)}", "negatable_groups"
        )
    return MatchingRules(
        negation_cues=lists["negation_cues"],
        negation_after_cues=lists["negation_after_cues"],
        hedge_cues=lists["hedge_cues"],
        window=window,
        negatable_groups=lists["negatable_groups"] if "negatable_groups" in table else GROUPS,
        boilerplate=lists["boilerplate"],
        hedged_counts=hedged_counts,
        not_findings=_not_findings(source, table.get("not_findings", {})),
        uncounted_forms=lists["uncounted_forms"],
    )


def _not_findings(source: _Source, table: Any) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """Return the validated ``[matching.not_findings]`` table: one list of regexes per known form."""
    if not isinstance(table, dict):
        raise _fail(source, None, "matching.not_findings must be a table of regex lists", "not_findings")
    unknown = set(table) - set(FORMS)
    if unknown:
        message = f"unknown form(s) in not_findings: {sorted(unknown)}; known: {list(FORMS)}"
        raise _fail(source, None, message, sorted(unknown)[0])
    forms = []
    for form in FORMS:
        patterns = _strings(source, None, table, form)
        for pattern in patterns:
            _check_regex(source, None, form, pattern, spans=False)
        forms.append((form, patterns))
    return tuple(forms)


def _themes(sources: list[_Source]) -> list[Theme]:
    """Return every theme of every file, validated; ids must be unique."""
    themes: list[Theme] = []
    seen: dict[str, Path] = {}
    for source in sources:
        tables = source.data.get("themes", {})
        if not isinstance(tables, dict):
            raise _fail(source, None, "themes must be tables: [themes.<id>]", "themes")
        for theme_id, table in tables.items():
            if theme_id in seen:
                raise _fail(source, theme_id, f"duplicate theme id (also defined in {seen[theme_id]})")
            seen[theme_id] = source.path
            themes.append(_theme(source, theme_id, table))
    if not themes:
        raise TaxonomyError(f"{sources[0].path}: the taxonomy defines no [themes.<id>] tables")
    return themes


def _theme(source: _Source, theme_id: str, table: Any) -> Theme:
    """Validate one ``[themes.<id>]`` table and build its Theme."""
    if not THEME_ID_PATTERN.match(theme_id):
        raise _fail(source, theme_id, "theme ids are lower-case snake_case (letters, digits, _)")
    if not isinstance(table, dict):
        raise _fail(source, theme_id, "a theme must be a table")
    unknown = set(table) - THEME_KEYS
    if unknown:
        key = sorted(unknown)[0]
        raise _fail(source, theme_id, f"unknown key(s) {sorted(unknown)}; allowed: {sorted(THEME_KEYS)}", key)
    for key in REQUIRED_THEME_KEYS:
        value = table.get(key)
        if not isinstance(value, str) or not value.strip():
            raise _fail(source, theme_id, f"missing or empty '{key}' (a string)", key)
    _check_choice(source, theme_id, table, "scope", SCOPES)
    _check_choice(source, theme_id, table, "group", GROUPS)
    negatable = table.get("negatable", True)
    if not isinstance(negatable, bool):
        raise _fail(source, theme_id, "negatable must be true or false", "negatable")
    core = _rule_set(source, theme_id, "core", table, requires_allowed=False)
    contexts = _context_rule_sets(source, theme_id, table.get("context", []))
    rule_sets = (core, *contexts)
    if not any(_has_rules(rule_set) for rule_set in rule_sets):
        raise _fail(source, theme_id, "the theme has no terms, exact, abbreviations, regex or context rules")
    return Theme(
        id=theme_id,
        label=table["label"].strip(),
        scope=table["scope"],
        group=table["group"],
        definition=table["definition"].strip(),
        rule_sets=rule_sets,
        exclusions=_strings(source, theme_id, table, "exclusions"),
        negatable=negatable,
        source=f"{source.path}:{source.line_of(theme_id)}",
    )


def _context_rule_sets(source: _Source, theme_id: str, tables: Any) -> list[RuleSet]:
    """Validate the ``[[themes.<id>.context]]`` rule sets of a theme."""
    if not isinstance(tables, list):
        raise _fail(source, theme_id, "context must be written as [[themes.<id>.context]] tables", "context")
    rule_sets = []
    for number, table in enumerate(tables, start=1):
        if not isinstance(table, dict):
            raise _fail(source, theme_id, "each context rule must be a table")
        unknown = set(table) - CONTEXT_KEYS
        if unknown:
            raise _fail(source, theme_id, f"unknown key(s) {sorted(unknown)} in context rule {number}")
        name = table.get("name", f"context{number}")
        if not isinstance(name, str) or not THEME_ID_PATTERN.match(name):
            raise _fail(source, theme_id, f"context rule {number}: name must be snake_case", "name")
        rule_set = _rule_set(source, theme_id, name, table, requires_allowed=True)
        if not rule_set.requires:
            raise _fail(
                source, theme_id, f"context rule '{name}' needs a non-empty requires list", "requires"
            )
        if not _has_rules(rule_set):
            raise _fail(
                source, theme_id, f"context rule '{name}' has no terms, exact, abbreviations or regex"
            )
        rule_sets.append(rule_set)
    return rule_sets


def _rule_set(source: _Source, theme_id: str, name: str, table: dict, *, requires_allowed: bool) -> RuleSet:
    """Build a RuleSet from the list fields of a theme or context table."""
    lists = {key: _strings(source, theme_id, table, key) for key in RULE_LIST_KEYS}
    for pattern in lists["regex"]:
        _check_regex(source, theme_id, "regex", pattern)
    requires = _strings(source, theme_id, table, "requires") if requires_allowed else ()
    exclusions = _strings(source, theme_id, table, "exclusions") if requires_allowed else ()
    return RuleSet(name=name, requires=requires, exclusions=exclusions, **lists)


def _has_rules(rule_set: RuleSet) -> bool:
    """Return whether a rule set can match anything."""
    return bool(rule_set.terms or rule_set.exact or rule_set.abbreviations or rule_set.regex)
