"""English mode names tiers, checklist dimensions and items by the checklist's and the settings' English names;
a name without one is shown as the data has it, and the page says so (issue 13)."""

from __future__ import annotations

import json

import duckdb
import pytest
from ingest_helpers import csv_bytes
from streamlit.testing.v1 import AppTest

from branchboard import db
from branchboard import settings as S
from branchboard.ingest import commit, prepare
from branchboard.names import data_names
from branchboard.standards import DEFAULT_STANDARDS, DIMENSIONS_EN
from conftest import REPO, shown


def test_a_new_database_has_english_for_every_default_item_dimension_and_tier(tmp_path):
    store = db.Store(tmp_path / "new.duckdb")
    names = data_names(store, "en")
    checklist = store.query("standards__current")
    assert checklist["item_name_en"].notna().all() and checklist["dimension_en"].notna().all()
    assert names.tier_list(store.tiers()) == ["Advanced", "Good", "Average", "Lagging"]
    assert names.dimension("组织设置标准化") == DIMENSIONS_EN["A"]
    assert names.item("A3", "按期换届") == "Elections on time"
    assert not names.untranslated
    # Chinese mode shows the stored names untouched.
    zh = data_names(store, "zh")
    assert zh.tier("后进") == "后进" and zh.item("A3", "按期换届") == "按期换届"
    store.close()


def test_a_frame_is_named_in_english_and_a_name_without_english_is_kept_and_noted(hand_reader):
    names = data_names(hand_reader, "en")
    mix = hand_reader.query("tiers__mix", {})
    shown = names.frame(mix)
    assert set(shown["tier"]) <= {"Advanced", "Good", "Average", "Lagging"}
    assert list(mix["tier"]) != list(shown["tier"])  # the stored frame (shared with the cache) is not changed
    unknown = names.frame(mix.head(1).assign(tier="优秀"))
    assert unknown["tier"].tolist() == ["优秀"] and names.untranslated == {"优秀"}


def test_the_weakest_items_of_a_branch_are_named_in_english(demo_reader, hand_reader):
    period = demo_reader.query("common__periods")["period"].iloc[-1]
    results = demo_reader.query("compliance__branch_results", {"period": period})
    en = data_names(demo_reader, "en").frame(results)
    zh = data_names(demo_reader, "zh").frame(results)
    assert "weakest_item_codes" not in en.columns and "weakest_item_codes" not in zh.columns
    english = {r.item_code: r.item_name_en for r in DEFAULT_STANDARDS}
    first = results.iloc[0]
    assert en["weakest_items"].iloc[0] == ", ".join(f"{c} {english[c]}" for c in first["weakest_item_codes"])
    assert zh["weakest_items"].iloc[0] == first["weakest_items"]
    # A committee's own checklist without English names (the hand dataset's): its names as written, and noted.
    period = hand_reader.query("common__periods")["period"].iloc[-1]
    results = hand_reader.query("compliance__branch_results", {"period": period})
    names = data_names(hand_reader, "en")
    assert names.frame(results)["weakest_items"].iloc[0] == results["weakest_items"].iloc[0].replace("、", ", ")
    assert names.untranslated <= {"一项", "二项", "三项"} and names.untranslated


def test_a_database_from_before_the_english_names_gets_them_for_its_default_items_only(tmp_path):
    path = tmp_path / "old.duckdb"
    db.Store(path).close()
    conn = duckdb.connect(str(path))
    for table in ("standards", "replaced_standards"):
        conn.execute(f"alter table {table} drop column dimension_en")
        conn.execute(f"alter table {table} drop column item_name_en")
    conn.execute("update standards set item_name = '按时换届' where item_code = 'A3'")  # renamed by the committee
    conn.close()
    store = db.Store(path)
    names = data_names(store, "en")
    assert names.item("A1", "应建尽建") == "Branch in every unit"
    assert names.item("A3", "按时换届") == "按时换届" and names.untranslated == {"按时换届"}
    store.close()


CHECKLIST = [["项目编码", "维度", "项目名称", "满分", "一票否决", "英文维度", "英文名称"]]


@pytest.mark.parametrize("english", [True, False])
def test_an_imported_checklist_gives_its_english_names_or_falls_back_to_chinese(hand_store, english):
    rows = [
        [r.item_code, r.dimension, r.item_name, r.max_score, "否", r.dimension_en if english else "", ""]
        for r in DEFAULT_STANDARDS
    ]
    rows[0][6] = "Set up everywhere" if english else ""
    result = commit(hand_store, prepare(hand_store, "考核标准.csv", csv_bytes(CHECKLIST + rows), kind="standards"))
    assert result.ok, result.errors
    names = data_names(hand_store, "en")
    assert names.item("A1", "应建尽建") == ("Set up everywhere" if english else "应建尽建")
    assert names.item("A2", "班子健全") == "班子健全"  # no English name given for it in either file
    assert names.dimension("组织设置标准化") == ("Organization setup" if english else "组织设置标准化")
    assert "班子健全" in names.untranslated


def test_the_checklist_template_carries_the_english_names(demo_reader):
    from branchboard.ingest.templates import template_rows

    headers, rows = template_rows(demo_reader, "standards")
    assert headers[-2:] == ["英文维度", "英文名称"]
    assert rows[0][-2:] == ["Organization setup", "Branch in every unit"]


def test_english_tier_names_are_set_with_the_tiers_one_for_one(hand_store):
    base = S.SettingsInput(80, 0.6, 0.7, ("先进", "较好", "一般", "后进"))
    assert "settings.bad_tiers_en" in S.validate(hand_store, S.SettingsInput(**{**base.__dict__, "tiers_en": ("Top",)}))
    twice = ("Good", "Good", "Fair", "Weak")  # two tiers under one name would be drawn as one
    assert "settings.bad_tiers_en" in S.validate(hand_store, S.SettingsInput(**{**base.__dict__, "tiers_en": twice}))
    S.save(hand_store, S.SettingsInput(**{**base.__dict__, "tiers_en": ("Model", "Good", "Fair", "Weak")}))
    assert data_names(hand_store, "en").tier("后进") == "Weak"
    # Tiers changed without English names: English mode shows the tiers as stored, not the old names by position.
    S.save(hand_store, S.SettingsInput(80, 0.6, 0.7, ("先进", "较好", "一般", "后进", "整顿")))
    names = data_names(hand_store, "en")
    assert names.tier("后进") == "后进" and names.untranslated == {"后进"}


@pytest.mark.slow
def test_the_tiers_page_in_english_names_the_tiers_in_english(app_db, drawn_figures):
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=60)
    at.query_params["lang"] = "en"
    at.run()
    at.switch_page("pages/tiers.py").run()
    assert not at.exception
    labels = [shown(m.label) for m in at.metric]
    assert "Lifted (was Lagging)" in labels
    tabs = [shown(tab.label) for tab in at.tabs]
    assert any(label.startswith("Still Lagging") for label in tabs)
    traces = {trace.name for fig in drawn_figures for trace in fig.data if trace.type == "bar"}
    assert {"Advanced", "Good", "Average", "Lagging"} <= traces
    sankey = next(fig for fig in drawn_figures if any(s.type == "path" for s in fig.layout.shapes))
    labels = [note.text for note in sankey.layout.annotations]
    assert "Lagging (2)" in labels or any(label.startswith("Lagging") for label in labels)
    assert not any(ch in json.dumps(labels, ensure_ascii=False) for ch in "先进较好一般后进")
    assert not [c for c in at.caption if c.value.startswith("Shown as written in the data")]


@pytest.mark.slow
def test_the_compliance_page_in_english_names_dimensions_and_items_in_english(app_db, drawn_figures):
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=60)
    at.query_params["lang"] = "en"
    at.run()
    at.switch_page("pages/compliance.py").run()
    assert not at.exception
    heatmap = next(fig for fig in drawn_figures if fig.data and fig.data[0].type == "heatmap")
    assert {x.replace("<br>", " ") for x in heatmap.data[0].x} == set(DIMENSIONS_EN.values())
    below = next(d for d in at.dataframe if "Three weakest items" in d.value.columns)
    assert below.value["Three weakest items"].str.contains(r"[A-F]\d [A-Z]").all()


def test_a_checklist_giving_two_dimensions_one_english_name_is_refused(hand_store):
    rows = [[r.item_code, r.dimension, r.item_name, r.max_score, "否", r.dimension_en, ""] for r in DEFAULT_STANDARDS]
    rows[4][5] = rows[0][5]  # B1's dimension named as A's
    prepared = prepare(hand_store, "考核标准.csv", csv_bytes(CHECKLIST + rows), kind="standards")
    assert not prepared.ok
    clash = [i for i in prepared.errors if i.code == "dimension_en_clash"]
    assert clash and clash[0].column == "英文维度" and {i.row for i in clash} >= {2, 6}


def test_english_names_shared_by_two_stored_names_are_not_used(hand_store):
    with hand_store.transaction() as cur:  # as a database from before the checks might hold them
        cur.execute("update settings set value = 'Top,Top,Fair,Weak' where key = 'tiers_en'")
    names = data_names(hand_store, "en")
    assert names.tier("先进") == "先进" and names.tier("较好") == "较好" and names.tier("后进") == "Weak"


def test_a_checklist_sent_without_english_columns_keeps_the_english_of_its_unchanged_items(store):
    rows = [["项目编码", "维度", "项目名称", "满分", "一票否决"]]
    rows += [[r.item_code, r.dimension, r.item_name, r.max_score, "否"] for r in DEFAULT_STANDARDS]
    rows[3][2] = "按时换届"  # A3 renamed: a new name has no English one yet
    prepared = prepare(store, "考核标准.csv", csv_bytes(rows), kind="standards")
    changes = prepared.standards_preview["changes"]
    assert changes["item_code"].tolist() == ["A3"]  # only the real change is listed, not 24 lost English names
    assert commit(store, prepared).ok
    names = data_names(store, "en")
    assert names.item("A1", "应建尽建") == "Branch in every unit" and names.dimension("组织设置标准化") == "Organization setup"
    assert names.item("A3", "按时换届") == "按时换届"
