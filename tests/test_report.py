"""The Word report (通报): its figures read back out of the document equal `summary --json` and the pages' queries
for the same filters; its sentences handle zero and one; it is laid out as a government document, opens in
python-docx and converts to PDF in LibreOffice; names stay text; without a browser it still goes out.

Reports with charts take a few seconds each (kaleido starts Chromium): those tests are marked slow.
"""

from __future__ import annotations

import contextlib
import dataclasses
import io
import json
import re
import shutil
import subprocess
from pathlib import Path

import docx
import pandas as pd
import pytest
from docx.oxml.ns import qn

from branchboard import cli, db, metrics
from branchboard.filters import FilterState
from branchboard.i18n import fmt_hours
from branchboard.report import facts as report_facts
from branchboard.report import images, text
from conftest import DEMO_TODAY

FILTERED = ("--from", "2024", "--to", "2025", "--unit", "市公安局", "--unit", "市司法局")
VIEWS = {"all": (), "filtered": FILTERED}


def run(*args: str) -> tuple[int, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = cli.main(list(args))
    return code, out.getvalue() + err.getvalue()


def summary(path: Path, *filters: str) -> dict:
    code, out = run("summary", "--db", str(path), "--json", *filters)
    assert code == 0
    return json.loads(out)


@pytest.fixture(scope="module")
def reports(tmp_path_factory, demo_db_path):
    """The demo's report for every view (zh, and the filtered one in English too) with its summary --json."""
    folder = tmp_path_factory.mktemp("report")
    path = folder / "demo.duckdb"
    shutil.copy(demo_db_path, path)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("BRANCHBOARD_TODAY", DEMO_TODAY.isoformat())
        out = {}
        for name, filters in VIEWS.items():
            for lang in ("zh", "en") if name == "filtered" else ("zh",):
                target = folder / f"{name}-{lang}.docx"
                code, said = run("report", "--db", str(path), "--lang", lang, "--out", str(target), *filters)
                assert code == 0, said
                assert "report written" in said and "warning" not in said
                out[(name, lang)] = (target, summary(path, *filters))
    db.close_all()
    return path, out


def section_texts(document: docx.document.Document) -> dict[str, list[str]]:
    """Body paragraphs under each level-1 heading (captions and pictures left out)."""
    sections: dict[str, list[str]] = {}
    current = None
    for p in document.paragraphs:
        if p.style.name == "Heading 1":
            current = p.text
            sections[current] = []
        elif current is not None and p.style.name == "Normal" and p.text.strip():
            sections[current].append(p.text)
    return sections


def figure(pattern: str, text_: str) -> tuple[str, ...]:
    found = re.search(pattern, text_)
    assert found, f"{pattern!r} not in {text_!r}"
    return found.groups()


def said_count(text_: str, word: str) -> int:
    """ "晋位5个" is 5; "无支部晋位" is 0."""
    if f"无支部{word}" in text_:
        return 0
    return int(figure(rf"{word}(\d+)个", text_)[0])


def number(text_: str) -> float:
    return float(text_.replace(",", ""))


# -- the figures ----------------------------------------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize("view", VIEWS)
def test_the_texts_figures_equal_summary_json(reports, view):
    _, out = reports
    path, expected = out[(view, "zh")]
    sections = section_texts(docx.Document(str(path)))
    compliance, tiers, volunteer = (" ".join(sections[h]) for h in list(sections)[:3])
    a, v, t = expected["assessment"], expected["volunteer"], expected["tiers"]

    branches, assessed, passed, rate = figure(
        r"现有党支部(\d+)个。\S+?参加标准化规范化建设考核(\d+)个，达标(\d+)个，达标率([\d.]+)%", compliance
    )
    assert (int(branches), int(assessed), int(passed)) == (expected["branches"], a["assessed"], a["passed"])
    assert rate == f"{a['compliance_rate'] * 100:.1f}"
    assert figure(r"平均得分([\d.]+)分", compliance)[0] == f"{a['mean_score']:.1f}"
    named = re.findall(r"“([A-Z]\d+) [^”]*”（达标比例([\d.]+)%）", compliance)
    assert [code for code, _ in named] == [c for c in a["weakest_items"] if a["item_pass_rate"][c] < 1]
    assert all(r == f"{a['item_pass_rate'][c] * 100:.1f}" for c, r in named)

    for tier, n in t["counts"].items():
        if n:
            assert f"{tier}{n}个" in tiers
    moves = tuple(said_count(tiers, word) for word in ("晋位", "降档", "持平"))
    assert moves == (t["promoted"], t["demoted"], t["unchanged"])

    person_times, hours, activities, per_member = figure(
        r"参加志愿服务([\d,]+)人次，累计服务([\d,.]+)小时，开展活动([\d,]+)次，人均服务([\d.]+)小时", volunteer
    )
    assert number(person_times) == v["person_times"] and number(activities) == v["activities"]
    assert number(hours) == v["hours"]  # exact: hours are stored to the cent and printed without rounding
    assert per_member == f"{v['hours_per_member']:.1f}"


def _shown_figures(store: db.Store, state: FilterState, expected: dict) -> set[str]:
    """Every figure the dashboard shows for these filters that the report may state, formatted as it shows them."""
    params = state.sql_params()
    a, v, t = expected["assessment"], expected["volunteer"], expected["tiers"]
    shown = {str(expected["branches"]), str(a["assessed"]), str(a["passed"]), f"{a['mean_score']:.1f}"}
    shown |= {f"{r * 100:.1f}" for r in a["item_pass_rate"].values()} | {f"{a['compliance_rate'] * 100:.1f}"}
    by_period = store.query("compliance__by_period", params)
    rows = by_period.set_index("period")
    periods = list(rows.index)
    i = periods.index(a["period"])
    if i > 0:  # the Overview's KPI deltas
        before = rows.loc[periods[i - 1]]
        shown.add(f"{abs(a['compliance_rate'] - before['compliance_rate']) * 100:.1f}")
        shown.add(f"{abs(a['mean_score'] - before['mean_score']):.1f}")
    settings = store.settings()
    shown |= {f"{float(settings['compliance_target']) * 100:.1f}", f"{float(settings['pass_score']):.1f}"}
    by_unit = store.query("compliance__by_unit", {**params, "period": a["period"]})
    shown |= {f"{r * 100:.1f}" for r in by_unit["compliance_rate"]} | {str(len(by_unit))}
    results = store.query("compliance__branch_results", {**params, "period": a["period"]})
    shown.add(str(int((~results["passed"]).sum())))
    shown |= {str(n) for n in t["counts"].values()} | {str(t[k]) for k in ("promoted", "demoted", "unchanged")}
    shown.add(str(t["promoted"] + t["demoted"] + t["unchanged"]))  # the Tiers page's "N branches compared"
    mix = store.query("tiers__mix", params)
    tier_periods = mix.drop_duplicates("period")["period"].tolist()
    before_tier = tier_periods[tier_periods.index(t["period"]) - 1]
    moves = store.query("tiers__movement", {**params, "period_before": before_tier, "period_after": t["period"]})
    worst = store.tiers()[-1]
    shown |= {str(int((moves["tier_before"] == worst).sum())), str(int(moves["lifted_from_worst"].sum()))}
    shown.add(str(int(((moves["tier_before"] == worst) & (moves["tier_after"] == worst)).sum())))
    shown |= {f"{v['person_times']:,}", f"{v['activities']:,}", f"{v['hours_per_member']:.1f}"}
    shown.add(f"{v['hours']:,.2f}".rstrip("0").rstrip("."))
    previous = metrics.previous_volunteer_window(store, state)
    if previous is not None:  # the Overview's hours delta
        before = float(store.query("volunteer__totals", previous.sql_params()).iloc[0]["hours"])
        shown.add(fmt_hours(abs(v["hours"] - before)))
    vol_units = store.query("volunteer__by_unit", params)
    shown |= {f"{h:,.2f}".rstrip("0").rstrip(".") for h in vol_units["hours"].astype(float)}
    reminders = store.query("branches__term_reminders", {**params, "today": DEMO_TODAY})
    shown |= {str(n) for n in reminders["term_status"].value_counts()}
    return shown


@pytest.mark.slow
@pytest.mark.parametrize("view", VIEWS)
def test_every_figure_in_the_text_is_one_the_dashboard_shows(reports, view):
    path, out = reports
    doc_path, expected = out[(view, "zh")]
    filters = expected["filters"]
    state = FilterState(period_from=filters["from"], period_to=filters["to"], units=tuple(filters["units"]))
    store = db.Store(path)
    try:
        shown = _shown_figures(store, state, expected)
    finally:
        store.close()
    for heading, paragraphs in section_texts(docx.Document(str(doc_path))).items():
        for paragraph in paragraphs:
            rest = re.sub(r"\d{4}年\d{1,2}月\d{1,2}日", "", paragraph)  # dates (as of, today)
            rest = re.sub(r"\d{4}年(度|\d{1,2}月)", "", rest)  # periods and months
            rest = re.sub(r"“[A-Z]\d+ ", "", rest)  # item codes
            rest = re.sub(r"(3至)?[36]个月内", "", rest)  # the reminder windows
            for found in re.findall(r"\d[\d,]*(?:\.\d+)?", rest):
                assert found in shown, f"{found} in {heading}: {paragraph}"


# -- the document ---------------------------------------------------------------------------------------------------


@pytest.mark.slow
def test_layout_of_a_government_report(reports):
    _, out = reports
    path, expected = out[("all", "zh")]
    document = docx.Document(str(path))
    paragraphs = [p.text for p in document.paragraphs if p.text.strip()]
    assert paragraphs[0] == "关于2025年度党支部建设情况的通报"
    front = paragraphs[1:5]
    assert front[0] == "统计范围：全部单位、全部期次"
    assert front[1] == "考核期次：2025年度（与2024年度比较）"
    assert front[2].startswith("志愿服务统计区间：") and front[3].startswith("数据截至 ")
    assert list(section_texts(document)) == [
        "一、标准化规范化建设达标情况",
        "二、分类定级情况",
        "三、志愿服务情况",
        "四、换届提醒",
    ]
    assert len(document.inline_shapes) == 4  # 达标率 by period, by unit, tier mix, volunteer by month
    captions = [p.text for p in document.paragraphs if p.style.name == "Caption"]
    assert [c for c in captions if c.startswith("图")] == [
        "图1　各期达标率",
        "图2　2025年度各单位达标率",
        "图3　各期分类定级结构",
        "图4　志愿服务时长与人次（按月）",
    ]
    headers = [[c.text for c in table.rows[0].cells] for table in document.tables]
    assert headers[0] == ["单位", "参评支部", "达标支部", "达标率", "平均得分"]
    assert headers[1][:3] == ["支部", "单位", "总分"]
    assert ["支部", "单位", "2024年度", "2025年度"] in headers
    assert headers[-1] == ["换届状态", "支部", "单位", "下次换届", "期限"]
    below = document.tables[1]
    assert len(below.rows) - 1 == expected["assessment"]["assessed"] - expected["assessment"]["passed"]
    assert all(re.fullmatch(r"逾期\d+天|还有\d+天", row.cells[4].text) for row in document.tables[-1].rows[1:])

    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert (round(section.top_margin.mm), round(section.left_margin.mm)) == (37, 28)
    footer = section.footer._element.xml
    assert "PAGE" in footer and 'w:fldCharType="begin"' in footer
    fonts = {name: document.styles[name].element.rPr.rFonts.get(qn("w:eastAsia")) for name in ("Title", "Normal", "Heading 1")}
    assert fonts == {"Title": "方正小标宋简体", "Normal": "仿宋_GB2312", "Heading 1": "黑体"}
    assert document.styles["Normal"].font.size.pt == 16
    font_table = next(p for p in document.part.package.iter_parts() if p.partname == "/word/fontTable.xml").blob.decode()
    assert re.search(r'w:name="方正小标宋简体"><w:altName w:val="宋体"', font_table)


@pytest.mark.slow
def test_english_report_is_english(reports):
    _, out = reports
    path, expected = out[("filtered", "en")]
    document = docx.Document(str(path))
    assert document.paragraphs[0].text == "Party branch work in 2025: a report"
    sections = section_texts(document)
    assert list(sections) == ["1. Standardization compliance", "2. Grading tiers", "3. Volunteer service", "4. Elections due"]
    body = " ".join(" ".join(p) for p in sections.values())
    assert not re.search(r"[，。；：]", body)  # Chinese punctuation would mean a Chinese template leaked in
    a = expected["assessment"]
    assert f"{a['passed']} passed, a compliance rate of {a['compliance_rate'] * 100:.1f}%" in body
    assert "市公安局 and 市司法局 have 11 branches." in body
    assert [c.text for c in document.tables[0].rows[0].cells] == ["Unit", "Assessed", "Passed", "Compliance rate", "Mean score"]


@pytest.mark.slow
def test_libreoffice_opens_it_and_writes_a_pdf(reports, tmp_path):
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip("LibreOffice is not installed here (scripts/test.sh installs it in CI)")
    _, out = reports
    source, _ = out[("all", "zh")]
    result = subprocess.run(
        [
            soffice,
            "--headless",
            f"-env:UserInstallation=file://{tmp_path}/lo",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(source),
        ],
        capture_output=True,
        text=True,
        timeout=180,
    )
    pdf = tmp_path / (source.stem + ".pdf")
    assert result.returncode == 0 and pdf.exists(), result.stderr
    head = pdf.read_bytes()
    assert head.startswith(b"%PDF") and len(head) > 100_000  # four charts in it
    assert len(re.findall(rb"/Type\s*/Page[^s]", head)) >= 4


# -- the sentences --------------------------------------------------------------------------------------------------


def test_zero_counts_are_words_not_zeros(demo_reader):
    """Only 先进 branches in the filters: no 后进 now or before, so nothing reads "0个后进支部实现转化"."""
    state = FilterState(tiers=("先进",))
    words = text.paragraphs(report_facts.gather(demo_reader, state, DEMO_TODAY), "zh")
    tiers = "".join(words["tiers"])
    assert "无后进支部" in tiers
    assert not re.search(r"(?<![\d.])0个", "".join(p for texts in words.values() for p in texts))


@pytest.mark.slow
def test_flat_change_reads_unchanged_and_one_is_singular(demo_reader):
    facts = report_facts.gather(demo_reader, FilterState(), DEMO_TODAY)
    flat = dataclasses.replace(facts, compliance=dataclasses.replace(facts.compliance, rate_change_pp=0.0, mean_change=0.0))
    zh = text.paragraphs(flat, "zh")["compliance"][0]
    assert "较2024年度持平" in zh and "与上期持平" in zh and "0.0个百分点" not in zh
    en = text.paragraphs(flat, "en")["compliance"][0]
    assert "no change on 2024" in en and "unchanged" in en
    down = dataclasses.replace(facts, compliance=dataclasses.replace(facts.compliance, rate_change_pp=-2.5))
    assert "下降2.5个百分点" in text.paragraphs(down, "zh")["compliance"][0]
    one = dataclasses.replace(facts, tiers=dataclasses.replace(facts.tiers, promoted=1, demoted=0))
    en_tiers = text.paragraphs(one, "en")["tiers"][0]
    assert "1 moved up, none moved down" in en_tiers
    assert "晋位1个、无支部降档" in text.paragraphs(one, "zh")["tiers"][0]


def _with(facts, **changes):
    """The facts with some figures replaced: the templates choose their words from these alone."""
    parts = {}
    for name, values in changes.items():
        parts[name] = dataclasses.replace(getattr(facts, name), **values)
    return dataclasses.replace(facts, **parts)


@pytest.mark.slow
def test_none_all_and_one_read_as_words(demo_reader):
    facts = report_facts.gather(demo_reader, FilterState(), DEMO_TODAY)
    empty = facts.compliance.below.iloc[0:0]
    none = _with(facts, compliance={"passed": 0, "compliance_rate": 0.0})
    assert "均未达标，达标率0.0%" in text.paragraphs(none, "zh")["compliance"][0]
    assert "and none passed, a compliance rate of 0.0%" in text.paragraphs(none, "en")["compliance"][0]
    every = _with(facts, compliance={"passed": facts.compliance.assessed, "compliance_rate": 1.0, "below": empty})
    assert "全部达标，达标率100.0%" in text.paragraphs(every, "zh")["compliance"][0]
    one_below = _with(facts, compliance={"below": facts.compliance.below.head(1)})
    assert "One branch did not pass; it is listed below." in text.paragraphs(one_below, "en")["compliance"][0]
    assert "未达标支部1个，见后表。" in text.paragraphs(one_below, "zh")["compliance"][0]

    lifted_one = _with(facts, tiers={"worst_before": 1, "lifted": 1, "still_worst": facts.tiers.still_worst.iloc[0:0]})
    assert "2024年度的1个后进支部已实现转化" in text.paragraphs(lifted_one, "zh")["tiers"][0]
    assert "the one rated 后进 in 2024 moved out of it" in text.paragraphs(lifted_one, "en")["tiers"][0]
    stuck_one = _with(facts, tiers={"worst_before": 1, "lifted": 0, "still_worst": facts.tiers.still_worst.head(1)})
    assert "2024年度的1个后进支部尚未实现转化" in text.paragraphs(stuck_one, "zh")["tiers"][0]
    alone = _with(facts, tiers={"promoted": 0, "demoted": 0, "unchanged": 1, "worst_before": 0, "lifted": 0})
    zh = text.paragraphs(alone, "zh")["tiers"][0]
    assert "两期均参加定级的支部1个），该支部档次未变化" in zh and "各支部" not in zh
    assert "(1 branch graded in both), the branch stayed in the same tier" in text.paragraphs(alone, "en")["tiers"][0]
    words = " ".join(p for ps in text.paragraphs(alone, "zh").values() for p in ps)
    assert not re.search(r"(?<![\d.])0个", words)


@pytest.mark.slow
def test_a_volunteer_change_needs_data_for_the_whole_window_before(demo_reader):
    """The demo's service starts in 2023: 2024-2025 against 2022-2023 would be a rise made of missing data."""
    two_years = report_facts.gather(demo_reader, FilterState(period_from="2024", period_to="2025"), DEMO_TODAY)
    assert two_years.volunteer.previous is None
    assert "较" not in text.paragraphs(two_years, "zh")["volunteer"][0]
    one_year = report_facts.gather(demo_reader, FilterState(period_from="2024", period_to="2024"), DEMO_TODAY)
    assert one_year.volunteer.previous is not None
    assert re.search(r"较2023年度(增加|减少)[\d,.]+小时", text.paragraphs(one_year, "zh")["volunteer"][0])


def test_the_change_is_the_dashboards_rounded_delta(demo_reader):
    facts = report_facts.gather(demo_reader, FilterState(), DEMO_TODAY)
    rows = facts.compliance.by_period.set_index("period")
    delta = (rows.loc["2025", "compliance_rate"] - rows.loc["2024", "compliance_rate"]) * 100
    assert facts.compliance.rate_change_pp == float(f"{delta:.1f}")  # what the Overview's KPI shows, "+27.1 pp"


def test_no_data_in_scope_says_so(demo_reader):
    state = FilterState(period_from="2030", period_to="2030")
    words = text.paragraphs(report_facts.gather(demo_reader, state, DEMO_TODAY), "zh")
    assert words["compliance"] == ["全委所选期间暂无标准化规范化建设考核数据。"]
    assert words["tiers"] == ["全委暂无分类定级数据。"]
    assert words["volunteer"] == ["2030年度，全委暂无志愿服务记录。"]


def test_a_name_holding_template_syntax_is_only_a_value(store):
    with store.transaction() as cur:
        cur.execute("update branches set unit_name = '{{ 7*7 }}{% raw %}' where unit_name = '市公安局'")
        cur.execute("update units set unit_name = '{{ 7*7 }}{% raw %}' where unit_name = '市公安局'")
    words = text.paragraphs(report_facts.gather(store, FilterState(), DEMO_TODAY), "zh")
    assert "{{ 7*7 }}{% raw %}" in "".join(words["compliance"]) + "".join(words["volunteer"])
    assert "49" not in "".join(words["compliance"])


# -- without a browser, and offline ---------------------------------------------------------------------------------


@pytest.mark.slow
def test_without_chromium_the_report_still_goes_out_with_figures_and_lists(demo_reader, tmp_path, monkeypatch):
    monkeypatch.setenv("BROWSER_PATH", str(tmp_path / "no-such-browser"))
    monkeypatch.setenv("BRANCHBOARD_TODAY", DEMO_TODAY.isoformat())
    target = tmp_path / "r.docx"
    code, said = run("report", "--db", str(demo_reader.path), "--out", str(target))
    assert code == 0 and "the charts could not be drawn" in said
    document = docx.Document(str(target))
    assert len(document.inline_shapes) == 0 and len(document.tables) >= 4
    body = "\n".join(p.text for p in document.paragraphs)
    assert "本节图表未能生成" in body and "达标率77.1%" in body


def test_the_chart_page_needs_no_network():
    """kaleido loads plotly.js from the installed package and, with MathJax off, nothing else."""
    import kaleido

    page = kaleido.PageGenerator(**images.KALEIDO_PAGE).generate_index()
    assert not re.search(r"https?://", page), re.findall(r"https?://\S+", page)


def test_report_usage_errors(demo_reader, tmp_path):
    assert run("report", "--db", str(demo_reader.path), "--out", str(tmp_path / "r.pdf"))[0] == cli.EXIT_USAGE
    assert run("report", "--db", str(demo_reader.path), "--out", str(tmp_path / "no" / "r.docx"))[0] == cli.EXIT_USAGE
    assert run("report", "--db", str(demo_reader.path), "--from", "20x4", "--out", str(tmp_path / "r.docx"))[0] == cli.EXIT_USAGE
    assert not (tmp_path / "r.docx").exists()


@pytest.mark.slow
def test_hostile_names_are_text_in_the_document(tmp_path, demo_db_path, monkeypatch):
    from hostile import NAMES, make_hostile_db

    path = tmp_path / "hostile.duckdb"
    make_hostile_db(demo_db_path, path)
    monkeypatch.setenv("BRANCHBOARD_TODAY", DEMO_TODAY.isoformat())
    target = tmp_path / "r.docx"
    code, said = run("report", "--db", str(path), "--out", str(target))
    assert code == 0 and "warning" not in said, said
    document = docx.Document(str(target))
    texts = [p.text for p in document.paragraphs] + [c.text for t in document.tables for r in t.rows for c in r.cells]
    assert any(NAMES["unit"] in t for t in texts) and any(NAMES["branch"] in t for t in texts)
    assert len(document.inline_shapes) == 4
    xml = document.element.xml
    assert "<iframe" not in xml and "<script" not in xml  # only as escaped text inside w:t
    assert pd.Series(texts).str.contains("<iframe srcdoc", regex=False).any()


@pytest.mark.slow
def test_a_name_with_a_control_character_does_not_stop_the_report(store, tmp_path, monkeypatch):
    """A vertical tab (an Excel soft line break) in a branch name: XML cannot hold it, the report still goes out."""
    monkeypatch.setenv("BROWSER_PATH", str(tmp_path / "no-such-browser"))  # charts are not the point here
    monkeypatch.setenv("BRANCHBOARD_TODAY", DEMO_TODAY.isoformat())
    with store.transaction() as cur:
        lowest = "(select branch_code from assessment_totals where period = '2025' order by total_score limit 1)"
        cur.execute(f"update branches set branch_name = '控制\x0b字符党支部' where branch_code = {lowest}")
    target = tmp_path / "r.docx"
    code, said = run("report", "--db", str(store.path), "--out", str(target))
    assert code == 0, said
    texts = [c.text for t in docx.Document(str(target)).tables for r in t.rows for c in r.cells]
    assert "控制 字符党支部" in texts  # listed below the line, the character become a space


def test_report_refuses_units_sectors_and_tiers_the_data_does_not_hold(demo_reader, tmp_path):
    for flag, value in (("--unit", "不存在的单位"), ("--sector", "不存在的系统"), ("--tier", "五星")):
        code, said = run("report", "--db", str(demo_reader.path), flag, value, "--out", str(tmp_path / "r.docx"))
        assert code == cli.EXIT_USAGE and "not in the data" in said
    assert not (tmp_path / "r.docx").exists()


def test_a_range_inside_one_period_is_a_range(demo_reader):
    """2024 .. 2024-H1: the page accepts it (start before end); so does the command line."""
    assert run("summary", "--db", str(demo_reader.path), "--from", "2024", "--to", "2024-H1")[0] == 0
    assert run("summary", "--db", str(demo_reader.path), "--from", "2025", "--to", "2024")[0] == cli.EXIT_USAGE


@pytest.mark.slow
def test_a_browser_that_hangs_is_given_up_and_frees_its_slot(tmp_path, monkeypatch):
    """kaleido's own limit covers one chart, not the browser's start: the report's deadline covers both."""
    import time

    import plotly.graph_objects as go

    hanging = tmp_path / "chromium"
    marker = tmp_path / "pid"
    hanging.write_text(f"#!/bin/sh\necho $$ > {marker}\nexec sleep 30\n")
    hanging.chmod(0o755)
    monkeypatch.setenv("BROWSER_PATH", str(hanging))
    monkeypatch.setattr(images, "DEADLINE_SECONDS", 3)
    started = time.monotonic()
    with pytest.raises(images.ChartsUnavailable, match="not done in 3 s"):
        images.render_png([go.Figure(go.Bar(x=["a"], y=[1]))])
    assert time.monotonic() - started < 20
    browser = int(marker.read_text())
    assert not Path(f"/proc/{browser}").exists() or "zombie" in Path(f"/proc/{browser}/status").read_text()  # killed
    assert images._RENDERING.acquire(timeout=0) and images._RENDERING.acquire(timeout=0)  # both slots free
    images._RENDERING.release()
    images._RENDERING.release()
