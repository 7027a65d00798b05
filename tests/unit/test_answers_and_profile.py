import pytest

from bot.errors import InvalidAnswer
from bot.plans.answers import clean_answer
from bot.plans.view import riasec_profile
from bot.roster.csv_rows import parse_roster
from bot.security import hash_secret, new_sign_in_code, normalize_sign_in_code, verify_secret


@pytest.mark.parametrize("raw, cleaned", [
    ("  I draw  ", "I draw"),                       # trimmed
    ("fix\x00ing cars", "fixing cars"),              # NUL bytes dropped
    ("<b>art</b>", "<b>art</b>"),                   # markup kept as text (escaped on display)
    ("a" * 1000, "a" * 1000),                       # exactly at the limit
])
def test_clean_answer_keeps_usable_text(raw, cleaned):
    assert clean_answer(raw) == cleaned


@pytest.mark.parametrize("raw, reason", [(None, "empty"), ("🎨🎸", "no_words"), ("x" * 1001, "too_long")])
def test_clean_answer_refuses_with_reason(raw, reason):
    with pytest.raises(InvalidAnswer) as refused:
        clean_answer(raw)
    assert refused.value.reason == reason


def test_profile_orders_code_by_score_then_riasec_order():
    profile = riasec_profile({"S": 2.0}, ["A", "R", "A"])
    assert profile["riasec"] == {"R": 1, "I": 0, "A": 2, "S": 2.0, "E": 0, "C": 0}
    assert profile["code"] == "ASR"


def test_profile_of_nothing_has_no_code():
    assert riasec_profile({}, [])["code"] == ""


def test_sign_in_codes_are_hashed_and_forgiving_about_format():
    code = new_sign_in_code()
    stored = hash_secret(normalize_sign_in_code(code))
    assert code not in stored
    assert verify_secret(stored, normalize_sign_in_code(code.lower()[:4] + " - " + code.lower()[4:]))
    assert not verify_secret(stored, normalize_sign_in_code("WRONG-CODE"))


def test_roster_blank_lines_are_skipped_not_reported():
    rows, errors = parse_roster("student_id,first_name,last_name,grade,school,counselor_email\n\n"
                                "A1,Ann,Li,7,North,c@school.example\n,,,,,\n")
    assert [row.line for row in rows] == [3] and errors == []
