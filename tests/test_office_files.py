"""Files written by a real office suite (LibreOffice Calc, tests/office/): every figure a committee publishes equals
an independent exact computation (tests/office/files/expected.json, Decimal arithmetic), in every format.

A committee's data — roster, two years of decimal scores with branches exactly on the pass line, tiers, volunteer
records — is imported the way a data officer would, one format at a time, into a fresh database.
"""

from __future__ import annotations

import json
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest

from branchboard import db, ingest
from branchboard.filters import FilterState
from branchboard.metrics import overview_summary

pytestmark = pytest.mark.slow

FILES = Path(__file__).resolve().parent / "office" / "files"
EXPECTED = json.loads((FILES / "expected.json").read_text(encoding="utf-8"))
FORMATS = ("xlsx", "xls", "ods", "gbk.csv", "utf16.csv", "utf8.csv")


def import_file(store: db.Store, name: str, **options) -> ingest.ImportResult:
    prepared = ingest.prepare(store, name, (FILES / name).read_bytes(), **options)
    assert prepared.ok, [e.message() for e in prepared.errors]
    result = ingest.commit(store, prepared, imported_by="tests")
    assert result.ok, [e.message() for e in result.errors]
    return result


@pytest.fixture(scope="module", params=FORMATS)
def committee(request, tmp_path_factory):
    """A fresh database holding the corpus's committee, every file in one format."""
    fmt = request.param
    store = db.Store(tmp_path_factory.mktemp(f"office_{fmt.replace('.', '_')}") / "office.duckdb")
    import_file(store, f"roster.{fmt}")
    import_file(store, f"scores_2023.{fmt}")
    import_file(store, f"scores_2024.{fmt}")
    import_file(store, f"tiers.{fmt}")
    import_file(store, f"volunteer.{fmt}")
    yield fmt, store
    store.close()


def exact(store: db.Store, sql: str, params: dict | None = None):
    return store.cursor().execute(sql, params or {}).fetchall()


@pytest.mark.parametrize("period", ["2023", "2024"])
def test_compliance_equals_the_exact_computation(committee, period):
    _, store = committee
    want = EXPECTED["datasets"][f"assessments_{period}"]
    summary = overview_summary(store, FilterState(period_from=period, period_to=period))["assessment"]
    assert summary["period"] == period
    assert (summary["assessed"], summary["passed"]) == (want["assessed"], want["passed"])
    assert Fraction(summary["passed"], summary["assessed"]) == Fraction(want["compliance_fraction"])
    passed = {
        code for (code,) in exact(store, "select branch_code from assessment_results where period = $p and passed", {"p": period})
    }
    assert passed == set(want["passed_branches"])
    line = want["at_the_line"]
    assert set(line["exactly_80"]) <= passed  # 80 made of decimals passes at 80, whatever the order of summation
    assert set(line["exactly_80_01"]) <= passed
    assert not set(line["exactly_79_99"]) & passed


@pytest.mark.parametrize("period", ["2023", "2024"])
def test_item_pass_rates_and_totals_are_exact(committee, period):
    _, store = committee
    want = EXPECTED["datasets"][f"assessments_{period}"]
    summary = overview_summary(store, FilterState(period_from=period, period_to=period))["assessment"]
    for item, met in want["item_pass_counts"].items():
        assert summary["item_pass_rate"][item] == met / want["assessed"], item
    assert summary["weakest_items"] == want["weakest_items"]
    totals = dict(
        exact(store, "select branch_code, total_score::varchar from assessment_totals where period = $p", {"p": period})
    )
    assert {k: Decimal(v) for k, v in totals.items()} == {k: Decimal(v) for k, v in want["totals"].items()}


def test_volunteer_totals_are_exact(committee):
    _, store = committee
    want = EXPECTED["datasets"]["volunteer_all"]
    ((hours, person_times, rows),) = exact(
        store, "select sum(hours)::varchar, sum(person_times), count(*) from volunteer_records"
    )
    assert Decimal(hours) == Decimal(want["total_hours"])
    assert (person_times, rows) == (want["person_times"], want["rows"])
    summary = overview_summary(store, FilterState())["volunteer"]
    assert summary["activities"] == want["activities"]
    assert Decimal(str(summary["hours"])) == Decimal(want["total_hours"])


def test_tier_counts_and_movement(committee):
    _, store = committee
    want = EXPECTED["datasets"]["tiers"]
    for period, figures in want["periods"].items():
        counts = dict(exact(store, "select tier, count(*) from tier_ratings where period = $p group by 1", {"p": period}))
        assert counts == figures["tier_counts"], period
    tiers = overview_summary(store, FilterState(period_from="2023", period_to="2024"))["tiers"]
    moved = want["movement_2023_to_2024"]
    assert (tiers["promoted"], tiers["demoted"], tiers["unchanged"]) == (moved["promoted"], moved["demoted"], moved["unchanged"])


# -- workbooks shaped as offices shape them --------------------------------------------------------------------------
WORKBOOKS = ("xlsx", "xls", "ods")


@pytest.fixture
def roster_only(tmp_path):
    store = db.Store(tmp_path / "shapes.duckdb")
    import_file(store, "roster.xlsx")
    yield store
    store.close()


def standards_snapshot(store: db.Store) -> list[tuple]:
    return exact(store, "select item_code, dimension, item_name, max_score::varchar, veto from standards order by all")


def compliance(store: db.Store, period: str) -> tuple[int, int]:
    a = overview_summary(store, FilterState(period_from=period, period_to=period))["assessment"]
    return a["assessed"], a["passed"]


@pytest.mark.parametrize("fmt", [*WORKBOOKS, "gbk.csv"])
def test_a_title_row_and_a_total_row(roster_only, fmt):
    result = import_file(roster_only, f"a_title_total_2024.{fmt}")  # the period comes from the title
    want = EXPECTED["datasets"]["assessments_2024"]
    assert compliance(roster_only, "2024") == (want["assessed"], want["passed"])
    assert any("合计" in w.message() for w in result.warnings)


@pytest.mark.parametrize("fmt", WORKBOOKS)
def test_a_checklist_sheet_first_imports_the_scores_and_leaves_the_checklist(roster_only, fmt):
    # The committee's checklist has a veto item (D4 民主评议); the unit's workbook carries the plain 24 items first.
    with roster_only.transaction() as cur:
        cur.execute("update standards set veto = true where item_code = 'D4'")
    before = standards_snapshot(roster_only)
    result = import_file(roster_only, f"b_standards_first_2024.{fmt}")
    assert result.kind == "assessments" and result.rows == 40 * 24
    assert standards_snapshot(roster_only) == before
    assert compliance(roster_only, "2024")[0] == EXPECTED["datasets"]["assessments_2024"]["assessed"]


@pytest.mark.parametrize("fmt", WORKBOOKS)
def test_a_two_sheet_volunteer_workbook_brings_in_every_row(roster_only, fmt):
    result = import_file(roster_only, f"c_volunteer_halves_2024.{fmt}")
    want = EXPECTED["datasets"]["volunteer_2024"]
    assert result.rows == want["rows"]
    (hours,) = exact(roster_only, "select sum(hours)::varchar from volunteer_records")[0]
    assert Decimal(hours) == Decimal(want["total_hours"])


@pytest.mark.parametrize("fmt", [*WORKBOOKS, "gbk.csv"])
def test_average_rows_and_signature_lines_are_not_data(roster_only, fmt):
    result = import_file(roster_only, f"d_footers_2023.{fmt}")
    want = EXPECTED["datasets"]["assessments_2023"]
    assert result.rows == want["assessed"] * 24
    assert compliance(roster_only, "2023") == (want["assessed"], want["passed"])
    warned = " ".join(w.message() for w in result.warnings)
    assert "40、41、42" in warned and "44" in warned


@pytest.mark.parametrize("fmt", WORKBOOKS)
def test_a_unit_merged_down_over_its_branches(tmp_path, fmt):
    store = db.Store(tmp_path / "merged.duckdb")
    import_file(store, f"e_roster_merged.{fmt}")
    by_unit = dict(exact(store, "select unit_name, count(*) from branches group by 1"))
    assert by_unit == EXPECTED["datasets"]["branches"]["branches_by_unit"]
    store.close()


@pytest.mark.parametrize("fmt", WORKBOOKS)
def test_hidden_rows_are_imported_with_a_warning_in_every_format(roster_only, fmt):
    result = import_file(roster_only, f"f_volunteer_hidden_2023.{fmt}")
    assert result.rows == EXPECTED["datasets"]["volunteer_2023"]["rows"]
    hidden = [w.message() for w in result.warnings if w.code == "hidden_rows"]
    assert hidden and "9、10、152" in hidden[0]


# -- sheets one by one, and the checklist --------------------------------------------------------------------------
def test_a_second_sheet_is_not_a_repeat_of_the_first_but_the_same_sheet_twice_is(roster_only):
    data = (FILES / "c_volunteer_halves_2024.xlsx").read_bytes()
    first = ingest.prepare(roster_only, "halves.xlsx", data, sheet="上半年")
    assert ingest.commit(roster_only, first).ok
    second = ingest.prepare(roster_only, "halves.xlsx", data, sheet="下半年")
    assert second.ok, [e.message() for e in second.errors]
    assert ingest.commit(roster_only, second).ok
    again = ingest.prepare(roster_only, "halves.xlsx", data, sheet="上半年")
    assert [e.code for e in again.errors] == ["same_file"]
    # Both halves together after each was imported alone: each sheet is named as imported before.
    both = ingest.prepare(roster_only, "halves.xlsx", data)
    assert sorted(e.code for e in both.errors) == ["same_file", "same_file"]
    assert {e.sheet for e in both.errors} == {"上半年", "下半年"}


def test_the_command_line_takes_sheets_and_says_what_it_skipped(roster_only, capsys):
    import json as json_module

    from branchboard import cli

    path = roster_only.path
    roster_only.close()
    data = str(FILES / "b_standards_first_2024.ods")
    assert cli.main(["import", data, "--db", str(path), "--json"]) == 0
    report = json_module.loads(capsys.readouterr().out)
    assert report["sheets"]["imported"] == ["2024年度得分"]
    assert report["sheets"]["skipped"][0]["sheet"] == "评分标准" and "考核标准" in report["sheets"]["skipped"][0]["reason"]
    halves = str(FILES / "c_volunteer_halves_2024.xls")
    assert cli.main(["import", halves, "--db", str(path), "--sheet", "下半年", "--sheet", "上半年", "--json"]) == 0
    assert json_module.loads(capsys.readouterr().out)["rows"] == EXPECTED["datasets"]["volunteer_2024"]["rows"]
    assert cli.main(["import", halves, "--db", str(path), "--sheet", "上半年", "--all-sheets"]) == 2


def test_replacing_the_checklist_is_asked_for_shown_and_undone_exactly(roster_only):
    import_file(roster_only, "scores_2024.xlsx")
    before_standards = standards_snapshot(roster_only)
    before_rate = compliance(roster_only, "2024")
    data = (FILES / "b_standards_first_2024.xlsx").read_bytes()
    # As a unit sends it, the checklist sheet is not the committee's checklist.
    assert "standards_need_choice" in [e.code for e in ingest.prepare(roster_only, "b.xlsx", data, sheet="评分标准").errors]
    # Asked for, with one item made a veto item: the preview says what changes and whose 达标率 moves.
    from branchboard.ingest import pipeline

    prepared = ingest.prepare(roster_only, "b.xlsx", data, kind="standards", sheet="评分标准")
    prepared.frame.loc[prepared.frame["item_code"] == "D4", "veto"] = True
    pipeline._preview_standards(roster_only, prepared, prepared.frame)
    changes = prepared.standards_preview["changes"]
    assert changes.to_dict("records") == [
        {"item_code": "D4", "change": "changed", "before": "民主评议（5 分）", "after": "民主评议（5 分，一票否决）"}
    ]
    moved = prepared.standards_preview["periods"]
    if not moved.empty:
        assert moved.iloc[0]["passed_before"] == before_rate[1]
    result = ingest.commit(roster_only, prepared)
    assert result.ok and standards_snapshot(roster_only) != before_standards
    ingest.undo(roster_only, result.batch_id)
    assert standards_snapshot(roster_only) == before_standards
    assert compliance(roster_only, "2024") == before_rate


def test_legacy_exports_an_old_system_names_xls_are_read(tmp_path):
    """Excel 2003 XML and an HTML table, both saved as .xls, as some government systems still export them."""
    store = db.Store(tmp_path / "legacy.duckdb")
    roster = import_file(store, "roster.2003xml.xls")
    assert roster.rows == EXPECTED["datasets"]["branches"]["branches"]
    by_unit = dict(exact(store, "select unit_name, count(*) from branches group by 1"))
    assert by_unit == EXPECTED["datasets"]["branches"]["branches_by_unit"]
    tiers = import_file(store, "tiers.html.xls")
    for period, figures in EXPECTED["datasets"]["tiers"]["periods"].items():
        counts = dict(exact(store, "select tier, count(*) from tier_ratings where period = $p group by 1", {"p": period}))
        assert counts == figures["tier_counts"], period
    assert tiers.rows == sum(f["rated"] for f in EXPECTED["datasets"]["tiers"]["periods"].values())
    store.close()


def test_xml_that_is_not_a_workbook_is_named_for_what_it_is(roster_only):
    prepared = ingest.prepare(roster_only, "导出.xls", b'<?xml version="1.0"?><report><row>1</row></report>')
    assert [e.code for e in prepared.errors] == ["xml_file"]


@pytest.mark.parametrize("fmt", WORKBOOKS)
def test_a_total_row_is_checked_against_the_data(roster_only, fmt):
    """LibreOffice's =SUM() in the 合计 row agrees with the rows; a unit that deletes a row sees the total differ."""
    result = import_file(roster_only, f"a_title_total_2024.{fmt}")
    assert not [w for w in result.warnings if w.code == "total_row_differs"]
    # The same sheet with one branch's row taken out, its total left as it was.
    data = (FILES / "a_title_total_2024.gbk.csv").read_bytes().decode("gbk").splitlines()
    shortened = "\n".join(data[:5] + data[6:]).encode("gbk")
    prepared = ingest.prepare(roster_only, "少一行.csv", shortened)
    differs = [w for w in prepared.warnings if w.code == "total_row_differs"]
    assert differs and differs[0].row == 42  # the 合计 row, one up now
