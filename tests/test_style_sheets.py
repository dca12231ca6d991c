"""Our style sheets parse: every rule's block holds declarations, never a rule swallowed by an
unclosed brace (which a browser reads without a word, dropping every rule after it)."""

from __future__ import annotations

import pytest
import tinycss2

from tests.support import PROJECT_DIR

# At-rules whose block holds rules, not declarations.
GROUPING_RULES = {"media", "supports", "layer", "container"}
STYLE_SHEETS = sorted((PROJECT_DIR / "static" / "css").glob("*.css"))


def problems(css: str) -> list[str]:
    found = []
    for rule in tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True):
        if rule.type == "error":
            found.append(f"line {rule.source_line}: {rule.message}")
        elif rule.type == "qualified-rule":
            found += declaration_problems(rule)
        elif rule.type == "at-rule" and rule.lower_at_keyword in GROUPING_RULES:
            found += problems(tinycss2.serialize(rule.content))
    return found


def declaration_problems(rule) -> list[str]:
    found = []
    for item in tinycss2.parse_blocks_contents(rule.content, skip_whitespace=True):
        if item.type == "error":
            found.append(f"line {item.source_line}: {item.message}")
        elif item.type == "qualified-rule":
            found.append(f"line {item.source_line}: a rule inside a rule (a brace left open?)")
    return found


def test_there_are_style_sheets_to_check():
    assert {path.name for path in STYLE_SHEETS} >= {"site.css", "staff-admin.css"}


@pytest.mark.parametrize("path", STYLE_SHEETS, ids=lambda path: path.name)
def test_every_rule_in_the_style_sheet_is_closed_and_holds_declarations(path):
    assert problems(path.read_text(encoding="utf-8")) == []


def test_an_unclosed_rule_is_found():
    assert problems(".a {\n  color: red;\n\n.b {\n  color: blue;\n}\n")
