"""Names from files and values from URLs are shown as text on every page, in every chart and in the brief.

The database holds a payload in every kind of name (unit, sector, branch, item, dimension, tier, activity and
activity type, saved view, file name); each page is run with AppTest and everything it hands to Streamlit's
markdown renderer, and every Plotly figure it draws, is checked for the payload in live form. The browser test
(test_browser_hostile.py) checks the same in Chromium, where script would run.
"""

from __future__ import annotations

import json
import re

import plotly.graph_objects as go
import pytest
from hostile import NAMES, URL_KEYS, URL_PAYLOADS, make_hostile_db, markdown_sources, raw_payloads_in
from streamlit.testing.v1 import AppTest

from branchboard.escape import md, plotly_text
from branchboard.export import Brief, BriefItem, brief_html
from branchboard.ui.context import PAGES_WITHOUT_FILTERS
from branchboard.ui.saved_views import SAVED_VIEWS_KEY
from conftest import DEMO_TODAY, REPO, shown

PAGES = ("overview", "compliance", "volunteer", "tiers", "branch", "import", "settings")
_ALLOWED_PLOTLY_TAGS = re.compile(r"<br>|</?extra>")


@pytest.fixture(scope="module")
def hostile_db(tmp_path_factory, demo_db_path):
    path = tmp_path_factory.mktemp("hostile") / "hostile.duckdb"
    codes = make_hostile_db(demo_db_path, path)
    return path, codes


@pytest.fixture
def figures(monkeypatch, hostile_db, drawn_figures):
    """Every figure the pages draw in this test, on the hostile database."""
    path, _ = hostile_db
    monkeypatch.setenv("BRANCHBOARD_DB", str(path))
    monkeypatch.setenv("BRANCHBOARD_TODAY", DEMO_TODAY.isoformat())
    return drawn_figures


def run_page(page: str, query: dict[str, str | list[str]], *, opened: tuple[str, ...] = ()) -> AppTest:
    """`page` opened by a link with `query`, the sidebar panels named in `opened` open (they draw only then)."""
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=90)
    for key, value in query.items():
        at.query_params[key] = value
    for key in opened:
        at.session_state[key] = True
    at.run()
    if page != "overview":
        at.switch_page(f"pages/{page}.py").run()
    assert not at.exception, at.exception
    return at


def plotly_strings(fig: go.Figure) -> list[str]:
    out: list[str] = []

    def walk(value):
        if isinstance(value, str):
            out.append(value)
        elif isinstance(value, dict):
            for v in value.values():
                walk(v)
        elif isinstance(value, list | tuple):
            for v in value:
                walk(v)

    walk(json.loads(fig.to_json()))
    return out


def live_markup(fig: go.Figure) -> list[str]:
    """Strings of a figure holding a tag Plotly would render (other than the builders' own <br> and <extra>)."""
    return [s for s in plotly_strings(fig) if "<" in _ALLOWED_PLOTLY_TAGS.sub("", s)]


@pytest.mark.slow
@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("scope", ["hostile unit", "all units"])
def test_every_name_is_text_on_every_page(page, scope, hostile_db, figures):
    _, codes = hostile_db
    query: dict[str, str | list[str]] = {"branch": codes["branch"]}
    if scope == "hostile unit":
        query["unit"] = NAMES["unit"]
    at = run_page(page, query)
    sources = markdown_sources(at)
    assert not raw_payloads_in(sources, NAMES.values())
    if scope == "hostile unit" and page not in PAGES_WITHOUT_FILTERS:
        # Not hidden either: the filter caption shows the unit's name, as text.
        assert any(NAMES["unit"] in shown(s) for s in sources)
    for fig in figures:
        assert not live_markup(fig), live_markup(fig)
    if page in ("overview", "compliance", "volunteer", "tiers", "branch"):
        assert figures, "the page drew no chart, so nothing was checked"


@pytest.mark.slow
@pytest.mark.parametrize("page", PAGES)
def test_every_english_name_is_text_on_every_page(page, hostile_db, figures):
    """English mode shows the checklist's and the settings' English names: payloads too, shown as text."""
    _, codes = hostile_db
    at = run_page(page, {"branch": codes["branch"], "lang": "en"})
    assert not raw_payloads_in(markdown_sources(at), NAMES.values())
    for fig in figures:
        assert not live_markup(fig), live_markup(fig)
    if page == "tiers":  # the English tier name is there (as text), so the check above looked at it
        assert any(NAMES["tier_en"] in shown(s) for s in markdown_sources(at))


@pytest.mark.slow
def test_charts_carry_the_names_as_plotly_text(hostile_db, figures):
    """The names are in the charts (escaped), so the check above looked at them."""
    run_page("compliance", {})
    strings = [s for fig in figures for s in plotly_strings(fig)]
    for kind in ("unit", "item", "dimension"):
        assert any(plotly_text(NAMES[kind]) in s.replace("<br>", "") for s in strings), kind


@pytest.mark.slow
def test_saved_view_and_tier_names_are_text(hostile_db, figures):
    at = run_page("tiers", {}, opened=(SAVED_VIEWS_KEY,))
    sources = markdown_sources(at)
    assert any(md(NAMES["view"]) == s for s in sources)  # the saved view's link label
    assert any(md(NAMES["tier"]) in s for s in sources)  # the still-后进 tab and KPI card


@pytest.mark.slow
@pytest.mark.parametrize("key", URL_KEYS)
def test_url_values_are_text_in_the_note(key, hostile_db, figures):
    for payload in URL_PAYLOADS:
        page = {"pa": "tiers", "pb": "tiers", "period": "compliance"}.get(key, "overview")
        at = run_page(page, {key: payload})
        sources = markdown_sources(at)
        assert not raw_payloads_in(sources, [payload])
        notes = [shown(w.value) for w in at.warning]
        assert any(f"{key}=" in n and payload[:20] in n for n in notes), (key, notes)


@pytest.mark.slow
def test_uploaded_file_name_is_text(hostile_db, figures):
    at = run_page("import", {})
    at.file_uploader(key="imp_files").set_value((NAMES["file"], "支部编码,支部名称\n".encode(), "text/csv")).run()
    assert not at.exception
    sources = markdown_sources(at)
    assert not raw_payloads_in(sources, NAMES.values())
    assert any(NAMES["file"] in shown(s) for s in sources)


def test_brief_shows_names_as_text():
    fig = go.Figure(go.Bar(x=[plotly_text(NAMES["unit"])], y=[1]))
    brief = Brief(
        title=NAMES["view"],
        filters=NAMES["unit"],
        data_as_of=NAMES["sector"],
        kpis=[(NAMES["tier"], NAMES["branch"], NAMES["item"])],
        items=[BriefItem(title=NAMES["dimension"], figure=fig, note=NAMES["activity"])],
    )
    import pandas as pd

    brief.items.append(BriefItem(title="t", table=pd.DataFrame({NAMES["activity_type"]: [NAMES["file"]]})))
    page = brief_html(brief)
    for name in NAMES.values():
        if "<" in name:  # markdown means nothing in HTML; tags do
            assert name not in page
    # Outside the scripts (plotly.js inlined, the figures' JSON), the document has only the brief's own tags.
    markup = re.sub(r"<script\b.*?</script>", "", page, flags=re.S)
    for tag in ("<iframe", "<img", "<style>*", "<a href", "<script"):
        assert tag not in markup
