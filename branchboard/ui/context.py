"""What one page run knows: the store, the filter state, the page, and what it showed (for the HTML brief)."""

from __future__ import annotations

from dataclasses import dataclass, field

from branchboard import access, db
from branchboard.export import Brief
from branchboard.filters import FilterState
from branchboard.i18n import Translator
from branchboard.names import DataNames

# Where start_page leaves the context for finish_page (app.py calls it after the page ran).
CONTEXT_KEY = "_page_context"

# Pages the filters do nothing on: no filter widgets in their sidebar and no 当前筛选 under their title (the state is
# kept for the next page all the same). Not 分享管理: a new unit link opens on the filters' period range.
PAGES_WITHOUT_FILTERS = ("import", "settings")


@dataclass
class PageContext:
    store: db.Store
    state: FilterState
    page_key: str
    names: DataNames  # tiers, dimensions and items in the reader's language (branchboard.names)
    brief: Brief = field(default_factory=Brief)

    @property
    def lang(self) -> str:
        return self.state.lang

    @property
    def meeting(self) -> bool:
        return self.state.mode == "meeting"

    @property
    def t(self) -> Translator:
        """The catalog in the reader's language: ctx.t("key", n=3), or passed to what builds a figure."""
        return Translator(self.state.lang)


def admin_allowed() -> bool:
    """Admin-only actions (import, undo, settings, deleting saved views) ask this first."""
    return access.is_admin()
