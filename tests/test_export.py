"""Exports: CSV with BOM, XLSX, formula neutralisation, and the offline HTML brief."""

import csv
import io
import re
import shutil
import subprocess
import zipfile

import pandas as pd
import plotly.graph_objects as go
import pytest
from python_calamine import CalamineWorkbook

from branchboard.export import Brief, BriefItem, brief_html, export_csv, export_xlsx, neutralise, to_csv_bytes, to_xlsx_bytes

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


def _by_unit() -> pd.DataFrame:
    # As compliance__by_unit returns it: a rate with float noise, a mean score, counts, hours as stored.
    return pd.DataFrame(
        {
            "unit_name": ["市税务局", "市气象局"],
            "assessed": [48, 12],
            "passed": [37, 0],
            "compliance_rate": [37 / 48, 0.0],
            "mean_score": [85.46666666666667, 71.0],
            "hours": [55878.5, 1234.25],
        }
    )


def test_csv_carries_figures_as_the_pages_write_them():
    text = export_csv(_by_unit(), "zh").decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == ["单位", "参评支部", "达标支部", "达标率", "平均得分", "服务时长（小时）"]
    assert rows[1] == ["市税务局", "48", "37", "77.1%", "85.5", "55878.5"]
    assert rows[2][3] == "0.0%"  # a rate of zero is a figure, not a blank
    assert "0.7708333" not in text and "85.4666" not in text


def test_xlsx_keeps_numbers_formatted_as_percentages():
    data = export_xlsx(_by_unit(), "en")
    sheet = CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0).to_python()
    assert sheet[0][:4] == ["Unit", "Assessed", "Passed", "Compliance rate"]
    assert sheet[1][3] == 0.7708 and sheet[1][1] == 48  # numbers, no float noise
    with zipfile.ZipFile(io.BytesIO(data)) as book:
        styles = book.read("xl/styles.xml").decode()
    assert 'formatCode="0.0%"' in styles and 'formatCode="#,##0.0#"' in styles


def test_the_brief_writes_rates_as_percentages():
    page = brief_html(Brief(title="t", items=[BriefItem(title="by unit", table=_by_unit())]), "zh")
    assert "77.1%" in page and "85.5" in page and "55,878.5" in page and "0.770833" not in page


@pytest.mark.slow
def test_a_spreadsheet_shows_the_xlsx_as_the_pages_do(tmp_path):
    # Opened the way a committee opens it: LibreOffice Calc reads the XLSX and writes what its cells display.
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    assert soffice, "LibreOffice is installed by scripts/test.sh"
    source = tmp_path / "by_unit.xlsx"
    source.write_bytes(export_xlsx(_by_unit(), "zh"))
    result = subprocess.run(
        [
            soffice,
            "--headless",
            f"-env:UserInstallation=file://{tmp_path}/lo",
            "--convert-to",
            "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true",  # UTF-8, cells as shown
            "--outdir",
            str(tmp_path),
            str(source),
        ],
        capture_output=True,
        text=True,
        timeout=180,
    )
    shown = (tmp_path / "by_unit.csv").read_text(encoding="utf-8")
    assert result.returncode == 0, result.stderr
    rows = list(csv.reader(io.StringIO(shown)))
    assert rows[1] == ["市税务局", "48", "37", "77.1%", "85.5", "55,878.5"]
    assert rows[2] == ["市气象局", "12", "0", "0.0%", "71.0", "1,234.25"]


def test_the_brief_writes_no_missing_value_as_nat_or_none_and_a_mean_to_one_decimal():
    from branchboard.export import as_shown

    frame = pd.DataFrame(
        {
            "branch_name": ["一支部", None],
            "last_activity_on": [pd.Timestamp("2025-12-22"), pd.NaT],
            "hours_per_member": [43.7777, 0.0],
        }
    )
    shown = as_shown(frame, "zh")
    assert shown["最近活动"].tolist() == ["2025-12-22", ""]
    assert shown["支部"].tolist() == ["一支部", ""]
    assert shown["人均服务时长"].tolist() == ["43.8", "0.0"]  # the cards' precision, on every page and export


def test_the_brief_stamp_is_text_in_its_css_whatever_the_filters_hold():
    hostile = '市局"; } body { display: none } </style><script>alert(1)</script>\\'
    page = brief_html(Brief(title="总览", filters=f"当前筛选：{hostile}", data_as_of="数据截至 2026-01-01"), "zh")
    style = page.split("<style>")[2].split("</style>")[0]  # the stamp's own style element, whole
    assert "<" not in style and '"; }' not in style and "display: none" not in style
    assert page.count("</style>") == 2 and "<script>alert" not in page
