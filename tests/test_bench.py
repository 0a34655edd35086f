"""The benchmark command (issue 6), run at a tiny scale: it finishes quickly and prints the full table.

No timing is asserted here: budgets live in the benchmark's output and docs/performance.md.
"""

from __future__ import annotations

import json
import xml.dom.minidom

import pytest
from test_cli import run_cli

from branchboard import bench


@pytest.mark.slow
def test_bench_prints_every_measure_at_every_scale(tmp_path):
    out_json, out_svg = tmp_path / "bench.json", tmp_path / "bench.svg"
    r = run_cli(
        "bench",
        "--scales",
        "1,2",
        "--base-branches",
        "12",
        "--base-volunteer-rows",
        "400",
        "--repeat",
        "1",
        "--years",
        "2",
        "--json",
        str(out_json),
        "--svg",
        str(out_svg),
        "--workdir",
        str(tmp_path),
    )
    assert r.returncode == 0, r.stderr
    lines = [line for line in r.stdout.splitlines() if line.startswith("|")]
    header = [c.strip() for c in lines[0].strip("|").split("|")]
    assert header[0] == "measure" and header[-3:] == ["growth", "budget (largest scale)", "met"]
    assert header[1].startswith("1× (12 br") and header[2].startswith("2× (24 br")
    measures = [line.strip("|").split("|")[0].strip() for line in lines[2:]]
    for kind in bench.KIND_ORDER:
        assert any(m.startswith(f"import {kind} (") for m in measures), kind
    assert measures.count("DuckDB read_csv of the same file, s") == len(bench.KIND_ORDER) + len(bench.VARIED)
    # The varied volunteer files (issue 17): a first import and a second into the database holding the first.
    assert any(m.startswith("import varied volunteer file (400/800 rows), first") for m in measures)
    assert any(m.startswith("import varied volunteer file (400/800 rows), second") for m in measures)
    assert "second import ÷ first" in measures
    # The budget's comparison: the second file also into a database with the roster only.
    assert "the second file into a database without records, s" in measures
    assert "second import ÷ the same file into a database without records" in measures
    phased = next(line for line in lines if "the same: each one's best prepare plus its best commit" in line)
    assert phased.strip("|").split("|")[-2].strip() == "≤ 1.05×"
    for where in ("into a database without records", "into one holding the first"):
        assert f"the second file {where}: best prepare, s" in measures
        assert f"the second file {where}: best commit, s" in measures
    # The first varied file as units' programs save it (GB18030, quoted, a 序号 column, by name): each imported.
    for label in bench.SHAPES.values():
        assert any(m.startswith(f"the first file's rows {label}: s") for m in measures), label
    assert measures.count("import ÷ read_csv of the same file") == len(bench.SHAPES) - 1
    assert measures.count("import ÷ read_csv of the UTF-8 file") == 1  # GB18030: DuckDB's read_csv has no such encoding
    assert measures.count("DuckDB read_csv into a database file, s") == 1  # the volunteer file's second yardstick
    assert "import ÷ read_csv into a database file" in measures
    for page in bench.PAGES:
        assert f"page {page}: cold, s" in measures and f"page {page}: warm, s" in measures
    for name in bench.FILTERS:
        assert f"filter change ({name}, Overview), s" in measures
    assert "server peak memory after every page, MB" in measures
    assert all(len(line.strip("|").split("|")) == len(header) for line in lines)
    assert "Machine:" in r.stdout

    results = json.loads(out_json.read_text(encoding="utf-8"))
    assert [s["scale"]["branches"] for s in results["scales"]] == [12, 24]
    assert results["scales"][1]["imports"]["volunteer"]["rows"] == 800
    assert results["scales"][1]["imports"]["volunteer_varied_second"]["rows"] == 800
    assert results["scales"][1]["imports"][bench.SECOND_ALONE]["rows"] == 800
    assert all(results["scales"][1]["imports"][shape]["rows"] == 800 for shape in bench.SHAPES)
    xml.dom.minidom.parseString(out_svg.read_text(encoding="utf-8"))  # well-formed
    assert not [p for p in tmp_path.iterdir() if p.name.startswith("branchboard-bench-")]  # cleaned up


@pytest.mark.slow
def test_bench_rejects_bad_scales():
    assert run_cli("bench", "--scales", "0").returncode == 2
    assert run_cli("bench", "--scales", "x").returncode == 2


@pytest.mark.browser
def test_bench_legs_print_browser_ratios_and_load_figures(tmp_path):
    """The browser and load legs at their smallest: one try, two sessions for a few seconds. Only the shape of
    what they report is checked; the figures and budgets are the benchmark's business (docs/performance.md)."""
    out_json = tmp_path / "legs.json"
    r = run_cli(
        "bench",
        "--no-scales",
        "--browser",
        "--browser-tries",
        "1",
        "--load",
        "--load-sessions",
        "2",
        "--load-seconds",
        "6",
        "--json",
        str(out_json),
        "--workdir",
        str(tmp_path),
        # Two Chromium legs and an admin import in a browser: a minute here, up to two on a slow shared machine.
        timeout=300,
    )
    assert r.returncode == 0, r.stderr
    rows = {line.strip("|").split("|")[0].strip(): line for line in r.stdout.splitlines() if line.startswith("|")}
    for measure in ("first chart after opening a link, s", "sidebar filter change, s"):
        assert measure in rows and "×" in rows[measure]
    assert any(m.startswith("2 sessions acting every 3 s for 6 s") for m in rows)
    results = json.loads(out_json.read_text(encoding="utf-8"))
    browser, load = results["browser"], results["load"]
    for page in ("bare", "overview"):
        assert browser["median_s"][page]["first_chart"] > 0 and browser["median_s"][page]["filter_change"] > 0
    assert (
        browser["ratio"]["first_chart"]
        == browser["median_s"]["overview"]["first_chart"] / browser["median_s"]["bare"]["first_chart"]
    )
    assert load["actions"] > 0 and load["p95_s"] >= load["p50_s"] > 0
    assert load["failed_actions"] == 0  # every run of every session drew its page without an error
    assert load["server_peak_mb"] > 0
    assert "import_s" in load, load.get("import_error")  # the admin's upload and import went through
    assert not [p for p in tmp_path.iterdir() if p.name.startswith("branchboard-bench-")]  # cleaned up
