"""`ilp transcripts import` as staff run it: the real command in its own process, on a real plan database."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from sqlalchemy import func, select

from bot.db.tables import EarnedCredit
from bot.demo import seed_demo_school
from bot.plans.services import student_plan
from tests.builders import enrol

PROJECT_ROOT = Path(__file__).resolve().parents[2]
DEMO_TRANSCRIPTS = PROJECT_ROOT / "data" / "demo" / "transcripts.csv"


def ilp(database_url: str, *argv: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "ILP_DATABASE_URL": database_url, "PYTHONPATH": str(PROJECT_ROOT)}
    return subprocess.run([sys.executable, "-m", "bot.cli", *argv], cwd=PROJECT_ROOT, env=env, capture_output=True,
                          text=True, timeout=120)


def earned_rows(uow_factory) -> int:
    with uow_factory() as uow:
        return uow.session.scalar(select(func.count(EarnedCredit.id)))


def test_the_demo_transcripts_import_and_a_second_run_changes_nothing(database_url, uow_factory):
    seed_demo_school(uow_factory)
    first = ilp(database_url, "transcripts", "import", str(DEMO_TRANSCRIPTS))
    assert first.returncode == 0, first.stderr
    lines = DEMO_TRANSCRIPTS.read_text().strip().splitlines()
    assert first.stdout.startswith(f"added {len(lines) - 1}, updated 0, unchanged 0 course(s) for 3 student(s)")
    second = ilp(database_url, "transcripts", "import", str(DEMO_TRANSCRIPTS))
    assert second.returncode == 0 and second.stdout.startswith(f"added 0, updated 0, unchanged {len(lines) - 1}")
    assert earned_rows(uow_factory) == len(lines) - 1
    credits = student_plan(uow_factory(), "DEMO-1012")["credits"]
    assert (credits["total"]["earned"], credits["total"]["still_needed"]) == (20, 4)
    shown = ilp(database_url, "plan", "show", "demo-1012")
    assert "Credits of 24: earned 20, planned 0, still needed 4" in shown.stdout


def test_a_file_with_a_bad_row_imports_nothing_and_names_the_line(database_url, uow_factory, tmp_path):
    enrol(uow_factory, "C1", grade=10, school="Test High School")
    path = tmp_path / "transcripts.csv"
    path.write_text("student_id,course,credits,grade,term,school_year\n"
                    "C1,Biology,1,9,Full year,2025-26\n"
                    "C2,Biology,1,9,Full year,2025-26\n"
                    "C1,Geometry,lots,9,Full year,2025-26\n")
    result = ilp(database_url, "transcripts", "import", str(path))
    assert result.returncode == 1 and result.stdout == ""
    assert result.stderr.splitlines() == [
        "nothing imported: 2 row(s) rejected; fix them and import the file again",
        "  line 3: no student with ID 'C2' is on the roster; add them first with: ilp roster import",
        "  line 4: credits must be a number from 0 to 5, such as 0.5 or 1.0, with at most two decimals (got 'lots')",
    ]
    assert earned_rows(uow_factory) == 0


def test_a_binary_or_missing_file_is_a_clear_error(database_url, uow_factory, tmp_path):
    picture = tmp_path / "photo.csv"
    picture.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    result = ilp(database_url, "transcripts", "import", str(picture))
    assert result.returncode == 1 and "error: the file is not text" in result.stderr
    missing = ilp(database_url, "transcripts", "import", str(tmp_path / "nope.csv"))
    assert missing.returncode == 1 and "error: no such file" in missing.stderr
    assert earned_rows(uow_factory) == 0
