"""Tiny builders for test data (synthetic people only)."""
from __future__ import annotations

from bot.staff import add_user

COUNSELOR_EMAIL = "pat.rivera@school.example"
HEADER = "student_id,first_name,last_name,grade,school,counselor_email\n"


def add_counselor(uow_factory, email: str = COUNSELOR_EMAIL) -> int:
    return add_user(uow_factory(), email=email, role="counselor", password="a-long-test-password")


def roster_csv(*rows: str, header: str = HEADER) -> bytes:
    return (header + "".join(row + "\n" for row in rows)).encode()


def enrol(uow_factory, student_id: str = "S100", grade: int = 8, school: str = "Test Middle School") -> str:
    from bot.roster.services import import_roster

    add_counselor(uow_factory)
    report = import_roster(uow_factory(), roster_csv(f"{student_id},Sam,Lee,{grade},{school},{COUNSELOR_EMAIL}"))
    assert not report.errors, report.errors
    return student_id


def give_sign_in_code(uow_factory, student_id: str, code: str = "CODE1234") -> str:
    """Stores a sign-in code for the student (hashed, as a counselor's card would); returns the code."""
    from sqlalchemy import select

    from bot.db.tables import Student
    from bot.security import hash_secret

    with uow_factory() as uow:
        uow.session.scalar(select(Student).where(Student.external_id == student_id)).sign_in_code_hash = hash_secret(code)
        uow.commit()
    return code


def write_plan_rows(uow_factory, external_id: str, *, quiz: dict[str, str] | None = None,
                    mentions: tuple[tuple[str, str, str], ...] = (),
                    statements: tuple[tuple[str, tuple[str, ...]], ...] = (),
                    values: tuple[str, ...] = (), strengths: tuple[tuple[str, str], ...] = (),
                    careers: tuple[tuple[str, str | None], ...] = (), postsecondary: tuple[tuple[str, str], ...] = (),
                    goals: tuple[dict, ...] = (), courses: tuple[tuple[int, str, str | None], ...] = (),
                    activities: tuple[tuple[str, str, int | None, str], ...] = (), completed: tuple[str, ...] = (),
                    notes: tuple[str, ...] = (), taken_back: tuple[tuple[str, str], ...] = ()) -> None:
    """Writes plan rows straight into the database, with the timestamps given, for tests of what reads a plan.

    quiz: item id -> like | unsure | dislike; mentions: (kind, label, riasec); statements: (text, types read);
    postsecondary: (choice, ISO time), oldest first; goals: {"kind", "text", "status", "steps": [(text, due
    ISO date or None, done)]}; activities: (kind, name, grade, status); taken_back: (topic, text).
    """
    import datetime as dt

    from bot.db import tables
    from bot.interests.inventory import get_item
    from bot.plans.services import STATEMENT, get_or_create_plan
    from bot.roster.services import get_student

    by = {"author_role": "student", "author_staff_id": None}
    with uow_factory() as uow:
        session = uow.session
        plan = get_or_create_plan(session, get_student(session, external_id))
        session.flush()
        rows: list = []
        for item_id, response in (quiz or {}).items():
            item = get_item(item_id)
            assert item is not None, item_id
            rows.append(tables.InventoryResponse(plan_id=plan.id, item_id=item_id, riasec=item.riasec,
                                                 response=response, **by))
        for kind, label, riasec in mentions:
            rows.append(tables.InterestMention(plan_id=plan.id, kind=kind, item_id=label, label=label, riasec=riasec,
                                               **by))
        for number, (text, types) in enumerate(statements):
            event = f"statement-{number}"
            rows.append(tables.Answer(plan_id=plan.id, topic="interest_statement", text=text, source_event=event, **by))
            rows += [tables.InterestMention(plan_id=plan.id, kind=STATEMENT, item_id=STATEMENT, label=text,
                                            riasec=riasec, source_event=event, **by) for riasec in types]
        rows += [tables.WorkValue(plan_id=plan.id, value=value, rank=rank, **by)
                 for rank, value in enumerate(values, 1)]
        rows += [tables.Strength(plan_id=plan.id, kind=kind, text=text, **by) for kind, text in strengths]
        rows += [tables.CareerInterest(plan_id=plan.id, title=title, onet_soc=onet_soc, **by)
                 for title, onet_soc in careers]
        rows += [tables.PostsecondaryChoice(plan_id=plan.id, choice=choice, created_at=dt.datetime.fromisoformat(at),
                                            **by)
                 for choice, at in postsecondary]
        for goal in goals:
            steps = [tables.GoalStep(text=text, due_date=dt.date.fromisoformat(due) if due else None,
                                     done_at=dt.datetime(2026, 1, 5) if done else None, **by)
                     for text, due, done in goal.get("steps", ())]
            rows.append(tables.Goal(plan_id=plan.id, kind=goal["kind"], text=goal["text"],
                                    status=goal.get("status", "active"), steps=steps, **by))
        rows += [tables.CoursePlanEntry(plan_id=plan.id, grade=grade, course=course, subject_area=area, **by)
                 for grade, course, area in courses]
        rows += [tables.Activity(plan_id=plan.id, kind=kind, name=name, grade=grade, status=status, **by)
                 for kind, name, grade, status in activities]
        rows += [tables.BenchmarkCompletion(plan_id=plan.id, benchmark_id=benchmark_id, **by)
                 for benchmark_id in completed]
        rows += [tables.PlanNote(plan_id=plan.id, text=text, **{**by, "author_role": "counselor"}) for text in notes]
        rows += [tables.Answer(plan_id=plan.id, topic=topic, text=text, retracted_at=dt.datetime(2026, 2, 1), **by)
                 for topic, text in taken_back]
        session.add_all(rows)
        uow.commit()
