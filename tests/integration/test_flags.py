import pytest

from bot.errors import InvalidInput, UnknownStudent
from bot.flags import list_flags, raise_flag
from tests.builders import enrol


def test_lists_urgent_first_then_oldest_first(uow_factory):
    enrol(uow_factory, "S1")
    normal = raise_flag(uow_factory(), "S1", category="academic", severity="normal", excerpt="failing math")
    urgent = raise_flag(uow_factory(), "S1", category="self_harm", severity="urgent", excerpt="...")
    high = raise_flag(uow_factory(), "S1", category="dropout_risk", severity="high", excerpt="quit school")
    flags = list_flags(uow_factory())
    assert [flag["id"] for flag in flags] == [urgent, high, normal]
    assert set(flags[0]) == {"id", "student_id", "category", "severity", "status", "excerpt", "created_at", "updated_at"}
    assert flags[0]["student_id"] == "S1"


def test_repeat_of_an_open_category_attaches_to_the_open_flag(uow_factory):
    enrol(uow_factory, "S1")
    first = raise_flag(uow_factory(), "S1", category="human_request", severity="normal", excerpt="can I talk to someone")
    again = raise_flag(uow_factory(), "S1", category="human_request", severity="high", excerpt="please a real person")
    assert first == again
    [flag] = list_flags(uow_factory())
    assert flag["severity"] == "high"


def test_filters_by_status_and_severity(uow_factory):
    enrol(uow_factory, "S1")
    raise_flag(uow_factory(), "S1", category="academic", severity="normal")
    raise_flag(uow_factory(), "S1", category="bullying", severity="high")
    assert [f["category"] for f in list_flags(uow_factory(), severity="high")] == ["bullying"]
    assert list_flags(uow_factory(), status="resolved") == []
    with pytest.raises(InvalidInput):
        list_flags(uow_factory(), status="closed")


def test_flag_for_unknown_student_is_refused(uow_factory):
    with pytest.raises(UnknownStudent):
        raise_flag(uow_factory(), "GHOST", category="academic", severity="normal")


def test_an_urgent_flag_is_raised_even_when_the_message_holds_a_nul_byte(uow_factory):
    from bot.flags import list_flags, raise_flag
    from tests.builders import enrol

    enrol(uow_factory, "N1")
    raise_flag(uow_factory(), "N1", category="self_harm", severity="urgent", excerpt="i want to\x00 die\x07",
               conversation_id="N1", event_id="N1:m1")
    [flag] = list_flags(uow_factory())
    assert (flag["severity"], flag["excerpt"]) == ("urgent", "i want to die")
