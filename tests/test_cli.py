"""The command line, and `summary --json` against an independent pandas computation on the demo."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

import duckdb
import pandas as pd
import pytest

from conftest import REPO


def run_cli(*args: str, timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "branchboard", *args], cwd=REPO, capture_output=True, text=True, timeout=timeout)


def independent_summary(path, units=None, period_from=None, period_to=None) -> dict:
    """docs/design.md's definitions computed with pandas from the raw tables, sharing no code with the app."""
    con = duckdb.connect(str(path), read_only=True)
    branches = con.execute("select * from branches").df()
    standards = con.execute("select * from standards").df()
    scores = con.execute("select * from assessment_scores").df()
    tiers = con.execute("select * from tier_ratings").df()
    vol = con.execute("select * from volunteer_records").df()
    settings = dict(con.execute("select key, value from settings").fetchall())
    con.close()
    if units:
        branches = branches[branches["unit_name"].isin(units)]
    codes = set(branches["branch_code"])
    lo = int(period_from) if period_from else -1
    hi = int(period_to) if period_to else 10**6
    periods = sorted(p for p in scores["period"].unique() if lo <= int(p) <= hi)  # the demo is annual
    period = periods[-1]
    s = scores[(scores["period"] == period) & scores["branch_code"].isin(codes)].merge(standards, on="item_code")
    totals = s.groupby("branch_code").agg(total=("score", "sum"))
    vetoed = s[s["veto"] & (s["score"] < s["max_score"])]["branch_code"].unique()
    passed = (totals["total"] >= float(settings["pass_score"])) & ~totals.index.isin(vetoed)
    s["met"] = s["score"] >= float(settings["item_pass_ratio"]) * s["max_score"]
    rates = (s.groupby("item_code")["met"].sum() / len(totals)).to_dict()
    weakest = sorted(rates, key=lambda code: (rates[code], code))[:3]
    v = vol[vol["branch_code"].isin(codes)]
    v = v[(pd.to_datetime(v["activity_date"]).dt.year >= lo) & (pd.to_datetime(v["activity_date"]).dt.year <= hi)]
    t_periods = sorted(p for p in tiers["period"].unique() if lo <= int(p) <= hi)
    all_t = sorted(tiers["period"].unique())
    tp = t_periods[-1]
    before = all_t[all_t.index(tp) - 1]
    order = settings["tiers"].split(",")
    t_now = tiers[(tiers["period"] == tp) & tiers["branch_code"].isin(codes)].set_index("branch_code")["tier"]
    t_before = tiers[(tiers["period"] == before) & tiers["branch_code"].isin(codes)].set_index("branch_code")["tier"]
    both = t_now.index.intersection(t_before.index)
    delta = pd.Series([order.index(t_now[c]) - order.index(t_before[c]) for c in both])
    return {
        "branches": len(branches),
        "members": int(branches["member_count"].sum()),
        "period": period,
        "assessed": len(totals),
        "passed": int(passed.sum()),
        "compliance_rate": passed.sum() / len(totals),
        "mean_score": totals["total"].mean(),
        "item_pass_rate": rates,
        "weakest": weakest,
        "hours": v["hours"].sum(),
        "person_times": int(v["person_times"].sum()),
        "activities": len(v[["activity_date", "branch_code", "activity"]].drop_duplicates()),
        "hours_per_member": v["hours"].sum() / branches["member_count"].sum(),
        "tier_period": tp,
        "counts": {t: int((t_now == t).sum()) for t in order},
        "promoted": int((delta < 0).sum()),
        "demoted": int((delta > 0).sum()),
        "unchanged": int((delta == 0).sum()),
    }


@pytest.mark.parametrize(
    ("args", "units", "period_from", "period_to"),
    [
        ((), None, None, None),
        (("--unit", "市税务局", "--unit", "市公安局"), ["市税务局", "市公安局"], None, None),
        (("--from", "2024", "--to", "2024"), None, "2024", "2024"),
        (("--from", "2024年度", "--to", "2024", "--unit", "市气象局"), ["市气象局"], "2024", "2024"),
    ],
)
@pytest.mark.slow
def test_summary_json_matches_an_independent_computation(demo_db_path, args, units, period_from, period_to):
    result = run_cli("summary", "--db", str(demo_db_path), "--json", *args)
    assert result.returncode == 0, result.stderr
    got = json.loads(result.stdout)
    want = independent_summary(demo_db_path, units, period_from, period_to)
    assert set(got) == {"filters", "branches", "members", "assessment", "volunteer", "tiers"}
    assert got["branches"] == want["branches"] and got["members"] == want["members"]
    a = got["assessment"]
    assert a["period"] == want["period"]
    assert (a["assessed"], a["passed"]) == (want["assessed"], want["passed"])
    assert a["compliance_rate"] == pytest.approx(want["compliance_rate"])
    assert a["mean_score"] == pytest.approx(want["mean_score"])
    assert a["item_pass_rate"] == pytest.approx(want["item_pass_rate"])
    assert a["weakest_items"] == want["weakest"]
    v = got["volunteer"]
    assert v["hours"] == pytest.approx(want["hours"])
    assert (v["person_times"], v["activities"]) == (want["person_times"], want["activities"])
    assert v["hours_per_member"] == pytest.approx(want["hours_per_member"])
    t = got["tiers"]
    assert t["period"] == want["tier_period"] and t["counts"] == want["counts"]
    assert (t["promoted"], t["demoted"], t["unchanged"]) == (want["promoted"], want["demoted"], want["unchanged"])


@pytest.mark.slow
def test_demo_story_has_something_on_every_chart(demo_db_path):
    got = json.loads(run_cli("summary", "--db", str(demo_db_path), "--json").stdout)
    assert 40 <= got["branches"] <= 60
    assert got["tiers"]["counts"]["后进"] > 0
    assert got["tiers"]["promoted"] > 0 and got["tiers"]["demoted"] > 0
    assert got["volunteer"]["activities"] > 1000
    assert min(got["assessment"]["item_pass_rate"].values()) < 0.9  # there are weak items


@pytest.mark.slow
def test_init_demo_batches(tmp_path):
    path = str(tmp_path / "cli.duckdb")
    assert run_cli("init", "--db", path).returncode == 0
    r = run_cli("demo", "--db", path, "--branches", "12", "--years", "2", "--seed", "3")
    assert r.returncode == 0, r.stderr
    assert "12 branches" in r.stdout
    batches = json.loads(run_cli("batches", "--db", path, "--json").stdout)
    assert sorted(b["kind"] for b in batches) == ["assessments", "branches", "tiers", "volunteer"]
    assert all(b["status"] == "active" for b in batches)
    # The roster batch holds the units with the branches, so undoing it cannot strand branches without a unit;
    # with the assessments still pointing at its branches it is refused, and nothing changes.
    roster = next(b["batch_id"] for b in batches if b["kind"] == "branches")
    undo = run_cli("undo", str(roster), "--db", path)
    assert undo.returncode != 0 and "#" in undo.stdout + undo.stderr
    assert json.loads(run_cli("summary", "--db", path, "--json").stdout)["branches"] == 12
    s = json.loads(run_cli("summary", "--db", path, "--json").stdout)
    assert s["branches"] == 12


@pytest.mark.slow
def test_env_variable_selects_the_database(tmp_path, demo_db_path):
    copy = tmp_path / "env.duckdb"
    shutil.copy(demo_db_path, copy)
    env_result = subprocess.run(
        [sys.executable, "-m", "branchboard", "summary", "--json"],
        cwd=REPO,
        capture_output=True,
        text=True,
        env={**__import__("os").environ, "BRANCHBOARD_DB": str(copy)},
        timeout=120,
    )
    assert json.loads(env_result.stdout)["branches"] == 48


@pytest.mark.slow
def test_usage_errors_exit_2(tmp_path):
    assert run_cli("summary", "--db", str(tmp_path / "u.duckdb"), "--from", "soon").returncode == 2
    assert run_cli("frobnicate").returncode == 2
    r = run_cli("summary", "--db", str(tmp_path / "u.duckdb"), "--from", "2024", "--to", "2023")
    assert r.returncode == 2 and "Traceback" not in r.stderr
