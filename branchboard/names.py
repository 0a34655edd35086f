"""Names that come from the data, shown in the reader's language: tiers, checklist dimensions and items.

The database keeps the committee's Chinese names (filters, links and comparisons use them). English mode shows the
English names the checklist and the settings give (the default checklist and tiers ship them); a name without one
is shown as the data has it, and the page says which names those were, so a reader knows the Chinese is data and
not an untranslated screen.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

if TYPE_CHECKING:
    from branchboard.db import Store

# Result columns that hold a tier's name (tiers__mix, tiers__movement, tiers__transitions, branch__tier_history).
TIER_COLUMNS = ("tier", "tier_before", "tier_after")


@dataclass
class DataNames:
    """One page run's names; `untranslated` collects the names shown in Chinese for want of an English one."""

    lang: str
    tiers_en: dict[str, str] = field(default_factory=dict)
    dimensions_en: dict[str, str] = field(default_factory=dict)
    items_en: dict[str, str] = field(default_factory=dict)  # by item_code
    items_zh: dict[str, str] = field(default_factory=dict)  # by item_code (English mode's fallback)
    untranslated: set[str] = field(default_factory=set)

    def _shown(self, found: str | None, name: object) -> str:
        text = "" if name is None or (isinstance(name, float) and pd.isna(name)) else str(name)
        if self.lang == "zh" or not text:
            return text
        if found:
            return found
        self.untranslated.add(text)
        return text

    def tier(self, name: object) -> str:
        return self._shown(self.tiers_en.get(str(name)), name)

    def tier_list(self, names: Iterable[str]) -> list[str]:
        return [self.tier(x) for x in names]

    def dimension(self, name: object) -> str:
        return self._shown(self.dimensions_en.get(str(name)), name)

    def item(self, item_code: object, name: object) -> str:
        return self._shown(self.items_en.get(str(item_code)), name)

    def frame(self, frame: pd.DataFrame) -> pd.DataFrame:
        """A query result with its tier, dimension and item names in the reader's language: a copy in English; in
        Chinese the frame itself (a cached query result: do not change it), less the weakest items' codes."""
        codes = "weakest_item_codes"  # compliance__branch_results: weakest_items again, by code
        if self.lang == "zh" or frame.empty:
            return frame.drop(columns=codes) if codes in frame.columns else frame
        out = frame.copy()
        if codes in out.columns:
            out["weakest_items"] = [
                ", ".join(f"{c} {self.item(c, self.items_zh.get(c))}" for c in found) if _is_list(found) else ""
                for found in out.pop(codes)
            ]
        for column in TIER_COLUMNS:
            if column in out.columns:
                out[column] = [self.tier(x) for x in out[column]]
        if "dimension" in out.columns:
            out["dimension"] = [self.dimension(x) for x in out["dimension"]]
        if "item_name" in out.columns and "item_code" in out.columns:
            out["item_name"] = [self.item(c, n) for c, n in zip(out["item_code"], out["item_name"], strict=True)]
        return out


def _is_list(value: object) -> bool:
    return isinstance(value, list | tuple | np.ndarray)


def data_names(store: Store, lang: str) -> DataNames:
    """The names for `lang` from the stored checklist and the tier settings. English tier names pair with the tiers
    by position, and only when there are as many of them: a list that no longer matches is not guessed from."""
    if lang == "zh":
        return DataNames(lang)
    settings = store.settings()
    tiers = store.tiers()
    english = [x.strip() for x in settings.get("tiers_en", "").split(",")]
    tiers_en = dict(zip(tiers, english, strict=True)) if len(english) == len(tiers) else {}
    checklist = store.query("standards__current")
    dimensions_en: dict[str, str] = {}
    for zh, en in zip(checklist["dimension"], checklist["dimension_en"], strict=True):
        if isinstance(en, str) and en.strip():
            dimensions_en.setdefault(zh, en.strip())
    items_en = {
        code: en.strip()
        for code, en in zip(checklist["item_code"], checklist["item_name_en"], strict=True)
        if isinstance(en, str) and en.strip()
    }
    items_zh = dict(zip(checklist["item_code"], checklist["item_name"], strict=True))
    return DataNames(lang, _one_to_one(tiers_en), _one_to_one(dimensions_en), items_en, items_zh)


def _one_to_one(names: dict[str, str]) -> dict[str, str]:
    """The English names that each stand for one stored name: two tiers or dimensions under one English name would
    be drawn as one (imports and settings refuse that; a database from before is shown in Chinese for those)."""
    uses = Counter(names.values())
    return {zh: en for zh, en in names.items() if en and uses[en] == 1}
