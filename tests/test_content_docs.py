"""docs/CONTENT.md, the content format, names every field the loader takes: each field of each table
of tutor.content_schema and each kind of part, written as `code`, so the format cannot grow a field
that the page does not describe."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tutor import content_schema as schema
from tutor.exam import KINDS

DOC = Path(__file__).resolve().parents[1] / "docs" / "CONTENT.md"
TABLES = {
    "exam.toml": schema.EXAM, "a question": schema.QUESTION, "a computation": schema.COMPUTATION,
    "a part": schema.PART, "a blank": schema.BLANK, "a term group": schema.TERM, "a mistake": schema.MISTAKE,
    "a formula symbol": schema.SYMBOL, "a diagram": schema.DIAGRAM,
}


def documented(text: str | None = None) -> set[str]:
    return set(re.findall(r"`([A-Za-z_]+)`", DOC.read_text(encoding="utf-8") if text is None else text))


def undocumented(fields, text: str | None = None) -> list[str]:
    return sorted(set(fields) - documented(text))


@pytest.mark.parametrize("table", sorted(TABLES))
def test_every_field_of_every_table_is_documented(table):
    missing = undocumented(TABLES[table].fields)
    assert not missing, f"docs/CONTENT.md does not describe these fields of {table}: {missing}"


@pytest.mark.parametrize("kind", KINDS)
def test_every_kind_and_its_fields_are_documented(kind):
    assert set(schema.KIND_FIELDS) == set(KINDS)
    assert kind in documented(), f"docs/CONTENT.md has no `{kind}`"
    missing = undocumented(schema.KIND_FIELDS[kind])
    assert not missing, f"docs/CONTENT.md does not describe these fields of a {kind} part: {missing}"
    section = re.search(rf"^### {kind}\n(.*?)(?=^##)", DOC.read_text(encoding="utf-8"), re.S | re.M)
    assert section, f"docs/CONTENT.md has no section '### {kind}'"


def test_a_field_the_page_does_not_name_is_found():
    page = DOC.read_text(encoding="utf-8")
    assert undocumented({**schema.MISTAKE.fields, "hint_level": schema.TEXT}, page) == ["hint_level"]
    assert undocumented(schema.MISTAKE.fields, page.replace("`feedback`", "feedback")) == ["feedback"]
