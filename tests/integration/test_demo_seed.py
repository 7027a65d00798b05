"""`ilp demo seed` on a real database: `make run` seeds every time it starts, so seeding must be repeatable."""
from sqlalchemy import func, select

from bot.db.tables import StaffUser, Student
from bot.demo import seed_demo_school


def test_seeding_twice_keeps_one_copy_of_everyone(uow_factory):
    first = seed_demo_school(uow_factory)
    second = seed_demo_school(uow_factory)
    assert first == second
    with uow_factory() as uow:
        assert uow.session.scalar(select(func.count(Student.id))) == len(first.students)
        assert uow.session.scalar(select(func.count(StaffUser.id))) == len(first.staff)
