"""docs/content-guide.md (issue 15 point 6): the guide for networks that edit the questionnaire exists, is linked from
the README, and every item it names as an example is an item of this set (today's version or, for the examples of
what was merged or split, an old id the mapping knows), so the guide cannot silently drift from the content."""

import re

from imworkbook.model.content import load_mappings

from ..conftest import REPO

GUIDE = REPO / "docs" / "content-guide.md"
ITEM = re.compile(r"`([a-z]+\.[a-z_]+)`")


def test_the_guide_is_linked_from_the_readme():
    assert "docs/content-guide.md" in (REPO / "README.md").read_text(encoding="utf-8")


def test_every_item_the_guide_names_exists_in_the_set_or_its_mapping(model):
    text = GUIDE.read_text(encoding="utf-8")
    named = {m for m in ITEM.findall(text) if not m.endswith((".yaml", ".md", ".json"))}
    old_ids = {old for mapping in load_mappings().values() for old in mapping.items}
    assert len(named) >= 10  # the guide works with examples from this set
    unknown = sorted(named - set(model.item_ids) - old_ids)
    assert unknown == [], f"the content guide names items that do not exist: {unknown}"
