"""Hostile names and URL values, a database full of them, and the markup a page shows (for the hostile tests).

Every payload tries one way in: raw HTML that runs script (iframe srcdoc, img onerror, script), CSS, a markdown
link and image, Streamlit's colour and icon directives, a formula. A page that shows any of them as markup fails.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from google.protobuf.json_format import MessageToDict

from branchboard import db, views

EVIL = "evil.example"

# name kind → payload (each also holds ordinary Chinese text, so it is still a name a user could read).
NAMES = {
    "unit": "<iframe srcdoc=\"<script>parent.__xss='unit'</script>\"></iframe>市税务局",
    "sector": "<img src=x onerror=\"window.__xss='sector'\">财税系统",
    "branch": f"[请重新登录](https://{EVIL}/login)第一党支部",
    "item": f"![](https://{EVIL}/item.png)应建尽建",
    "dimension": "<style>*{display:none!important}</style>组织设置标准化",
    "tier": f'<a href="https://{EVIL}/tier">后进</a>',
    "activity_type": ":red[宣讲]:material/warning:<script>window.__xss='type'</script>",
    "activity": '$\\alpha$ **粗体** =HYPERLINK("https://' + EVIL + '")',
    "view": f"[点我](https://{EVIL}/view)<img src=x onerror=\"window.__xss='view'\">",
    "file": "<img src=x onerror=\"window.__xss='file'\">名册.csv",
    # The English names English mode shows instead (a checklist's and the settings' own): data as much as the rest.
    "item_en": f"[Sign in again](https://{EVIL}/item_en)Branch in every unit",
    "dimension_en": "<style>*{display:none!important}</style>Organization setup",
    "tier_en": f'<a href="https://{EVIL}/tier_en">Lagging</a>',
}

# URL keys of the shared state and of the pages' own choices.
URL_KEYS = ("from", "to", "unit", "sector", "tier", "branch", "lang", "mode", "pa", "pb", "period")
URL_PAYLOADS = (
    "<script>window.__xss='url'</script>",
    f"[请重新登录](https://{EVIL}/url)",
    f"![](https://{EVIL}/url.png)",
)

HOSTILE_UNIT_OF = "市税务局"  # the demo unit whose name becomes NAMES["unit"]


def make_hostile_db(demo_db_path: Path, target: Path) -> dict[str, str]:
    """A copy of the demo whose names are the payloads; returns the codes it touched (branch, item)."""
    shutil.copy(demo_db_path, target)
    store = db.Store(target)
    try:
        cur = store.cursor()
        branch = cur.execute(
            "select branch_code from branches where unit_name = $u order by branch_code limit 1", {"u": HOSTILE_UNIT_OF}
        ).fetchone()[0]
        worst = store.tiers()[-1]
        activity_type = cur.execute(
            "select activity_type from volunteer_records where activity_type is not null group by 1 order by count(*) desc limit 1"
        ).fetchone()[0]
        with store.transaction() as cur:
            p = {"u": NAMES["unit"], "old": HOSTILE_UNIT_OF, "s": NAMES["sector"]}
            cur.execute("update units set unit_name = $u, sector = $s where unit_name = $old", p)
            cur.execute("update branches set unit_name = $u where unit_name = $old", {"u": p["u"], "old": p["old"]})
            cur.execute("update branches set branch_name = $n where branch_code = $c", {"n": NAMES["branch"], "c": branch})
            cur.execute("update standards set item_name = $n where item_code = 'A1'", {"n": NAMES["item"]})
            cur.execute("update standards set dimension = $n where item_code like 'A%'", {"n": NAMES["dimension"]})
            cur.execute("update tier_ratings set tier = $n where tier = $w", {"n": NAMES["tier"], "w": worst})
            tiers = ",".join(NAMES["tier"] if t == worst else t for t in store.tiers())
            cur.execute("update settings set value = $v where key = 'tiers'", {"v": tiers})
            cur.execute("update standards set item_name_en = $n where item_code = 'A1'", {"n": NAMES["item_en"]})
            cur.execute("update standards set dimension_en = $n where item_code like 'A%'", {"n": NAMES["dimension_en"]})
            tiers_en = store.settings()["tiers_en"].split(",")
            cur.execute(
                "update settings set value = $v where key = 'tiers_en'", {"v": ",".join([*tiers_en[:-1], NAMES["tier_en"]])}
            )
            cur.execute(
                "update volunteer_records set activity_type = $n where activity_type = $o",
                {"n": NAMES["activity_type"], "o": activity_type},
            )
            cur.execute(
                "update volunteer_records set activity = $n where branch_code = $c", {"n": NAMES["activity"], "c": branch}
            )
            cur.execute(
                "update import_batches set file_name = $n where batch_id = (select min(batch_id) from import_batches)",
                {"n": NAMES["file"]},
            )
        views.save_view(store, NAMES["view"], "overview", "unit=" + HOSTILE_UNIT_OF, None)
    finally:
        store.close()
    db.close_all()
    return {"branch": branch, "item": "A1"}


# Element types whose text Streamlit shows as plain text (never markup): their strings are not checked here.
_PLAIN_TYPES = {"code", "arrow_data_frame", "dataframe", "plotly_chart", "json", "text", "table", "html"}
# Fields read as markdown by Streamlit's frontend.
_MARKDOWN_FIELDS = {"body", "label", "help", "text", "caption", "title"}


def markdown_sources(at: Any) -> list[str]:
    """Every string an AppTest run hands to Streamlit's markdown renderer: element bodies, labels, help texts,
    metric values, tab and expander labels, progress texts, radio options."""
    out: list[str] = []

    def collect(value: Any, key: str | None) -> None:
        if isinstance(value, dict):
            for k, v in value.items():
                collect(v, k)
        elif isinstance(value, list):
            for v in value:
                collect(v, key)
        elif isinstance(value, str) and key in _MARKDOWN_FIELDS:
            out.append(value)

    def visit(node: Any) -> None:
        proto = getattr(node, "proto", None)
        kind = getattr(node, "type", None)
        if proto is not None and kind not in _PLAIN_TYPES:
            data = MessageToDict(proto, preserving_proto_field_name=True)
            collect(data, None)
            if kind == "radio":
                out.extend(data.get("options", []))
        for child in getattr(node, "children", {}).values():
            visit(child)

    visit(at._tree)
    return out


def raw_payloads_in(sources: list[str], payloads: Any) -> list[tuple[str, str]]:
    """(payload, source) for every payload that appears unescaped in a markdown source."""
    return [(p, s) for s in sources for p in payloads if p in s]
