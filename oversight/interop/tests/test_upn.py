from oversight.interop.identifiers import check_letter, upn_problem


def test_it_accepts_a_upn_whose_check_letter_its_digits_give() -> None:
    # 8*2 + 2*3 + 1*5 + 2*9 + 6*10 + 1*13 = 118 (the zeros add nothing); 118 mod 23 = 3: D.
    assert check_letter("D820100026001") == "D"
    assert upn_problem("D820100026001") is None


def test_it_accepts_a_temporary_upn_ending_in_a_letter() -> None:
    # X98765432123B: B counts 1 at position 13; the sum 281 leaves 5: F.
    assert upn_problem("F98765432123B") is None


def test_it_refuses_a_wrong_check_letter() -> None:
    assert upn_problem("A123456789123") == (
        "This UPN's check letter is wrong: A, where its digits give P"
    )


def test_it_refuses_a_upn_of_the_wrong_shape() -> None:
    shape = (
        "A UPN is 13 characters: a check letter, 11 digits, and a digit or (a temporary UPN) "
        "a letter"
    )
    assert upn_problem("D82010002600") == shape  # 12 characters
    assert upn_problem("I820100026001") == shape  # I is not a check letter
    assert upn_problem("d820100026001") == shape  # lower case
