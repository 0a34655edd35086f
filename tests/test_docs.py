"""Every document the code and the README refer to is in the repository (a clone holds the design it follows)."""

from __future__ import annotations

import re

from conftest import REPO

SOURCES = [*REPO.glob("*.md"), *REPO.glob("app.py"), *REPO.glob("branchboard/**/*.py"), *REPO.glob("branchboard/*.sql")]
SOURCES += [*REPO.glob("pages/*.py"), *REPO.glob("queries/*.sql"), *REPO.glob("tests/*.py"), *REPO.glob("docs/*.md")]


def test_every_referenced_document_exists():
    referenced = set()
    for path in SOURCES:
        # a file name, not a dotted name such as branchboard.escape.md (a function)
        referenced |= set(re.findall(r"(?<![\w.])((?:docs/)?[\w-]+\.md)\b", path.read_text(encoding="utf-8")))
    missing = []
    for name in sorted(referenced):
        candidates = [REPO / name, REPO / "docs" / name]
        if not any(c.exists() for c in candidates):
            missing.append(name)
    assert missing == [], f"referred to but not in the repository: {missing}"
    assert "docs/design.md" in referenced and "docs/developing.md" in referenced


def test_readme_layout_names_every_module():
    # The README's layout table is how a newcomer finds a module: one left out is one they will write again.
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    layout = readme[readme.index("| place | holds |") :]
    modules = [p for p in REPO.glob("branchboard/**/*.py") if p.stem != "__init__"] + [*REPO.glob("branchboard/*.sql")]
    missing = sorted(str(p.relative_to(REPO)) for p in modules if f"`{p.stem}`" not in layout and f"`{p.name}`" not in layout)
    assert missing == [], f"not in the README's layout table: {missing}"


def test_the_add_a_query_recipe_runs_as_written(hand_reader):
    # docs/developing.md's example query, run as the recipe says a query file runs: named parameters from the filters.
    from branchboard import db
    from branchboard.filters import FilterState

    guide = (REPO / "docs" / "developing.md").read_text(encoding="utf-8")
    sql = re.search(r"```sql\n(.*?)```", guide, flags=re.S).group(1)
    declared = set(re.findall(r"\$([a-z_]+)", sql))
    params = FilterState().sql_params()
    assert declared <= set(params), "the recipe's parameters are the filters'"
    rows = hand_reader.cursor().execute(sql, {k: params[k] for k in declared}).fetchall()
    assert sorted(rows) == [("U1", 2), ("U2", 2)]  # the hand dataset: four branches in two units
    assert db.is_write(sql) is False
