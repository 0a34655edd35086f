"""The demo at any size: `demo --volunteer-rows V` (issue 6), and the default demo left as it was."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from test_cli import independent_summary, run_cli

from branchboard import demo
from conftest import DEMO_TODAY


def test_volunteer_rows_gives_exactly_that_many_member_level_records():
    data = demo.generate(branches=30, years=2, today=DEMO_TODAY, volunteer_rows=1234)
    vol = data.volunteer_records
    assert len(vol) == 1234
    assert set(vol["branch_code"]) <= set(data.branches["branch_code"])
    years = pd.to_datetime(vol["activity_date"]).dt.year
    assert set(years) <= {DEMO_TODAY.year - 2, DEMO_TODAY.year - 1}
    assert (vol["person_times"] == 1).all() and (vol["hours"] > 0).all() and vol["member_code"].notna().all()
    # Member-level rows: several members share one activity (same date, branch and activity).
    assert vol.groupby(["activity_date", "branch_code", "activity"]).ngroups < len(vol)


@pytest.mark.slow
def test_the_flag_leaves_the_rest_of_the_demo_unchanged():
    plain = demo.generate(branches=20, years=3, today=DEMO_TODAY)
    scaled = demo.generate(branches=20, years=3, today=DEMO_TODAY, volunteer_rows=500)
    for name in ("units", "branches", "assessment_scores", "tier_ratings"):
        pd.testing.assert_frame_equal(getattr(plain, name), getattr(scaled, name))
    again = demo.generate(branches=20, years=3, today=DEMO_TODAY, volunteer_rows=None)
    pd.testing.assert_frame_equal(plain.volunteer_records, again.volunteer_records)


@pytest.mark.slow
def test_cli_demo_with_volunteer_rows(tmp_path):
    path = tmp_path / "scaled.duckdb"
    r = run_cli("demo", "--db", str(path), "--branches", "40", "--years", "2", "--volunteer-rows", "3000")
    assert r.returncode == 0, r.stderr
    assert "40 branches" in r.stdout and "3,000 volunteer records" in r.stdout
    got = json.loads(run_cli("summary", "--db", str(path), "--json").stdout)
    want = independent_summary(path)
    assert got["volunteer"]["activities"] == want["activities"]
    assert abs(got["volunteer"]["hours"] - want["hours"]) < 1e-6
    assert run_cli("demo", "--db", str(path), "--volunteer-rows", "-1").returncode == 2
