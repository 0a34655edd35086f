"""Stages 3–5: column aliases, value spellings, branch resolution and every validation message."""

from __future__ import annotations

import contextlib
import io
import json

import pandas as pd
import pytest
from ingest_helpers import csv_bytes, snapshot, xlsx_bytes

from branchboard import cli, ingest
from branchboard.ingest import values as V
from branchboard.ingest.columns import norm_header
from branchboard.standards import DEFAULT_STANDARDS


def cleaned(text: pd.Series) -> pd.Series:
    """The column as the pipeline hands it to the parsers: NFKC-folded and trimmed."""
    return pd.Series(V.clean_distinct(text.to_numpy(dtype=object))[1], index=text.index)


def messages(prepared, level="error"):
    return [i.message() for i in (prepared.errors if level == "error" else prepared.warnings)]


# -- values ------------------------------------------------------------------------------------------
def test_headers_compare_without_width_brackets_or_spaces():
    assert norm_header("服务时长（小时）") == norm_header("服务时长 (小时)") == norm_header(" 服务时长 ") == "服务时长"
    assert norm_header("ＡＢＣ＊") == "abc"


def test_numbers_full_width_as_text_and_with_units():
    values, bad = V.parse_number(pd.Series(["８５", " 85 ", "1,234.5", "3.5分", "", "八十", "85.0"]))
    assert values.tolist()[:4] == [85.0, 85.0, 1234.5, 3.5]
    assert values.iloc[6] == 85.0
    assert bad.tolist() == [False, False, False, False, False, True, False]


def test_every_date_form_and_excel_serials():
    text = pd.Series(
        ["2023-05-06", "2023/5/6", "2023.05.06", "2023年5月6日", "45052", "20230506", "2023-05-06 00:00:00", "45052.75"]
    )
    values, bad = V.parse_date(cleaned(text))
    assert not bad.any()
    assert {d.date().isoformat() for d in values} == {"2023-05-06"}
    values, bad = V.parse_date(pd.Series(["2023-02-30", "明天", "", "5/6/2023"]))
    assert bad.tolist() == [True, True, False, True]


def test_iso_dates_read_by_the_fast_path_equal_the_general_reading():
    """Plain ISO dates go through pandas' own parser (most of a large file's dates); every date, and every text
    that only looks like one, reads exactly as the general path reads it."""
    texts = ["2023-05-06", "2024-02-29", "2023-02-30", "0001-01-01", "9999-12-31", "2023-5-6", "2023/5/6", "45052"]
    texts += ["2023-05-06 00:00:00", "20230506", "2025", "", "明天", "2023-13-01"]
    for sample in (texts, texts[:2], texts[2:3]):
        text = pd.Series(sample, dtype=object)
        fast, general = V._to_date(text), V._to_date_general(text)
        assert fast.dtype == general.dtype
        assert [None if pd.isna(v) else v for v in fast] == [None if pd.isna(v) else v for v in general], sample


def test_marks_mean_full_marks_or_zero():
    value, is_mark = V.parse_marks(pd.Series(["√", "是", "达标", "×", "否", "未达标", "4"]))
    assert value.tolist()[:6] == [1, 1, 1, 0, 0, 0]
    assert is_mark.tolist() == [True] * 6 + [False]


def test_every_period_spelling():
    text = pd.Series(
        [
            "2023",
            "2023年",
            "2023年度",
            "2023上半年",
            "2023年下半年",
            "2023H1",
            "2023Q3",
            "2023年第三季度",
            "2023年3季度",
            "２０２３年度",
            "23年",
        ]
    )
    values, bad = V.parse_periods(cleaned(text))
    assert values.tolist()[:10] == [
        "2023",
        "2023",
        "2023",
        "2023-H1",
        "2023-H2",
        "2023-H1",
        "2023-Q3",
        "2023-Q3",
        "2023-Q3",
        "2023",
    ]
    assert bad.tolist() == [False] * 10 + [True]


# -- long assessments: periods in a column, names, marks, errors -------------------------------------------
def test_long_assessments_with_period_spellings_names_and_marks(demo_reader):
    rows = [
        ["考核期次", "党支部名称", "项目编码", "得分（分）"],
        ["2023年上半年", "市税务局机关第一党支部", "a1", "４"],
        ["2023H1", "市税务局机关第一党支部", "A2", "√"],
        ["2023年第三季度", "市公安局机关第一党支部", "D1", "×"],
        ["2023年3季度", "市公安局机关第一党支部", "F1", "3.5"],
    ]
    prepared = ingest.prepare(demo_reader, "long.csv", csv_bytes(rows, encoding="gbk"))
    assert (prepared.kind, prepared.shape) == ("assessments", "long")
    assert prepared.errors == []
    stored = prepared.frame.to_dict("records")
    assert stored == [
        {"period": "2023-H1", "branch_code": "SW001", "item_code": "A1", "score": 4.0},
        {"period": "2023-H1", "branch_code": "SW001", "item_code": "A2", "score": 4.0},
        {"period": "2023-Q3", "branch_code": "GA001", "item_code": "D1", "score": 0.0},
        {"period": "2023-Q3", "branch_code": "GA001", "item_code": "F1", "score": 3.5},
    ]


def test_assessment_errors_name_row_column_value_and_expectation(store):
    rows = [
        ["2024年度考核得分（长表）"],
        ["期次", "支部名称", "项目编码", "得分"],
        ["2024", "市税务局机关第一支部", "A1", "4"],
        ["2024", "市公安局机关第一党支部", "Z9", "4"],
        ["2024", "市公安局机关第一党支部", "D1", "８"],
        ["2024", "市公安局机关第一党支部", "A1", "优"],
        ["2024年", "市公安局机关第一党支部", "A2", "4"],
        ["2024", "市公安局机关第一党支部", "A2", "3"],
        ["去年", "市公安局机关第一党支部", "A3", "3"],
        ["2024", "", "A4", "3"],
    ]
    before = snapshot(store)
    prepared = ingest.prepare(store, "bad.csv", csv_bytes(rows))
    assert messages(prepared) == [
        "第 9 行，「期次」列，值“去年”：不是可识别的期次，应为 2023、2023年度、2023年上半年、2023H1、2023Q3 或 2023年第三季度",
        "第 10 行，「支部名称」列，值“”：不能为空，应填写支部名称",
        "第 3 行，「支部名称」列，值“市税务局机关第一支部”：支部名册中没有此支部名称，是否为：市税务局机关第一党支部、市税务局机关第二党支部、市教育局机关第一党支部？",
        "第 4 行，「项目编码」列，值“Z9”：不是考核标准中的项目，应为：" + "、".join(code for code, *_ in DEFAULT_STANDARDS),
        "第 6 行，「得分」列，值“优”：不是分数，应为数字或 √/×（√ 记满分，× 记 0 分）",
        "第 5 行，「得分」列，值“８”：超出范围，应为 0 至 5 之间的分数",
        "第 8 行，「支部名称」列，值“市公安局机关第一党支部”：与第 7 行重复：同一文件中每条记录（支部、期次、项目）只能出现一次",
    ]
    result = ingest.commit(store, prepared, "tests")
    assert not result.ok and snapshot(store) == before


def test_errors_are_capped_per_check_with_a_count(demo_reader):
    rows = [["期次", "支部编码", "档次"]] + [["2024", "SW001", "优秀"]] * 1 + [["2024", f"XX{i:03d}", "先进"] for i in range(30)]
    prepared = ingest.prepare(demo_reader, "many.csv", csv_bytes(rows))
    unknown = [e for e in prepared.errors if e.code.startswith("unknown_branch_code")]
    assert len(unknown) == 20
    assert [e.message() for e in prepared.errors if e.code == "more"] == ["「支部编码」列：同类问题还有 10 处（仅列出前 20 处）"]


# -- wide assessments: the committee's shape, to the right 达标率 -------------------------------------------
def _summary(path, *args) -> dict:
    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        assert cli.main(["summary", "--db", str(path), "--json", *args]) == 0
    return json.loads(buffer.getvalue())


@pytest.mark.slow
def test_a_committee_wide_sheet_imports_to_the_expected_compliance_rate(store):
    branches = store.cursor().execute("select branch_code, branch_name from branches order by branch_code").fetchall()
    codes = [c for c, *_ in DEFAULT_STANDARDS]
    header = ["序号", "支部编码", "支部名称", *codes, "总分"]
    rows = [["2024年度市直机关党支部标准化建设考核得分表"], header]
    for i, (code, name) in enumerate(branches):
        scores = [r.max_score for r in DEFAULT_STANDARDS]
        if i >= 30:  # these lose all of 组织生活严格化 (25 points): 75 < 80, not passed
            scores = [0 if c.startswith("D") else s for c, s in zip(codes, scores, strict=True)]
        total = sum(scores) if i != 5 else 99  # one 总分 typed wrong
        rows.append([i + 1, code, name, *["√" if s == 4 and i % 2 else s for s in scores], total])
    rows.append(["合计", "", "", *[""] * len(codes), ""])
    prepared = ingest.prepare(store, "2024年度考核得分.xlsx", xlsx_bytes({"得分": rows}))
    assert prepared.errors == []
    assert prepared.will_replace == len(branches) * 24  # the demo's 2024 scores
    assert messages(prepared, "warning") == [
        "已跳过 1 个合计/总计/小计行（第 51 行）",
        "文件没有期次列，按标题中的期次 2024 导入",
        "第 8 行，「总分」列，值“99”：总分与各项得分之和 100 不一致，以各项得分为准",
    ]
    result = ingest.commit(store, prepared, "tests")
    assert (result.rows, result.replaced) == (len(branches) * 24, len(branches) * 24)
    store.close()
    s = _summary(store.path, "--from", "2024", "--to", "2024")
    assert s["assessment"]["assessed"] == 48 and s["assessment"]["passed"] == 30
    assert s["assessment"]["compliance_rate"] == pytest.approx(30 / 48)
    assert s["assessment"]["mean_score"] == pytest.approx((30 * 100 + 18 * 75) / 48)


def test_wide_headers_by_name_and_code_plus_name(demo_reader):
    rows = [["支部编码", "A1应建尽建", "A2 班子健全", "按期换届", "划分小组（4分）"], ["SW001", "4", "3", "2", "1"]]
    prepared = ingest.prepare(demo_reader, "w.csv", csv_bytes(rows), period="2026")
    assert prepared.frame["item_code"].tolist() == ["A1", "A2", "A3", "A4"]
    assert prepared.frame["score"].tolist() == [4, 3, 2, 1]
    assert prepared.frame["period"].unique().tolist() == ["2026"]


def test_missing_period_is_an_error_naming_the_option(demo_reader):
    rows = [["支部编码", "A1", "A2"], ["SW001", "4", "3"]]
    prepared = ingest.prepare(demo_reader, "w.csv", csv_bytes(rows))
    assert messages(prepared) == ["文件没有期次列，标题中也未找到期次：请在“期次”框中填写，如 2023年度（命令行用 --period）"]


def test_a_chosen_period_other_than_the_titles_is_imported_with_a_warning(demo_reader):
    rows = [["2024年度党支部考核得分表"], ["支部编码", "A1", "A2"], ["SW001", "4", "3"]]
    chosen = ingest.prepare(demo_reader, "w.csv", csv_bytes(rows), period="2025年度")
    assert chosen.errors == [] and chosen.frame["period"].unique().tolist() == ["2025"]
    assert messages(chosen, "warning")[-1] == "所选期次 2025 与文件标题中的期次 2024 不一致，将按 2025 导入，请核实"
    same = ingest.prepare(demo_reader, "w.csv", csv_bytes(rows), period="2024")
    assert not any(w.code == "period_differs_from_title" for w in same.warnings)


def test_blank_item_cell_is_an_error(demo_reader):
    rows = [["支部编码", "A1", "A2"], ["SW001", "4", ""]]
    prepared = ingest.prepare(demo_reader, "w.csv", csv_bytes(rows), period="2026")
    assert messages(prepared) == ["第 2 行，「A2」列，值“”：不能为空，应填写得分或 √/×"]


# -- branches, names repeated across units, standards, tiers ---------------------------------------------
def test_roster_then_names_that_repeat_across_units(store):
    roster = [
        ["支部编码", "支部名称", "所属单位", "所属系统", "党员人数", "换届日期", "任期"],
        ["NEW01", "机关党支部", "市档案馆", "党群系统", "１２", "2023年5月6日", ""],
        ["NEW02", "机关党支部", "市地震局", "", "8", "45052", "5"],
    ]
    result = ingest.commit(store, ingest.prepare(store, "roster.csv", csv_bytes(roster)), "tests")
    assert result.ok and (result.rows, result.replaced) == (2, 0)
    rows = (
        store.cursor()
        .execute(
            "select branch_code, member_count, last_election_on::varchar, term_years from branches where branch_code like 'NEW%' order by 1"
        )
        .fetchall()
    )
    assert rows == [("NEW01", 12, "2023-05-06", 3), ("NEW02", 8, "2023-05-06", 5)]
    assert store.cursor().execute("select sector from units where unit_name = '市档案馆'").fetchall() == [("党群系统",)]

    tiers = [["期次", "支部名称", "档次"], ["2025", "机关党支部", "先进"]]
    prepared = ingest.prepare(store, "t.csv", csv_bytes(tiers))
    assert messages(prepared) == [
        "第 2 行，「支部名称」列，值“机关党支部”：多个单位有同名支部（市地震局、市档案馆），应增加“所属单位”列或改用支部编码"
    ]
    tiers = [
        ["期次", "单位", "支部名称", "档次"],
        ["2025", "市地震局", "机关党支部", "先进"],
        ["2025", "市档案馆", "机关党支部", "一般"],
    ]
    prepared = ingest.prepare(store, "t2.csv", csv_bytes(tiers))
    assert prepared.errors == []
    assert prepared.frame[["branch_code", "tier"]].values.tolist() == [["NEW02", "先进"], ["NEW01", "一般"]]


def test_names_and_notes_are_stored_as_written_and_still_found_in_either_width(store):
    roster = [
        ["支部编码", "支部名称", "所属单位", "党员人数", "支部书记"],
        ["NEW11", "机关第一党支部（二）", "市档案馆（筹）", "９", "张　三"],
    ]
    assert ingest.commit(store, ingest.prepare(store, "roster.csv", csv_bytes(roster)), "tests").ok
    stored = store.cursor().execute("select branch_name, unit_name, secretary from branches where branch_code = 'NEW11'")
    assert stored.fetchall() == [("机关第一党支部（二）", "市档案馆（筹）", "张　三")]  # full-width kept
    # A later file writes the brackets half-width: the branch is still found by name.
    tiers = [["期次", "支部名称", "档次", "荣誉称号"], ["2025", "机关第一党支部(二)", "先进", "“红旗党支部”（市级）"]]
    prepared = ingest.prepare(store, "t.csv", csv_bytes(tiers))
    assert prepared.errors == []
    assert prepared.frame[["branch_code", "honors"]].values.tolist() == [["NEW11", "“红旗党支部”（市级）"]]
    volunteer = [
        ["活动日期", "支部编码", "活动名称", "服务时长", "服务对象"],
        ["2025-03-01", "NEW11", "社区服务（一）", "２", "Ｘ社区"],
    ]
    frame = ingest.prepare(store, "v.csv", csv_bytes(volunteer)).frame
    assert frame[["activity", "partner", "hours"]].values.tolist() == [["社区服务（一）", "Ｘ社区", 2.0]]


def test_roster_errors(demo_reader):
    roster = [["支部编码", "支部名称", "所属单位", "党员人数"], ["N1", "甲支部", "某局", "-1"], ["N1", "乙支部", "某局", "3.5"]]
    prepared = ingest.prepare(demo_reader, "r.csv", csv_bytes(roster))
    assert messages(prepared) == [
        "第 2 行，「党员人数」列，值“-1”：党员人数应为 ≥ 0 的整数",
        "第 3 行，「党员人数」列，值“3.5”：党员人数应为 ≥ 0 的整数",
        "第 3 行，「支部编码」列，值“N1”：与第 2 行重复：同一文件中每条记录（支部、期次、项目）只能出现一次",
    ]


def test_missing_required_column_lists_accepted_headers(demo_reader):
    prepared = ingest.prepare(
        demo_reader, "v.csv", csv_bytes([["日期", "支部编码", "活动名称"], ["2024-01-01", "SW001", "x"]]), kind="volunteer"
    )
    assert messages(prepared) == ["缺少“服务时长（小时）”列（可用列名：服务时长、时长、志愿服务时长、小时数、时数、服务小时）"]


def test_standards_replace_the_whole_checklist_and_unknown_tiers_list_the_allowed(store):
    rows = [
        ["项目编码", "维度", "项目名称", "满分", "一票否决"],
        ["X1", "甲", "一项", "60", "否"],
        ["X2", "乙", "二项", "40", "是"],
    ]
    prepared = ingest.prepare(store, "s.csv", csv_bytes(rows), kind="standards")  # asked for: it replaces the checklist
    assert prepared.kind == "standards" and prepared.will_replace == 24
    assert prepared.warnings[0].code == "standards_drop_items"
    result = ingest.commit(store, prepared, "tests")
    assert result.replaced == 24
    assert store.cursor().execute("select item_code, max_score, veto from standards order by 1").fetchall() == [
        ("X1", 60.0, False),
        ("X2", 40.0, True),
    ]
    tiers = [["期次", "支部编码", "档次"], ["2025", "SW001", "优秀"]]
    assert messages(ingest.prepare(store, "t.csv", csv_bytes(tiers))) == [
        "第 2 行，「档次」列，值“优秀”：不是设定的档次，应为：先进、较好、一般、后进"
    ]


# -- volunteer ---------------------------------------------------------------------------------------------
def test_volunteer_values_and_checks(demo_reader):
    rows = [
        ["活动日期", "党支部", "活动名称", "服务时长（小时）", "参与人次", "服务对象"],
        ["2023/5/6", "市税务局机关第一党支部", "社区普法讲座", "６", "3", "东城街道"],
        ["2023.05.06", "市税务局机关第一党支部", "社区普法讲座", "6", "3", "东城街道"],
        ["2023年5月6日", "市公安局机关第一党支部", "文明交通劝导", "13", "", ""],
        ["45052", "市公安局机关第一党支部", "文明交通劝导", "0", "1", ""],
        ["2023-05-06", "市公安局机关第一党支部", "文明交通劝导", "30", "1", ""],
        ["2023-05-32", "市公安局机关第一党支部", "文明交通劝导", "2", "0", ""],
    ]
    prepared = ingest.prepare(demo_reader, "v.csv", csv_bytes(rows, delimiter=";"))
    assert prepared.kind == "volunteer"
    assert messages(prepared) == [
        "第 7 行，「活动日期」列，值“2023-05-32”：不是可识别的日期，应为 2023-05-06、2023/5/6、2023.05.06 或 2023年5月6日",
        "第 7 行，「参与人次」列，值“0”：人次应为 ≥ 1 的整数",
        "第 5 行，「服务时长（小时）」列，值“0”：服务时长应大于 0",
        "第 6 行，「服务时长（小时）」列，值“30”：服务时长超过 24 小时 × 人次（1 人次最多 24 小时）",
    ]
    assert messages(prepared, "warning") == [
        "第 4 行，「服务时长（小时）」列，值“13”：每人次服务时长超过 12 小时，请核实",
        "有 1 行与前面某行完全相同（第 3 行），仍将导入，请核实是否重复登记",
    ]
    good = ingest.prepare(demo_reader, "v.csv", csv_bytes(rows[:4]))
    assert good.errors == []
    assert good.frame["activity_date"].dt.strftime("%Y-%m-%d").tolist() == ["2023-05-06"] * 3
    assert good.frame["person_times"].tolist() == [3, 3, 1]
    assert good.frame["hours"].tolist() == [6.0, 6.0, 13.0]


def test_volunteer_person_times_must_be_a_whole_finite_number(demo_reader):
    rows = [
        ["活动日期", "党支部", "活动名称", "服务时长（小时）", "参与人次"],
        ["2023-05-06", "市税务局机关第一党支部", "社区普法讲座", "2", "1.5"],
        ["2023-05-06", "市税务局机关第一党支部", "社区普法讲座", "2", "inf"],
        ["2023-05-06", "市税务局机关第一党支部", "社区普法讲座", "2", "2"],
    ]
    prepared = ingest.prepare(demo_reader, "v.csv", csv_bytes(rows))
    assert messages(prepared) == [
        "第 2 行，「参与人次」列，值“1.5”：人次应为 ≥ 1 的整数",
        "第 3 行，「参与人次」列，值“inf”：人次应为 ≥ 1 的整数",
    ]
