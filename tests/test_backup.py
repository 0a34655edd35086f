"""backup / restore: a consistent copy, put back, refused while another process holds the file."""

from __future__ import annotations

import shutil
import subprocess
import sys

import duckdb
import pytest

from branchboard import db
from branchboard.backup import backup_to, restore_from
from conftest import REPO


def counts(path) -> dict[str, int]:
    con = duckdb.connect(str(path), read_only=True)
    try:
        return {
            t: con.execute(f"select count(*) from {t}").fetchone()[0]
            for t in ("branches", "assessment_scores", "volunteer_records")
        }
    finally:
        con.close()


@pytest.mark.slow
def test_backup_while_open_and_restore(tmp_path, demo_db_path):
    live = tmp_path / "live.duckdb"
    shutil.copy(demo_db_path, live)
    store = db.Store(live)  # the "running app" holds the file
    copy = backup_to(store, tmp_path / "copies" / "b1.duckdb")
    with store.transaction() as cur:
        cur.execute("delete from volunteer_records")
    store.close()
    assert counts(copy) == counts(demo_db_path)
    restore_from(copy, live)
    assert counts(live) == counts(demo_db_path)
    assert db.Store(live).settings()["pass_score"] == "80"  # migrations ran on the restored file


def test_restore_refuses_a_file_that_is_not_a_backup(tmp_path):
    other = tmp_path / "other.duckdb"
    duckdb.connect(str(other)).execute("create table x (a int)").close()
    try:
        restore_from(other, tmp_path / "target.duckdb")
    except ValueError as exc:
        assert "not a dashboard backup" in str(exc)
    else:
        raise AssertionError("restore accepted a foreign file")
    assert not (tmp_path / "target.duckdb").exists()


@pytest.mark.slow
def test_cli_refuses_restore_while_the_app_holds_the_database(tmp_path, demo_db_path):
    live = tmp_path / "held.duckdb"
    shutil.copy(demo_db_path, live)
    holder = db.Store(live)
    try:
        r = subprocess.run(
            [sys.executable, "-m", "branchboard", "restore", str(demo_db_path), "--db", str(live)],
            cwd=REPO,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert r.returncode == 1 and "in use by the running app" in r.stderr and "Traceback" not in r.stderr
    finally:
        holder.close()


@pytest.mark.slow
def test_cli_backup_and_restore_round_trip(tmp_path, demo_db_path):
    src = tmp_path / "src.duckdb"
    shutil.copy(demo_db_path, src)

    def run(*a):
        return subprocess.run([sys.executable, "-m", "branchboard", *a], cwd=REPO, capture_output=True, text=True, timeout=120)

    assert run("backup", str(tmp_path / "b.duckdb"), "--db", str(src)).returncode == 0
    assert run("restore", str(tmp_path / "b.duckdb"), "--db", str(tmp_path / "new.duckdb")).returncode == 0
    assert counts(tmp_path / "new.duckdb") == counts(demo_db_path)
    hashed = run("hash-password", "--password", "long enough pw")
    assert hashed.returncode == 0 and hashed.stdout.startswith("pbkdf2_sha256$")
    assert run("hash-password", "--password", "short").returncode == 2
