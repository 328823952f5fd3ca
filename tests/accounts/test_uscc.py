"""统一社会信用代码 check (GB 32100-2015)."""

import pytest
from django.core.exceptions import ValidationError

from accounts.uscc import check_character, normalise, validate_uscc
from tests.factories import uscc_for

VALID = [
    "91110108MA01ABCD2H",
    "91440106MA59C8RT0K",
    "121000004000003980",  # check character 0: the sum is a multiple of 31 (31 maps to 0)
    "91350100M000100Y43",  # a published code of a listed company
    "11100000000013127D",  # a government body, first character 1
]


@pytest.mark.parametrize("code", VALID)
def test_valid_codes_pass(code):
    validate_uscc(code)


def test_check_character_zero_not_31():
    """Pitfall: returning 31 instead of 0 when the sum is divisible by 31."""
    assert check_character("12100000400000398") == "0"


def test_letters_are_valued_by_their_index_not_ord():
    """Pitfall: mapping letters by ord(c) - 55 gives wrong values after H (I is skipped)."""
    # J is worth 18 in the alphabet (ord-55 would give 19).
    code = "9111010800000000J"
    assert check_character(code) == check_character(code)  # deterministic
    expected_total = sum(v * w for v, w in zip(
        [9, 1, 1, 1, 0, 1, 0, 8, 0, 0, 0, 0, 0, 0, 0, 0, 18],
        (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28), strict=True))
    assert check_character(code) == "0123456789ABCDEFGHJKLMNPQRTUWXY"[(31 - expected_total % 31) % 31]


def test_any_first_character_of_the_alphabet_is_accepted():
    """Pitfall: restricting position 1 to a few department codes."""
    for first in "0123456789ABCDEFGHJKLMNPQRTUWXY":
        body = first + "1110108MA01ABCD2"
        validate_uscc(body + check_character(body))


@pytest.mark.parametrize(
    ("code", "message_part"),
    [
        ("91110108MA01ABCD2", "18位"),  # too short
        ("91110108MA01ABCD2HX", "18位"),  # too long
        ("", "18位"),
        ("91110108MA01ABCI2H", "不允许的字符"),  # I is not used
        ("91110108MA01ABCO2H", "不允许的字符"),  # O
        ("91110108MA01ABCS2H", "不允许的字符"),  # S
        ("91110108MA01ABCZ2H", "不允许的字符"),  # Z
        ("91110108MA01ABCV2H", "不允许的字符"),  # V
        ("91110108MA01ABC-2H", "不允许的字符"),
        ("91110108MA01ABCD2A", "校验位"),  # wrong check character
        ("91110108MA01ABDC2H", "校验位"),  # transposed characters
    ],
)
def test_invalid_codes_get_a_clear_message(code, message_part):
    with pytest.raises(ValidationError) as error:
        validate_uscc(code)
    assert message_part in " ".join(error.value.messages)


def test_normalise_strips_spaces_and_uppercases():
    assert normalise(" 91110108ma01abcd2h ") == "91110108MA01ABCD2H"


def test_generated_codes_are_valid():
    for n in range(0, 5000, 97):
        validate_uscc(uscc_for(n))
