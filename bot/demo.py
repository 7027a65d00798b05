"""Seeds the synthetic demo school from data/demo/school.yml (idempotent; refused in production)."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from bot.advisors.access import advisor_id_by_email, assign_advisor
from bot.config import get_settings
from bot.data_files import load_yaml
from bot.db.tables import School, StaffUser, Student
from bot.db.unit_of_work import UnitOfWork, UnitOfWorkFactory
from bot.errors import InvalidInput
from bot.security import hash_secret, normalize_sign_in_code, verify_secret
from bot.staff import add_user


@dataclass(frozen=True)
class DemoSignIns:
    school: str
    staff: list[tuple[str, str, str]]  # role, email, password
    students: list[tuple[str, str, int, str]]  # student_id, first name, grade, code


def demo_sign_ins() -> DemoSignIns:
    demo = load_yaml("demo/school.yml")
    return DemoSignIns(
        school=demo["school"],
        staff=[(s["role"], s["email"], s["password"]) for s in demo["staff"]],
        students=[(sid, first, grade, code) for sid, first, _last, grade, code in demo["students"]],
    )


DEMO_ACCOUNTS_IN_PRODUCTION = ("the plan database holds demo accounts (seeded by a development run), whose passwords "
                               "and codes are published in README.md; production needs a database without them")


def holds_demo_accounts(uow: UnitOfWork) -> bool:
    """True when any demo staff account or demo student is in the plan database (their sign-ins are published)."""
    demo = demo_sign_ins()
    with uow:
        staff = uow.session.scalar(select(StaffUser.id).where(StaffUser.email.in_([email for _, email, _ in demo.staff])))
        students = uow.session.scalar(select(Student.id).where(
            Student.external_id.in_([student_id for student_id, *_ in demo.students])))
    return staff is not None or students is not None


def seed_demo_school(uow_factory: UnitOfWorkFactory) -> DemoSignIns:
    if get_settings().environment == "production":
        raise InvalidInput("the demo school is synthetic and is never seeded in production")
    demo = load_yaml("demo/school.yml")
    with uow_factory() as uow:
        # Plain values: the unit of work rolls back on exit, and expired users could not be read after it.
        password_hashes = dict(uow.session.execute(select(StaffUser.email, StaffUser.password_hash)).all())
    for person in demo["staff"]:
        password_hash = password_hashes.get(person["email"])
        if password_hash is None or not verify_secret(password_hash, person["password"]):
            add_user(uow_factory(), email=person["email"], role=person["role"], password=person["password"],
                     display_name=person["name"], school_name=demo["school"])
    with uow_factory() as uow:
        session = uow.session
        school = session.scalar(select(School).where(School.name == demo["school"]))
        counselor = session.scalar(select(StaffUser).where(StaffUser.role == "counselor",
                                                           StaffUser.school_id == school.id))
        for student_id, first, last, grade, code in demo["students"]:
            student = session.scalar(select(Student).where(Student.external_id == student_id))
            if student is None:
                student = Student(external_id=student_id)
                session.add(student)
            student.first_name, student.last_name, student.grade = first, last, grade
            student.school, student.counselor = school, counselor
            if not (student.sign_in_code_hash and verify_secret(student.sign_in_code_hash, normalize_sign_in_code(code))):
                student.sign_in_code_hash = hash_secret(normalize_sign_in_code(code))
        uow.commit()
    for email, student_ids in demo.get("advisor_assignments", {}).items():
        advisor_id = advisor_id_by_email(uow_factory(), email)
        for student_id in student_ids:
            assign_advisor(uow_factory(), advisor_id, student_id, by=None)
    return demo_sign_ins()
