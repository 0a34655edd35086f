"""What the app relies on in Streamlit's internals, checked so that an upgrade that changes it fails here first.

The client's layout has a `pages/` folder, which Streamlit 1.67 still treats as its old multipage mode until a
session calls st.navigation: the first requests after a start would run a page file without app.py (no access
gate, no navigation). Streamlit offers no setting for this (no config option; st.App takes routes, middleware,
lifespan and an error handler, nothing about pages), so `branchboard.access.leave_legacy_pages_mode` clears the
class attribute the script runner reads, as st.navigation itself does. This is that one place; the real-browser
test `test_first_request_after_start_is_a_deep_link` checks the behaviour end to end.
"""

from __future__ import annotations

import inspect

import streamlit.commands.navigation as navigation
import streamlit.runtime.scriptrunner.script_runner as script_runner
from streamlit.runtime.pages_manager import PagesManager

from branchboard import access


def test_the_pages_folder_flag_is_still_where_the_workaround_sets_it():
    assert hasattr(PagesManager, "uses_pages_directory")
    # The script runner runs a pages/ file on its own (the old mode) while the flag is set ...
    assert "if PagesManager.uses_pages_directory:" in inspect.getsource(script_runner)
    # ... and st.navigation clears it, which is all the workaround does early.
    assert "PagesManager.uses_pages_directory = False" in inspect.getsource(navigation)


def test_the_workaround_lives_in_one_function():
    source = inspect.getsource(access.leave_legacy_pages_mode)
    assert "PagesManager.uses_pages_directory = False" in source
    from conftest import REPO

    users = [
        p.relative_to(REPO).as_posix()
        for p in [*REPO.glob("branchboard/**/*.py"), *REPO.glob("pages/*.py"), REPO / "app.py"]
        if "uses_pages_directory" in p.read_text(encoding="utf-8")
    ]
    assert users == ["branchboard/access.py"]
