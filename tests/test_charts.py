"""Figure builders, tested on small frames (not through AppTest's protobuf)."""

from __future__ import annotations

import pandas as pd
import pytest

from branchboard import charts
from branchboard.fingerprint import NotFingerprintable, fingerprint

TIERS = ["先进", "较好", "一般", "后进"]


def test_hbar_keeps_order_click_key_and_target():
    frame = pd.DataFrame({"unit_name": ["U1", "U2"], "compliance_rate": [0.75, 0.5], "detail": ["3/4", "1/2"]})
    fig = charts.hbar(
        frame,
        label="unit_name",
        value="compliance_rate",
        percent=True,
        title="各单位达标率",
        value_label="达标率",
        category_label="单位",
        target=0.7,
        target_label="目标 70.0%",
        hover_extra="detail",
    )
    bar = fig.data[0]
    assert list(bar.y) == ["U1", "U2"] and list(bar.x) == [0.75, 0.5]
    assert list(bar.text) == ["75.0%", "50.0%"]
    assert [row[0] for row in bar.customdata] == ["U1", "U2"]  # what a click returns
    assert "达标率" in bar.hovertemplate and "%{customdata[1]}" in bar.hovertemplate
    assert fig.layout.title.text == "各单位达标率" and fig.layout.xaxis.title.text == "达标率"
    assert fig.layout.shapes[0].x0 == 0.7
    assert fig.layout.yaxis.autorange == "reversed"


def test_hbar_branch_key_column():
    frame = pd.DataFrame({"label": ["一支部（B1）"], "branch_code": ["B1"], "hours_per_member": [1.2]})
    fig = charts.hbar(
        frame,
        label="label",
        value="hours_per_member",
        key_column="branch_code",
        title="t",
        value_label="小时/人",
        category_label="支部",
    )
    assert fig.data[0].customdata[0][0] == "B1"


def test_dimension_heatmap_units_by_dimensions_in_checklist_order():
    frame = pd.DataFrame(
        {
            "unit_name": ["U1", "U1", "U2", "U2"],
            "dimension": ["乙", "甲", "乙", "甲"],
            "first_item": ["X3", "X1", "X3", "X1"],
            "dimension_rate": [0.875, 0.90625, 1.0, 0.59375],
        }
    )
    fig = charts.dimension_heatmap(frame, title="热力图", y_label="单位", value_label="得分率")
    heat = fig.data[0]
    assert list(heat.x) == ["甲", "乙"] and list(heat.y) == ["U1", "U2"]
    assert heat.z[0][0] == pytest.approx(0.90625) and heat.z[1][1] == pytest.approx(1.0)
    assert heat.text[1][0] == "59%"


def test_item_pass_rates_weakest_first_coloured_by_dimension():
    frame = pd.DataFrame(
        {
            "item_code": ["X1", "X2", "X3"],
            "dimension": ["甲", "甲", "乙"],
            "item_name": ["一项", "二项", "三项"],
            "assessed": [4, 4, 4],
            "met": [3, 3, 4],
            "pass_rate": [0.75, 0.75, 1.0],
        }
    )
    fig = charts.item_pass_rates(
        frame, title="t", value_label="达标比例", item_label="项目", dimension_label="维度", met_label="达标"
    )
    assert [tr.name for tr in fig.data] == ["甲", "乙"]
    assert fig.data[0].marker.color != fig.data[1].marker.color
    assert list(fig.layout.yaxis.categoryarray) == ["X1 一项", "X2 二项", "X3 三项"]
    assert list(fig.data[1].x) == [1.0]


def test_score_distribution_marks_the_pass_line():
    frame = pd.DataFrame({"bin_start": [50, 80], "bin_end": [55, 85], "branches": [1, 2], "at_or_above_pass": [False, True]})
    fig = charts.score_distribution(frame, pass_score=80, title="t", x_label="总分", y_label="支部数", pass_label="达标线 80 分")
    bar = fig.data[0]
    assert list(bar.x) == [52.5, 82.5] and list(bar.y) == [1, 2]
    assert list(bar.marker.color) == ["#B9B9B9", charts.PARTY_RED]
    assert fig.layout.shapes[0].x0 == 80


def _flows(fig) -> list:
    return [s for s in fig.layout.shapes if s.type == "path"]


def test_tier_sankey_uses_the_fixed_tier_colours_and_keeps_its_labels_off_the_flows():
    frame = pd.DataFrame({"tier_before": ["先进", "较好", "后进"], "tier_after": ["较好", "先进", "一般"], "branches": [1, 2, 3]})
    fig = charts.tier_sankey(
        frame, tiers=TIERS, before_label="2022年度", after_label="2023年度", title="t", branches_label="支部数"
    )
    colors = charts.tier_colors(TIERS)
    bars = [s for s in fig.layout.shapes if s.type == "rect"]
    left, right = ["先进", "较好", "后进"], ["先进", "较好", "一般"]
    assert [b.fillcolor for b in bars] == [colors[t] for t in left + right]
    assert all(b.x1 <= 0.05 for b in bars[:3]) and all(b.x0 >= 0.95 for b in bars[3:])
    notes = {n.text: n for n in fig.layout.annotations}
    # Tier names sit outside the columns: left of the left bars, right of the right ones; the periods above them.
    assert notes["先进（1）"].x == 0 and notes["先进（1）"].xanchor == "right"
    assert notes["先进（2）"].x == 1 and notes["先进（2）"].xanchor == "left"
    assert notes["2022年度"].yref == "paper" and notes["2023年度"].yref == "paper"
    # A bar's height is its branches' share: 先进 on the left holds 1 of 6, 后进 3 of 6.
    heights = {t: b.y1 - b.y0 for t, b in zip(left, bars[:3], strict=True)}
    assert heights["后进"] == pytest.approx(3 * heights["先进"])
    # 先进→较好 down (red), 较好→先进 up (green), 后进→一般 up (green); flows drawn best source first
    red, green = charts.MOVED_DOWN, charts.MOVED_UP
    assert all(f.fillcolor.startswith(f"rgba({int(c[1:3], 16)},") for f, c in zip(_flows(fig), (red, green, green), strict=True))
    assert _flows(fig)[1].fillcolor == _flows(fig)[2].fillcolor != _flows(fig)[0].fillcolor
    assert fig.data[0].hovertext[0].replace("<br>", " ") == "2022年度 先进 → 2023年度 较好 支部数：1"
    stayed = charts.tier_sankey(
        frame.assign(tier_after=frame["tier_before"]),
        tiers=TIERS,
        before_label="a",
        after_label="b",
        title="t",
        branches_label="n",
    )
    assert len({f.fillcolor for f in _flows(stayed)}) == 1  # all grey
    # Every bar inside the chart, whatever the tiers present on each side.
    for fig_ in (fig, stayed):
        assert all(0 <= s.y0 <= s.y1 <= 1 for s in fig_.layout.shapes if s.type == "rect")


def test_tier_colours_best_strongest_and_the_worst_apart():
    colors = charts.tier_colors(TIERS)
    assert colors["先进"] == "#8E0B1E" and len(set(colors.values())) == 4
    assert colors["后进"] == charts.WORST_TIER  # not the palest red: the tier to act on stands out


def test_score_history_radar_and_tier_history():
    hist = pd.DataFrame(
        {
            "period_label": ["2022年度", "2023年度"],
            "total_score": [55.0, 80.0],
            "passed": [False, True],
            "unit_mean": [67.5, 90.0],
            "committee_mean": [67.5, 78.75],
        }
    )
    fig = charts.score_history(
        hist,
        pass_score=80,
        title="t",
        x_label="期次",
        y_label="总分",
        branch_label="本支部",
        unit_label="单位",
        committee_label="全委",
        pass_label="达标线",
    )
    # The pass line is named in the legend (a score's label near the line would sit on a label there).
    assert [tr.name for tr in fig.data] == ["本支部", "单位", "全委", "达标线"] and not fig.layout.annotations
    assert list(fig.data[0].y) == [55.0, 80.0] and fig.layout.shapes[0].y0 == 80

    dims = pd.DataFrame(
        {"dimension": ["甲", "乙"], "branch_rate": [0.375, 1.0], "unit_rate": [0.59, 1.0], "committee_rate": [0.75, 0.94]}
    )
    fig = charts.dimension_radar(
        dims, title="t", branch_label="本支部", unit_label="单位", committee_label="全委", value_label="得分率"
    )
    branch = next(tr for tr in fig.data if tr.name == "本支部")
    assert list(branch.r) == [0.375, 1.0, 0.375] and list(branch.theta) == ["甲", "乙", "甲"]
    # The scale (60%, 80%) is read over the lines and markers that cross it, not under them.
    radial = fig.layout.polar.radialaxis
    assert radial.layer == "above traces" and "#FFFFFF" in radial.tickfont.shadow

    tiers = pd.DataFrame({"period_label": ["2022年度", "2023年度"], "tier": ["后进", "一般"], "honors": [None, "示范党支部"]})
    fig = charts.tier_history(tiers, tiers=TIERS, title="t", x_label="期次", y_label="档次")
    assert list(fig.data[0].y) == ["后进", "一般"] and list(fig.data[0].text) == ["", "示范党支部"]
    assert list(fig.layout.yaxis.categoryarray) == TIERS[::-1]


def _monthly_hours():
    frame = pd.DataFrame({"month": pd.to_datetime(["2025-01-01", "2025-02-01"]), "hours": [10.5, 20.0], "person_times": [3, 5]})
    return charts.monthly_hours(
        frame, title="服务时长与人次（按月）", x_label="月份", hours_label="服务时长（小时）", person_times_label="人次"
    )


def _tier_mix():
    frame = pd.DataFrame({"period_label": ["2024", "2024", "2025"], "tier": ["先进", "后进", "先进"], "branches": [3, 1, 4]})
    return charts.stacked_tiers(
        frame, tiers=TIERS, title="Tier mix by period", x_label="期次", y_label="支部数", tier_label="档次"
    )


@pytest.mark.parametrize("build", [_monthly_hours, _tier_mix])
def test_a_legend_sits_under_the_title_not_over_it(build):
    """On a phone the legend wraps onto two lines; pinned under the title it grows into its own band."""
    fig = build()
    title, legend = fig.layout.title, fig.layout.legend
    assert title.yref == legend.yref == "container" and title.yanchor == legend.yanchor == "top"
    title_bottom_px = (1 - title.y) * fig.layout.height + 16 + 4  # the title's font size, and a little air
    assert (1 - legend.y) * fig.layout.height >= title_bottom_px
    assert (1 - legend.y) * fig.layout.height + 40 <= fig.layout.margin.t  # two lines of legend fit above the plot


def _trend(rates: list[float]) -> pd.DataFrame:
    return pd.DataFrame({"period": [str(2022 + i) for i in range(len(rates))], "rate": rates})


def test_a_figure_is_built_once_for_the_same_rows_and_words():
    """Twenty sessions on the same filters share one figure; any change in a cell or a word builds another."""
    words = {"title": "达标率", "x_label": "期次", "y_label": "达标率", "target": 0.7, "target_label": "目标 70%"}
    first = charts.rate_trend(_trend([0.5, 0.75]), "period", "rate", **words)
    assert charts.rate_trend(_trend([0.5, 0.75]), "period", "rate", **words) is first  # equal rows, another frame
    changed_cell = charts.rate_trend(_trend([0.5, 0.76]), "period", "rate", **words)
    assert changed_cell is not first and list(changed_cell.data[0].y) == [0.5, 0.76]
    in_english = charts.rate_trend(_trend([0.5, 0.75]), "period", "rate", **{**words, "title": "Compliance rate"})
    assert in_english is not first and in_english.layout.title.text == "Compliance rate"
    assert charts.rate_trend(_trend([0.5, 0.75]), "period", "rate", **{**words, "target": 0.8}) is not first


def test_a_shared_figure_sends_what_a_figure_built_afresh_sends():
    """A shared figure answers to_dict with one dict made when it was built (st.plotly_chart asks on every run);
    what Streamlit sends must be what the figure holds, run after run, and a copy of it must stay a figure of its own."""
    import plotly.graph_objects as go
    import plotly.io
    import plotly.tools

    words = {"title": "达标率", "x_label": "期次", "y_label": "达标率", "target": 0.7, "target_label": "目标 70%"}
    shared = charts.rate_trend(_trend([0.25, 0.5]), "period", "rate", **words)
    afresh = charts.rate_trend.__wrapped__(_trend([0.25, 0.5]), "period", "rate", **words)  # the builder itself

    def sent(fig) -> str:  # what st.plotly_chart puts in its message
        return plotly.io.to_json(plotly.tools.return_figure_from_figure_or_data(fig, validate_figure=True), validate=False)

    assert sent(shared) == sent(afresh) == sent(shared)
    assert shared.to_dict() is shared.to_dict()  # made once
    assert sent(shared) is sent(shared)  # and its JSON
    assert sent(afresh) is not sent(afresh)  # a figure of one's own is Plotly's to encode every time
    copy = go.Figure(shared)  # as meeting mode and the print make theirs
    copy.update_layout(height=999)
    assert copy.to_dict()["layout"]["height"] == 999 != shared.to_dict()["layout"]["height"]


def test_fingerprints_tell_apart_what_draws_differently():
    fp = fingerprint
    assert fp(1) != fp(1.0) != fp(True)
    assert fp(pd.DataFrame({"a": [1]})) != fp(pd.DataFrame({"b": [1]}))  # same cells, another column
    assert fp(pd.DataFrame({"a": [1]})) != fp(pd.DataFrame({"a": [1.0]}))
    assert fp(pd.DataFrame({"a": ["x"]}, index=[0])) != fp(pd.DataFrame({"a": ["x"]}, index=[1]))
    with pytest.raises(NotFingerprintable):
        fp(object())


def test_the_committee_reference_bar_is_grey_and_the_units_keep_their_colour():
    frame = pd.DataFrame({"unit_name": ["市气象局", "全工委平均"], "compliance_rate": [0.5, 0.771]})
    fig = charts.hbar(
        frame,
        label="unit_name",
        value="compliance_rate",
        percent=True,
        title="t",
        value_label="v",
        category_label="c",
        reference="全工委平均",
    )
    assert list(fig.data[0].marker.color) == [charts.PARTY_RED, charts.GREY]


def test_every_builder_draws_nothing_for_no_rows():
    """Pages pass what a query returned; an empty result is the empty state (None), never an empty axis."""
    import inspect

    empty = pd.DataFrame()
    builders = [f for name, f in vars(charts).items() if inspect.isfunction(f) and hasattr(f, "__wrapped__") and name[0] != "_"]
    assert len(builders) >= 10
    for builder in builders:
        assert builder(empty, **{p: None for p in list(inspect.signature(builder).parameters)[1:]}) is None, builder


def test_all_zero_hours_compare_nothing_but_a_zero_rate_is_drawn():
    units = pd.DataFrame({"unit_name": ["甲单位", "乙单位"], "hours": [0.0, 0.0], "compliance_rate": [0.0, 0.0]})
    common = {"label": "unit_name", "title": "t", "value_label": "v", "category_label": "c"}
    assert charts.hbar(units, value="hours", none_when_all_zero=True, **common) is None
    units.loc[1, "hours"] = 2.5
    assert charts.hbar(units, value="hours", none_when_all_zero=True, **common) is not None
    rates = charts.hbar(units, value="compliance_rate", percent=True, **common)  # every unit at 0%: a finding
    assert list(rates.data[0].text) == ["0.0%", "0.0%"]


def test_colours_live_only_in_the_chart_theme():
    # One palette: a colour written anywhere else (a page, the CSS, the brief) drifts from it the day it changes.
    import re

    from conftest import REPO

    colour = re.compile(r"""["'\s:(]#(?:[0-9A-Fa-f]{6}|[0-9A-Fa-f]{3})\b|rgba?\(""")
    written = [
        f"{p.relative_to(REPO)}:{n}"
        for p in [*REPO.glob("branchboard/**/*.py"), *REPO.glob("pages/*.py"), REPO / "app.py"]
        if p.name != "charts.py"
        for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), start=1)
        if colour.search(line.split("  # ")[0])
    ]
    assert written == []


def test_a_table_column_empty_in_every_row_is_left_out():
    from branchboard.ui.widgets import _empty_everywhere

    assert _empty_everywhere(pd.Series([None, None]))
    assert _empty_everywhere(pd.Series(["", " ", "—"]))
    assert not _empty_everywhere(pd.Series(["", "张三"]))
    assert not _empty_everywhere(pd.Series([0, None]))  # a zero is a figure
    assert not _empty_everywhere(pd.Series(["张三", "", "—"]))  # decided by its first value
    assert _empty_everywhere(pd.Series([" ", None, "-"], dtype="str"))  # pandas' own text columns too


def test_radar_axis_names_wrap_by_characters_in_chinese_and_by_words_in_english():
    dims = pd.DataFrame(
        {"dimension": ["组织设置标准化", "Organizational life"], "branch_rate": [0.5, 1.0], "unit_rate": [0.5, 1.0]}
        | {"committee_rate": [0.5, 1.0]}
    )
    fig = charts.dimension_radar(dims, title="t", branch_label="b", unit_label="u", committee_label="c", value_label="v")
    assert list(fig.data[0].theta)[:2] == ["组织设置<br>标准化", "Organizational<br>life"]  # never "Orga<br>niza…"


def test_a_hover_line_takes_the_colon_of_its_language():
    frame = pd.DataFrame({"period": ["2024"], "compliance_rate": [0.5]})
    en = charts.rate_trend(frame, "period", "compliance_rate", title="t", x_label="Period", y_label="Compliance rate")
    zh = charts.rate_trend(frame, "period", "compliance_rate", title="t", x_label="期次", y_label="达标率")
    assert "Compliance rate: %{y" in en.data[0].hovertemplate and "：" not in en.data[0].hovertemplate
    assert "达标率：%{y" in zh.data[0].hovertemplate
