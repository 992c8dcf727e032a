"""The unique pupil number (UPN): its shape and its check letter.

The Department for Education's "A guide to the unique pupil number (UPN)": 13 characters, a check
letter then 12 digits (a temporary UPN ends with a letter instead of its last digit). The check
letter: characters 2 to 13, each multiplied by its position (2 to 13; a final letter counts as its
place in the check alphabet), summed, modulo 23, taken as a place in the check alphabet (the
letters A to Z without I, O and S)."""

from __future__ import annotations

import re

CHECK_ALPHABET = "ABCDEFGHJKLMNPQRTUVWXYZ"
_SHAPE = re.compile(rf"[{CHECK_ALPHABET}]\d{{11}}[\d{CHECK_ALPHABET}]")


def check_letter(upn: str) -> str:
    """The check letter of a UPN of the right shape (its own first character not read)."""
    total = 0
    for position, char in enumerate(upn[1:13], start=2):
        value = int(char) if char.isdigit() else CHECK_ALPHABET.index(char)
        total += value * position
    return CHECK_ALPHABET[total % 23]


def upn_problem(upn: str) -> str | None:
    """Why `upn` is not a UPN, in plain English; None when it is one."""
    if not _SHAPE.fullmatch(upn):
        return (
            "A UPN is 13 characters: a check letter, 11 digits, and a digit or (a temporary "
            "UPN) a letter"
        )
    expected = check_letter(upn)
    if upn[0] != expected:
        return f"This UPN's check letter is wrong: {upn[0]}, where its digits give {expected}"
    return None
