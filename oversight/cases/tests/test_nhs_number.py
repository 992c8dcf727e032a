"""NHS numbers: ten digits, the last the modulus 11 check digit. Only the testing range appears here."""

import pytest
from django.core.exceptions import ValidationError

from oversight.cases.factories import make_child, synthetic_nhs_number
from oversight.cases.models import validate_nhs_number


@pytest.mark.parametrize(
    "number",
    [
        "9990000018",  # 9x10+9x9+9x8+1x2 = 245, 245 mod 11 = 3, 11 - 3 = 8
        "9990000026",  # 247 mod 11 = 5, check 6
        "999 000 0018",  # as people write it
        "9999999999",  # 9 x 54 = 486, 486 mod 11 = 2, check 9
    ],
)
def test_it_accepts_a_number_with_the_right_check_digit(number):
    validate_nhs_number(number)


@pytest.mark.parametrize(
    "number, reason",
    [
        ("9990000017", "check digit"),  # the check digit is 8
        ("9990000001", "check digit"),  # 243 mod 11 = 1: check 10, no valid number has this stem
        ("999000001", "10 digits"),  # nine digits
        ("99900000188", "10 digits"),  # eleven digits
        ("99900O0018", "10 digits"),  # a letter O
    ],
)
def test_it_refuses_a_wrong_number(number, reason):
    with pytest.raises(ValidationError, match=reason):
        validate_nhs_number(number)


def test_it_makes_synthetic_numbers_only_from_the_testing_range():
    assert synthetic_nhs_number(0) == "9990000018"  # the first stem, 999000000, has check 10
    assert synthetic_nhs_number(1) == "9990000018"  # so stems 0 and 1 give the same number
    assert synthetic_nhs_number(2) == "9990000026"
    for n in range(0, 5000, 7):
        number = synthetic_nhs_number(n)
        validate_nhs_number(number)
        assert "9990000000" <= number <= "9999999999"


@pytest.mark.django_db
def test_it_refuses_a_child_with_a_wrong_nhs_number():
    with pytest.raises(ValidationError):
        make_child(nhs_number="9990000017")
