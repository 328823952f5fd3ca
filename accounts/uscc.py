"""统一社会信用代码 (unified social credit code) check, GB 32100-2015.

18 characters from ``0123456789ABCDEFGHJKLMNPQRTUWXY`` (each worth its index,
0–30; the letters I, O, Z, S and V are not used). Positions 1–17 are weighted
``3^(i-1) mod 31``; the check character is ``31 − (sum mod 31)``, where 31
maps to 0.
"""

from django.core.exceptions import ValidationError

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
VALUES = {ch: i for i, ch in enumerate(ALPHABET)}
WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
LENGTH = 18


def check_character(first17: str) -> str:
    """The 18th character for the first seventeen."""
    total = sum(VALUES[ch] * w for ch, w in zip(first17, WEIGHTS, strict=True))
    return ALPHABET[(31 - total % 31) % 31]


def normalise(code: str) -> str:
    """Strip spaces and upper-case, as people type codes in lower case too."""
    return "".join(code.split()).upper()


def validate_uscc(code: str) -> None:
    """Raise ValidationError with a plain-Chinese message for an invalid code."""
    if len(code) != LENGTH:
        raise ValidationError(
            "统一社会信用代码应为18位，您输入了%(n)d位。", code="uscc_length", params={"n": len(code)}
        )
    bad = sorted({ch for ch in code if ch not in VALUES})
    if bad:
        raise ValidationError(
            "统一社会信用代码含有不允许的字符：%(chars)s（不使用字母 I、O、Z、S、V）。",
            code="uscc_chars",
            params={"chars": "、".join(bad)},
        )
    expected = check_character(code[:17])
    if code[17] != expected:
        raise ValidationError(
            "统一社会信用代码校验位不正确，请核对后重新输入。", code="uscc_check"
        )
