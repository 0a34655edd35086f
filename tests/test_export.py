"""Exports: CSV with BOM, XLSX, formula neutralisation, and the offline HTML brief."""

import io
import re

import pandas as pd
import plotly.graph_objects as go
from python_calamine import CalamineWorkbook

from branchboard.export import Brief, BriefItem, brief_html, neutralise, to_csv_bytes, to_xlsx_bytes

FRAME = pd.DataFrame(
    {
        "支部": ["市税务局机关第一党支部", '=HYPERLINK("http://x")', "+1", "-2", "@SUM(A1)", "普通"],
        "得分": [91.5, 80, 70, 60, 50, 40],
    }
)


def test_neutralise_prefixes_formula_like_text_only():
    out = neutralise(FRAME)
    assert out["支部"].tolist() == ["市税务局机关第一党支部", '\'=HYPERLINK("http://x")', "'+1", "'-2", "'@SUM(A1)", "普通"]
    assert out["得分"].tolist() == FRAME["得分"].tolist()  # numbers untouched, negative numbers included
    assert FRAME["支部"][1].startswith("=")  # the input is not modified


def test_csv_has_bom_and_chinese_round_trips():
    data = to_csv_bytes(FRAME)
    assert data.startswith(b"\xef\xbb\xbf")
    back = pd.read_csv(io.BytesIO(data), encoding="utf-8-sig")
    assert back["支部"][0] == "市税务局机关第一党支部"
    assert back["支部"][1].startswith("'=")


def test_xlsx_is_readable_and_has_no_formulas():
    data = to_xlsx_bytes(FRAME, "达标情况")
    book = CalamineWorkbook.from_filelike(io.BytesIO(data))
    assert book.sheet_names == ["达标情况"]
    rows = book.get_sheet_by_name("达标情况").to_python()
    assert rows[0] == ["支部", "得分"]
    assert rows[1] == ["市税务局机关第一党支部", 91.5]
    assert rows[2][0] == '\'=HYPERLINK("http://x")'


def test_brief_is_one_offline_file():
    fig = go.Figure(go.Bar(x=["2024年度"], y=[0.8]))
    brief = Brief(title="总览", filters="当前筛选：全部", data_as_of="数据截至 2026-01-01", kpis=[("达标率", "80.0%", "+5.0 pp")])
    brief.items.append(BriefItem("达标率趋势", fig, pd.DataFrame({"期次": ["2024"], "达标率": [0.8]}), "口径说明<script>"))
    html = brief_html(brief)
    assert "达标率趋势" in html and "80.0%" in html and "数据截至" in html
    assert "口径说明&lt;script&gt;" in html  # text is escaped
    # No request to any outside host: no external script/link/img sources.
    assert not re.search(r"<(script|link|img)[^>]+(src|href)=[\"']https?://", html)
    assert "cdn" not in re.findall(r"<script[^>]*>", html).__str__().lower()
    assert html.count("plotly.js v") >= 1  # the library is inlined
