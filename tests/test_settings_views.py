"""Settings take effect everywhere; saved views are stored and decoded safely."""

from branchboard import settings as S
from branchboard import views
from branchboard.filters import FilterState
from branchboard.metrics import overview_summary


def test_parse_tiers_accepts_chinese_separators():
    assert S.parse_tiers("好，较好、一般, 较差") == ("好", "较好", "一般", "较差")


def test_validation(hand_store):
    ok = S.SettingsInput(80, 0.6, 0.7, ("先进", "较好", "一般", "后进"))
    assert S.validate(hand_store, ok) == []
    assert "settings.bad_pass_score" in S.validate(hand_store, S.SettingsInput(120, 0.6, 0.7, ok.tiers))
    assert "settings.bad_ratio" in S.validate(hand_store, S.SettingsInput(80, 1.5, 0.7, ok.tiers))
    assert "settings.bad_tiers" in S.validate(hand_store, S.SettingsInput(80, 0.6, 0.7, ("好", "好")))
    # the hand dataset uses 先进/较好/一般/后进: renaming the best and worst tiers would orphan ratings
    assert sorted(S.tiers_in_use_but_missing(hand_store, ("好", "较好", "一般", "较差"))) == sorted(["先进", "后进"])


def test_saving_settings_changes_the_figures(hand_store):
    before = overview_summary(hand_store, FilterState())["assessment"]["passed"]
    S.save(hand_store, S.SettingsInput(86, 0.6, 0.8, ("先进", "较好", "一般", "后进")))
    assert hand_store.settings()["pass_score"] == "86"
    assert hand_store.settings()["compliance_target"] == "0.8"
    assert overview_summary(hand_store, FilterState())["assessment"]["passed"] == before - 1


def test_saved_views_round_trip(hand_store):
    query = views.encode_query({"unit": ["U1", "U2"], "from": "2023"})
    assert views.save_view(hand_store, "税务口 2023", "overview", query, "ip:10.0.0.1") == views.SAVED
    # Someone else (or the same client) saving under the same name overwrites nothing.
    again = views.save_view(hand_store, "税务口 2023", "overview", views.encode_query({"unit": "U1"}), "ip:10.0.0.2")
    assert again == views.EXISTS
    saved = hand_store.query("common__saved_views")
    assert saved["name"].tolist() == ["税务口 2023"]
    assert views.decode_query(saved["query"][0]) == {"unit": ["U1", "U2"], "from": ["2023"]}
    views.delete_view(hand_store, "税务口 2023")
    assert hand_store.query("common__saved_views").empty


def test_view_names_are_checked():
    assert views.clean_name("  两会   专题 ") == "两会 专题"
    assert views.clean_name("   ") is None
    assert views.clean_name("长" * 41) is None


def test_one_client_saves_a_bounded_number_of_views_an_hour(hand_store):
    for i in range(views.MAX_PER_HOUR):
        assert views.save_view(hand_store, f"视图{i}", "overview", "", "session:abc") == views.SAVED
    assert views.save_view(hand_store, "再多一个", "overview", "", "session:abc") == views.TOO_MANY
    assert views.save_view(hand_store, "别人的", "overview", "", "ip:10.0.0.9") == views.SAVED  # others are not held up
