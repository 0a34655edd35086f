"""Every KPI card opens the list of branches behind it (issue 13): 后进支部 2 lists those two branches."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest
from test_app_pages import open_page  # the app opened on a page, with a link's query

from conftest import DEMO_TODAY, shown

pytestmark = pytest.mark.slow


@pytest.fixture
def app_db(app_db, monkeypatch):
    monkeypatch.setenv("BRANCHBOARD_TODAY", DEMO_TODAY.isoformat())
    return app_db


def card(at: AppTest, label: str) -> str:
    return next(shown(m.value) for m in at.metric if shown(m.label) == label)


def opened_list(at: AppTest, key: str):
    """The table of the dialog a card's button opens (the last table drawn: the dialog comes after the page)."""
    at.button(key=f"kpi_{key}").click().run()
    assert not at.exception, at.exception
    return next(d for d in at.dataframe if d.key == f"kpi_list_{key}").value  # the dialog's own table, by its key


def test_the_lagging_card_lists_the_lagging_branches(app_db, store):
    at = open_page("overview")
    count = int(card(at, "后进支部"))
    listed = opened_list(at, "worst_tier")
    latest = store.query("tiers__mix", {})["period"].iloc[-1]
    expected = store.cursor().execute(
        "select branch_name from tier_ratings join branches using (branch_code) where period = $p and tier = '后进'",
        {"p": latest},
    )
    assert len(listed) == count > 0
    assert sorted(listed["支部"]) == sorted(r[0] for r in expected.fetchall())
    assert set(listed["档次"]) == {"后进"}


@pytest.mark.parametrize(
    ("page", "label", "key"),
    [
        ("overview", "党支部", "branches"),
        ("compliance", "未达标支部", "below"),
        ("volunteer", "无服务记录支部", "silent"),
        ("tiers", "晋位", "promoted"),
        ("tiers", "降档", "demoted"),
    ],
)
def test_a_count_card_lists_as_many_branches_as_it_counts(app_db, page, label, key):
    at = open_page(page)
    count = int(card(at, label).replace(",", ""))
    assert len(opened_list(at, key)) == count


def test_every_card_of_the_analysis_pages_opens_a_list(app_db):
    for page in ("overview", "compliance", "volunteer", "tiers"):
        at = open_page(page)
        keys = [b.key for b in at.button if b.key and b.key.startswith("kpi_")]
        # 换届提醒 on the Overview opens its full list the same way, without being a card
        cards = [k for k in keys if k != "kpi_term_reminders"]
        assert len(cards) == len(at.metric), page
        assert ("kpi_term_reminders" in keys) == (page == "overview"), page
        for key in keys:
            at = open_page(page)  # a fresh session: one dialog at a time
            at.button(key=key).click().run()
            assert not at.exception, (page, key)
            listed = [d for d in at.dataframe if d.key == f"kpi_list_{key.removeprefix('kpi_')}"]
            empty = [i for i in at.info if "没有支部" in i.value]
            assert listed or empty, (page, key)  # its list, or the note that it lists no branch
            if listed:
                # what a phone shows without scrolling: the branch first, its figures before its unit, the code last
                columns = list(listed[0].value.columns)
                assert columns[0] == "支部" and columns[-1] == "支部编码", (page, key, columns)
                assert columns.index("单位") >= min(2, len(columns) - 2), (page, key, columns)


def test_a_list_in_english_names_tiers_in_english(app_db):
    at = open_page("overview", lang="en")
    listed = opened_list(at, "worst_tier")
    assert set(listed["Tier"]) == {"Lagging"}
