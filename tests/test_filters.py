"""Filter state from URL parameters: valid values kept, anything else dropped with a note."""

from branchboard.filters import MAX_PARAM_LENGTH, FilterOptions, FilterState

OPTIONS = FilterOptions(
    periods=("2022", "2023"),
    units=("市税务局", "市气象局"),
    sectors=("政法系统",),
    tiers=("先进", "后进"),
    branches=("SW001",),
)


def test_round_trip_through_query_params():
    state = FilterState(
        period_from="2022",
        period_to="2023",
        units=("市税务局", "市气象局"),
        tiers=("后进",),
        branch="SW001",
        lang="en",
        mode="meeting",
    )
    params = {k: v if isinstance(v, list) else [v] for k, v in state.to_query_params().items()}
    assert FilterState.from_query_params(params, OPTIONS) == state
    assert FilterState().to_query_params() == {}


def test_unknown_and_hostile_values_are_dropped_with_notes():
    params = {
        "unit": ["市税务局", "x'); drop table branches; --", "不存在"],
        "from": ["2099"],
        "tier": ["A" * (MAX_PARAM_LENGTH + 1)],
        "lang": ["fr"],
        "mode": ["<script>"],
        "branch": ["nope"],
    }
    state = FilterState.from_query_params(params, OPTIONS)
    assert state.units == ("市税务局",)
    assert state.period_from is None and state.tiers == () and state.lang == "zh" and state.mode is None
    assert state.branch is None
    assert len(state.notes) == 7


def test_from_after_to_is_ignored():
    state = FilterState.from_query_params({"from": ["2023"], "to": ["2022"]}, OPTIONS)
    assert (state.period_from, state.period_to) == (None, None)
    assert state.notes


def test_period_spellings_in_the_url_are_normalised():
    assert FilterState.from_query_params({"from": ["2022年度"]}, OPTIONS).period_from == "2022"


def test_sql_params_use_null_for_all():
    p = FilterState().sql_params()
    assert p["units"] is None and p["date_from"] is None
    p = FilterState(units=("市税务局",), period_from="2022", period_to="2023").sql_params()
    assert p["units"] == ["市税务局"] and str(p["date_from"]) == "2022-01-01" and str(p["date_to"]) == "2023-12-31"
