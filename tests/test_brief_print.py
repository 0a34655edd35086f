"""The HTML brief prints from the browser to A4 landscape (issue 13): a page per section, no chart wider than the
paper or split across pages, the filters and data-as-of stamp on every page. Printed by Chromium, read by pypdf."""

from __future__ import annotations

import io
import unicodedata

import pytest
from pypdf import PdfReader

from branchboard import charts, figures
from branchboard.export import BRIEF_CHART_WIDTH, Brief, BriefItem, brief_html
from branchboard.i18n import t
from browser import CHROMIUM, CHROMIUM_ARGS

pytestmark = pytest.mark.browser

A4_LANDSCAPE = (841.89, 595.28)  # points
PRINTABLE_WIDTH_PX = (297 - 24) / 25.4 * 96  # the page less its 12 mm side margins, in CSS px


def _brief(store) -> Brief:
    tr = lambda key, **values: t(key, "zh", **values)  # noqa: E731
    mix = store.query("tiers__mix", {})
    by_unit = store.query("compliance__by_unit", {"period": "2025"})
    transitions = store.query("tiers__transitions", {"period_before": "2024", "period_after": "2025"})
    tier_fig, tier_table = figures.tier_mix(mix, t=tr, lang="zh", title="定级结构", tiers=store.tiers())
    items = [
        BriefItem("定级结构", tier_fig, tier_table, "说明"),
        BriefItem(
            "各单位达标率",
            charts.hbar(
                by_unit,
                label="unit_name",
                value="compliance_rate",
                percent=True,
                title="各单位达标率",
                value_label="达标率",
                category_label="单位",
                target=0.7,
                target_label="目标 70%",
            ),
            by_unit,
            None,
        ),
        BriefItem(
            "定级变动",
            charts.tier_sankey(
                transitions,
                tiers=store.tiers(),
                before_label="2024年度",
                after_label="2025年度",
                title="定级变动",
                branches_label="支部数",
            ),
            transitions,
            None,
        ),
        BriefItem("各支部", None, store.query("volunteer__by_branch", {}), None),  # a long table: several pages
    ]
    return Brief(
        title="党支部建设数据看板 · 总览",
        filters="当前筛选：市气象局、市税务局",
        data_as_of="数据截至 2026-11-22 09:00",
        kpis=[("达标率", "77.1%", "+27.1 个百分点"), ("后进支部", "2", "-4")],
        items=items,
    )


def _text(pdf_page) -> str:
    """A page's text as written (the PDF's fonts map some characters to look-alikes: ⽓ for 气, folded by NFKC)."""
    return unicodedata.normalize("NFKC", pdf_page.extract_text()).replace(" ", "")


def test_the_brief_prints_to_a4_landscape_with_the_stamp_on_every_page(demo_reader, tmp_path):
    from playwright.sync_api import sync_playwright

    path = tmp_path / "brief.html"
    path.write_text(brief_html(_brief(demo_reader), "zh"), encoding="utf-8")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page()
        page.route("**/*", lambda route: route.continue_() if route.request.url.startswith("file:") else route.abort())
        page.goto(path.as_uri())
        page.wait_for_function("document.querySelectorAll('.chart .main-svg').length >= 3")
        page.emulate_media(media="print")
        widths = page.evaluate("[...document.querySelectorAll('.chart .main-svg')].map(s => s.getBoundingClientRect().width)")
        pdf = page.pdf(prefer_css_page_size=True, print_background=True)
        browser.close()
    assert widths and max(widths) <= min(BRIEF_CHART_WIDTH, PRINTABLE_WIDTH_PX)  # no chart cut at the paper's edge
    reader = PdfReader(io.BytesIO(pdf))
    # The KPIs' page, a page for each of the four sections, the long table running on.
    assert len(reader.pages) >= 5
    for number, pdf_page in enumerate(reader.pages, start=1):
        box = pdf_page.mediabox
        assert (round(float(box.width), 1), round(float(box.height), 1)) == pytest.approx(A4_LANDSCAPE, abs=1), number
        text = _text(pdf_page)
        assert "市气象局、市税务局" in text and "数据截至2026-11-22" in text, (number, text[:200])
    # Each section starts a page: its heading is at the top of the page it is on.
    firsts = [_text(p).split("\n") for p in reader.pages]
    for heading in ("定级结构", "各单位达标率", "定级变动", "各支部"):
        assert any(heading in "".join(lines[:3]) for lines in firsts), heading
