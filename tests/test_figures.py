"""The shared figures: the right rows, translated labels, None when there is nothing to draw."""

from branchboard import figures
from branchboard.filters import FilterState
from branchboard.i18n import t


def test_compliance_trend_keeps_periods_in_range_and_labels_them(hand_store):
    by_period = hand_store.query("compliance__by_period", FilterState(period_from="2023").sql_params())
    fig, table = figures.compliance_trend(by_period, t=t, lang="zh", title="达标率趋势", target=0.7)
    assert table["period"].tolist() == ["2023"]  # 2022 is outside the range
    assert list(fig.data[0].x) == ["2023年度"]
    assert list(fig.data[0].y) == [0.5]
    assert fig.layout.shapes[0].y0 == 0.7  # the target line
    fig, table = figures.compliance_trend(by_period.iloc[0:0], t=t, lang="zh", title="x", target=0.7)
    assert fig is None and table.empty


def test_tier_mix_stacks_every_configured_tier_in_english(hand_store):
    mix = hand_store.query("tiers__mix", FilterState().sql_params())

    def english(key, **values):
        return t(key, "en", **values)

    fig, table = figures.tier_mix(mix, t=english, lang="en", title="Tier mix", tiers=hand_store.tiers())
    assert [trace.name for trace in fig.data] == ["先进", "较好", "一般", "后进"]
    assert fig.layout.xaxis.title.text == "Period"
    assert int(table.loc[(table["period"] == "2023") & (table["tier"] == "一般"), "branches"].iloc[0]) == 2


def test_monthly_volunteer_draws_hours_and_person_times(hand_store):
    monthly = hand_store.query("volunteer__by_month", FilterState(period_from="2023").sql_params())
    fig = figures.monthly_volunteer(monthly, t=t, title="志愿服务时长（按月）")
    assert [trace.name for trace in fig.data] == ["服务时长（小时）", "人次"]
    assert list(fig.data[0].y) == [12.0, 6.0] and list(fig.data[1].y) == [5, 3]
    assert figures.monthly_volunteer(monthly.iloc[0:0], t=t, title="x") is None


def test_a_figure_and_its_table_are_made_once_per_rows_and_language(hand_store):
    """Every session on the same filters gets the same figure (branchboard.fingerprint.shared): keyed on the rows
    and the translator's language, never on which session's translator it was."""
    from branchboard.i18n import Translator

    monthly = hand_store.query("volunteer__by_month", FilterState(period_from="2023").sql_params())
    zh = figures.monthly_volunteer(monthly, t=Translator("zh"), title="按月")
    assert figures.monthly_volunteer(monthly.copy(), t=Translator("zh"), title="按月") is zh  # equal rows
    en = figures.monthly_volunteer(monthly, t=Translator("en"), title="按月")
    assert en is not zh and [trace.name for trace in en.data] != [trace.name for trace in zh.data]
    fewer = figures.monthly_volunteer(monthly.iloc[:1], t=Translator("zh"), title="按月")
    assert list(fewer.data[0].y) == [12.0]  # other rows, another figure
