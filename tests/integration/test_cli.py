"""The `ilp` command end to end on a real database (SQLite, and PostgreSQL when configured)."""
import io
import json

import pytest

from bot.cli import main
from bot.flags import raise_flag
from bot.nlp.mentions import Mention
from bot.plans.services import record_career_goal
from tests.builders import COUNSELOR_EMAIL, add_counselor, roster_csv


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.usefixtures("database_in_environment")  # the command reads its settings from the environment
def test_roster_import_reports_bad_rows_by_line_and_keeps_good_ones(uow_factory, tmp_path, capsys):
    add_counselor(uow_factory)
    path = tmp_path / "roster.csv"
    path.write_bytes(roster_csv(f"R1,Rae,Ono,10,West High,{COUNSELOR_EMAIL}", f"R2,Sol,Ito,13,West High,{COUNSELOR_EMAIL}"))
    code, out, err = run(capsys, "roster", "import", str(path))
    assert code == 1
    assert "added 1, updated 0, unchanged 0, rejected 1" in out
    assert "line 3: grade must be a whole number from 6 to 12 (got '13')" in err
    code, out, _ = run(capsys, "plan", "show", "R1", "--json")
    assert code == 0 and json.loads(out)["grade"] == 10


@pytest.mark.usefixtures("database_in_environment")
def test_roster_import_of_missing_file_is_a_clear_error(uow_factory, tmp_path, capsys):
    code, _, err = run(capsys, "roster", "import", str(tmp_path / "nope.csv"))
    assert code == 1 and "no such file" in err


@pytest.mark.usefixtures("database_in_environment")
def test_plan_show_json_has_the_documented_keys(uow_factory, tmp_path, capsys):
    add_counselor(uow_factory)
    path = tmp_path / "roster.csv"
    path.write_bytes(roster_csv(f"P1,Pia,Lund,11,West High,{COUNSELOR_EMAIL}"))
    run(capsys, "roster", "import", str(path))
    nurse = Mention("career", "29-1141.00", "Registered Nurses", "S", "nurse")
    record_career_goal(uow_factory(), "P1", "nurse", "P1:m1", recognise=lambda text: [nurse])
    code, out, _ = run(capsys, "plan", "show", "P1", "--json")
    plan = json.loads(out)
    assert code == 0
    assert {"student_id", "grade", "interests", "values", "careers", "postsecondary", "goals", "courses",
            "activities", "benchmarks", "updated_at"} <= set(plan)
    assert set(plan["interests"]["riasec"]) == set("RIASEC")
    assert plan["careers"] == [{"title": "Registered Nurses", "onet_soc": "29-1141.00"}]
    assert set(plan["benchmarks"]) == {"done", "pending"}
    code, out, _ = run(capsys, "plan", "show", "P1")
    assert code == 0 and "Registered Nurses (29-1141.00)" in out


@pytest.mark.usefixtures("database_in_environment")
def test_plan_show_finds_the_student_by_id_in_any_case(uow_factory, tmp_path, capsys):
    add_counselor(uow_factory)
    path = tmp_path / "roster.csv"
    path.write_bytes(roster_csv(f"P1,Pia,Lund,11,West High,{COUNSELOR_EMAIL}"))
    run(capsys, "roster", "import", str(path))
    code, out, _ = run(capsys, "plan", "show", "p1", "--json")
    assert code == 0 and json.loads(out)["student_id"] == "P1"


@pytest.mark.usefixtures("database_in_environment")
def test_plan_show_for_unknown_id_is_a_clear_error(uow_factory, capsys):
    code, out, err = run(capsys, "plan", "show", "NOBODY", "--json")
    assert code == 1 and out == "" and "no student with ID 'NOBODY' is on the roster" in err


@pytest.mark.usefixtures("database_in_environment")
def test_flags_list_json_and_filters(uow_factory, tmp_path, capsys):
    add_counselor(uow_factory)
    path = tmp_path / "roster.csv"
    path.write_bytes(roster_csv(f"F1,Fay,Orr,9,West High,{COUNSELOR_EMAIL}"))
    run(capsys, "roster", "import", str(path))
    raise_flag(uow_factory(), "F1", category="academic", severity="normal", excerpt="failing")
    code, out, _ = run(capsys, "flags", "list", "--json", "--severity", "normal", "--status", "open")
    [flag] = json.loads(out)
    assert code == 0 and flag["category"] == "academic" and flag["student_id"] == "F1"
    code, out, _ = run(capsys, "flags", "list", "--json", "--status", "resolved")
    assert json.loads(out) == []


@pytest.mark.usefixtures("database_in_environment")
def test_users_add_reads_password_from_stdin_and_rejects_short_ones(uow_factory, capsys, monkeypatch):
    from bot.staff import authenticate

    monkeypatch.setattr("sys.stdin", io.StringIO("correct horse battery\n"))
    code, out, _ = run(capsys, "users", "add", "--role", "advisor", "Vol@Example.org", "--password-stdin")
    assert code == 0 and "vol@example.org (advisor) saved" in out
    assert authenticate(uow_factory(), "vol@example.org", "correct horse battery") is not None
    monkeypatch.setattr("sys.stdin", io.StringIO("short\n"))
    code, _, err = run(capsys, "users", "add", "--role", "advisor", "x@example.org", "--password-stdin")
    assert code == 1 and "at least 12 characters" in err


@pytest.mark.usefixtures("database_in_environment")
def test_users_add_generates_a_password_when_none_is_given(uow_factory, capsys, monkeypatch):
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    code, out, _ = run(capsys, "users", "add", "--role", "counselor", "c@example.org")
    assert code == 0 and "generated password (shown once): " in out


@pytest.mark.usefixtures("database_in_environment")
def test_users_add_rejects_unknown_role(uow_factory, capsys):
    with pytest.raises(SystemExit):
        main(["users", "add", "--role", "janitor", "j@example.org"])


@pytest.mark.usefixtures("database_in_environment")
def test_db_upgrade(uow_factory, capsys):
    code, out, _ = run(capsys, "db", "upgrade")
    assert code == 0 and "newest schema" in out


@pytest.mark.usefixtures("database_in_environment")
def test_flags_update_acknowledges_resolves_and_notes_in_the_staff_members_name(uow_factory, capsys):
    from tests.builders import enrol

    enrol(uow_factory, "F1")
    flag_id = raise_flag(uow_factory(), "F1", category="bullying", severity="high", excerpt="they push me")
    code, out, _ = run(capsys, "flags", "update", str(flag_id), "--as", COUNSELOR_EMAIL, "--status", "acknowledged",
                       "--note", "met with the student", "--json")
    assert code == 0
    flag = json.loads(out)
    assert flag["status"] == "acknowledged" and "met with the student" in flag["counselor_notes"]
    code, out, _ = run(capsys, "flags", "update", str(flag_id), "--as", COUNSELOR_EMAIL, "--status", "resolved")
    assert code == 0 and out.strip() == f"flag #{flag_id} is resolved"
    code, _, err = run(capsys, "flags", "update", str(flag_id), "--as", "nobody@example.org", "--note", "x")
    assert code == 1 and "no staff user" in err
    code, _, err = run(capsys, "flags", "update", "99999", "--as", COUNSELOR_EMAIL, "--note", "x")
    assert code == 1 and "no flag #99999" in err


@pytest.mark.usefixtures("database_in_environment")
def test_advisors_assign_lets_an_advisor_meet_students_of_their_school_only(uow_factory, tmp_path, capsys):
    from sqlalchemy import func, select

    from bot.db.tables import AdvisorAssignment, AuditEntry
    from bot.staff import add_user

    add_counselor(uow_factory)
    path = tmp_path / "roster.csv"
    path.write_bytes(roster_csv(f"V1,Val,Ruiz,8,West High,{COUNSELOR_EMAIL}", f"V2,Lou,Park,10,West High,{COUNSELOR_EMAIL}",
                                f"E1,Eli,Moss,8,East High,{COUNSELOR_EMAIL}"))
    run(capsys, "roster", "import", str(path))
    add_user(uow_factory(), email="vol@business.example", role="advisor", password="a-long-test-password",
             school_name="West High")
    code, out, _ = run(capsys, "advisors", "assign", "VOL@business.example", "V1", "V2")
    assert code == 0 and out.splitlines() == ["V1: assigned", "V2: assigned"]
    code, out, _ = run(capsys, "advisors", "assign", "vol@business.example", "V1")
    assert code == 0 and out.strip() == "V1: already assigned"
    code, _, err = run(capsys, "advisors", "assign", "vol@business.example", "E1")
    assert code == 1 and "not a community advisor of this student's school" in err
    code, _, err = run(capsys, "advisors", "assign", COUNSELOR_EMAIL, "V1")
    assert code == 1 and "no community advisor" in err
    code, _, err = run(capsys, "advisors", "assign", "vol@business.example", "NOBODY")
    assert code == 1 and "no student" in err
    with uow_factory() as uow:
        assert uow.session.scalar(select(func.count(AdvisorAssignment.id))) == 2
        assert uow.session.scalar(select(func.count(AuditEntry.id)).where(AuditEntry.action == "advisor.assign")) == 2


def test_advisors_scripts_lists_the_checked_scripts(capsys):
    code, out, _ = run(capsys, "advisors", "scripts")
    assert code == 0
    assert out.startswith("grade10_session: ") and "\ngrade8_session: " in out and "plan sections: interests" in out


@pytest.mark.usefixtures("database_in_environment")
def test_users_disable_refuses_sign_in_and_users_enable_restores_it(uow_factory, capsys):
    from sqlalchemy import select

    from bot.db.tables import AuditEntry
    from bot.staff import add_user, authenticate

    user_id = add_user(uow_factory(), email="vol@business.example", role="advisor", password="a-long-test-password")
    code, out, _ = run(capsys, "users", "disable", "VOL@business.example")
    assert code == 0 and out.strip() == f"staff user #{user_id} vol@business.example disabled; their open sessions ended"
    assert authenticate(uow_factory(), "vol@business.example", "a-long-test-password") is None
    code, out, _ = run(capsys, "users", "disable", "vol@business.example")
    assert code == 0 and "already disabled" in out
    code, out, _ = run(capsys, "users", "enable", "vol@business.example")
    assert code == 0 and out.strip() == f"staff user #{user_id} vol@business.example enabled"
    assert authenticate(uow_factory(), "vol@business.example", "a-long-test-password") is not None
    code, _, err = run(capsys, "users", "disable", "nobody@example.org")
    assert code == 1 and "no staff user" in err
    with uow_factory() as uow:
        entries = uow.session.execute(select(AuditEntry.actor_role, AuditEntry.action, AuditEntry.detail)
                                      .order_by(AuditEntry.id)).all()
    assert entries == [("system", "staff.disable", f"staff user #{user_id}"),
                       ("system", "staff.enable", f"staff user #{user_id}")]


@pytest.mark.usefixtures("database_in_environment")
def test_advisors_unassign_ends_an_assignment_and_is_audited(uow_factory, tmp_path, capsys):
    from sqlalchemy import func, select

    from bot.db.tables import AdvisorAssignment, AuditEntry
    from bot.staff import add_user

    add_counselor(uow_factory)
    path = tmp_path / "roster.csv"
    path.write_bytes(roster_csv(f"V1,Val,Ruiz,8,West High,{COUNSELOR_EMAIL}", f"V2,Lou,Park,10,West High,{COUNSELOR_EMAIL}"))
    run(capsys, "roster", "import", str(path))
    advisor_id = add_user(uow_factory(), email="vol@business.example", role="advisor",
                          password="a-long-test-password", school_name="West High")
    run(capsys, "advisors", "assign", "vol@business.example", "V1", "V2")
    code, out, _ = run(capsys, "advisors", "unassign", "vol@business.example", "V1")
    assert code == 0 and out.strip() == "V1: unassigned"
    code, out, _ = run(capsys, "advisors", "unassign", "vol@business.example", "V1")
    assert code == 0 and out.strip() == "V1: was not assigned"
    code, _, err = run(capsys, "advisors", "unassign", "vol@business.example", "NOBODY")
    assert code == 1 and "no student" in err
    with uow_factory() as uow:
        assert uow.session.scalar(select(func.count(AdvisorAssignment.id))) == 1
        assert uow.session.execute(select(AuditEntry.actor_role, AuditEntry.detail)
                                   .where(AuditEntry.action == "advisor.unassign")).all() == [("system", f"advisor #{advisor_id}")]
